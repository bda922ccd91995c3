package cafe.barista.it;

import static cafe.barista.it.Bar.BARISTA_TOKEN;
import static cafe.barista.it.Bar.newOrderId;
import static cafe.barista.it.Bar.orderPlaced;
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

/** CAFE_AUTO_BREW_MS: the bar brews by itself, survives restarts and never moves a drink twice. */
class AutoBrewIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> AUTO = Map.of("CAFE_AUTO_BREW_MS", "300", "CAFE_AUTO_SWEEP_MS", "500");
  private static KafkaTap tap;

  @BeforeAll
  static void start() {
    tap = KafkaTap.open(Bar.infra().kafkaBootstrap(), Topics.BARISTA);
  }

  @AfterAll
  static void stop() {
    tap.close();
  }

  @Test
  void inAutoModeAQueuedDrinkIsStartedAndReadyAfterTheBrewTime() {
    try (Bar bar = Bar.start("barista_auto", AUTO)) {
      tap.awaitCaughtUp("barista", Topics.ORDERS, WAIT);
      String orderId = newOrderId();
      tap.publish(Topics.ORDERS, orderPlaced(orderId, "latte", 1));

      Event ready = tap.awaitEvent(orderId, "DrinkReady", WAIT);
      Event started = tap.events(orderId, "DrinkStarted").get(0);
      assertEquals("12 Bean Street", ready.data().getString("address"));
      assertTrue(Duration.between(started.time(), ready.time()).toMillis() >= 300,
          "ready " + Duration.between(started.time(), ready.time()).toMillis() + " ms after the start");
      assertEquals(List.of("DrinkQueued", "DrinkStarted", "DrinkReady"),
          tap.events(orderId).stream().map(Event::type).toList());
      assertEquals("READY", bar.ticket(orderId).json().getString("status"));
    }
  }

  @Test
  void drinksLeftQueuedOrBrewingAreFinishedAfterARestartByExactlyOneOfTwoInstances() {
    String queued = newOrderId();
    String brewing = newOrderId();
    try (Bar byHand = Bar.start("barista_auto_restart", Map.of())) {
      tap.awaitCaughtUp("barista", Topics.ORDERS, WAIT);
      tap.publish(Topics.ORDERS, orderPlaced(queued, "americano", 1));
      tap.publish(Topics.ORDERS, orderPlaced(brewing, "green-tea", 1));
      tap.awaitEvent(queued, "DrinkQueued", WAIT);
      tap.awaitEvent(brewing, "DrinkQueued", WAIT);
      assertEquals(200, byHand.http.post("/barista/tickets/" + brewing + "/start", BARISTA_TOKEN).status());
    }

    try (Bar one = Bar.start("barista_auto_restart", AUTO); Bar two = Bar.start("barista_auto_restart", AUTO)) {
      for (String orderId : List.of(queued, brewing)) {
        tap.awaitEvent(orderId, "DrinkReady", WAIT);
        Eventually.await(WAIT, "both instances see " + orderId + " ready",
            () -> "READY".equals(one.ticket(orderId).json().getString("status"))
                && "READY".equals(two.ticket(orderId).json().getString("status")));
      }
      // Both instances sweep every 500 ms; give each two more sweeps to (wrongly) move a drink twice.
      double sweptByOne = sweeps(one);
      double sweptByTwo = sweeps(two);
      Eventually.await(WAIT, "two more sweeps each", () -> sweeps(one) >= sweptByOne + 2 && sweeps(two) >= sweptByTwo + 2);
      for (String orderId : List.of(queued, brewing)) {
        assertEquals(1, tap.events(orderId, "DrinkStarted").size(), orderId);
        assertEquals(1, tap.events(orderId, "DrinkReady").size(), orderId);
      }
    }
  }

  private static double sweeps(Bar bar) {
    var counter = bar.runtime.metrics().find("cafe_barista_auto_sweeps").counter();
    return counter == null ? 0 : counter.count();
  }
}
