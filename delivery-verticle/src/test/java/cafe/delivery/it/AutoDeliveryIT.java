package cafe.delivery.it;

import static cafe.delivery.it.Depot.RIDER_TOKEN;
import static cafe.delivery.it.Depot.drinkReady;
import static cafe.delivery.it.Depot.newOrderId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.testkit.Eventually;
import cafe.testkit.KafkaTap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CAFE_AUTO_DELIVER_MS: the cafe's own rider delivers, survives restarts and never moves a delivery twice. */
class AutoDeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> AUTO = Map.of("CAFE_AUTO_DELIVER_MS", "300", "CAFE_AUTO_SWEEP_MS", "500");
  private static KafkaTap tap;

  @BeforeAll
  static void start() {
    tap = KafkaTap.open(Depot.infra().kafkaBootstrap(), Topics.DELIVERIES);
  }

  @AfterAll
  static void stop() {
    tap.close();
  }

  @Test
  void inAutoModeAWaitingDeliveryIsPickedUpAndDeliveredAfterTheRideTime() {
    try (Depot depot = Depot.start("delivery_auto", AUTO)) {
      String orderId = newOrderId();
      tap.publish(Topics.BARISTA, drinkReady(orderId));

      Event completed = tap.awaitEvent(orderId, "DeliveryCompleted", WAIT);
      Event started = tap.events(orderId, "DeliveryStarted").get(0);
      assertEquals("auto-rider", started.data().getString("rider"));
      assertTrue(Duration.between(started.time(), completed.time()).toMillis() >= 300);
      assertEquals(List.of("DeliveryWaiting", "DeliveryStarted", "DeliveryCompleted"),
          tap.events(orderId).stream().map(Event::type).toList());
      assertEquals("DELIVERED", depot.status(orderId));
    }
  }

  @Test
  void deliveriesLeftWaitingOrOnTheRoadAreFinishedAfterARestartByExactlyOneOfTwoInstances() {
    String waiting = newOrderId();
    String onTheRoad = newOrderId();
    try (Depot byHand = Depot.start("delivery_auto_restart", Map.of())) {
      tap.publish(Topics.BARISTA, drinkReady(waiting));
      tap.publish(Topics.BARISTA, drinkReady(onTheRoad));
      tap.awaitEvent(waiting, "DeliveryWaiting", WAIT);
      tap.awaitEvent(onTheRoad, "DeliveryWaiting", WAIT);
      assertEquals(200, byHand.http.post("/deliveries/" + onTheRoad + "/pickup", RIDER_TOKEN).status());
    }

    try (Depot one = Depot.start("delivery_auto_restart", AUTO); Depot two = Depot.start("delivery_auto_restart", AUTO)) {
      for (String orderId : List.of(waiting, onTheRoad)) {
        tap.awaitEvent(orderId, "DeliveryCompleted", WAIT);
        assertEquals("DELIVERED", one.status(orderId));
      }
      double sweptByOne = sweeps(one);
      double sweptByTwo = sweeps(two);
      Eventually.await(WAIT, "two more sweeps each", () -> sweeps(one) >= sweptByOne + 2 && sweeps(two) >= sweptByTwo + 2);
      for (String orderId : List.of(waiting, onTheRoad)) {
        assertEquals(1, tap.events(orderId, "DeliveryStarted").size(), orderId);
        assertEquals(1, tap.events(orderId, "DeliveryCompleted").size(), orderId);
      }
      assertEquals("rider-1", tap.events(onTheRoad, "DeliveryStarted").get(0).data().getString("rider"));
    }
  }

  private static double sweeps(Depot depot) {
    var counter = depot.runtime.metrics().find("cafe_delivery_auto_sweeps").counter();
    return counter == null ? 0 : counter.count();
  }
}
