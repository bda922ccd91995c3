package cafe.delivery.it;

import static cafe.delivery.it.Depot.ADMIN_TOKEN;
import static cafe.delivery.it.Depot.CUSTOMER_TOKEN;
import static cafe.delivery.it.Depot.RIDER_TOKEN;
import static cafe.delivery.it.Depot.drinkReady;
import static cafe.delivery.it.Depot.newOrderId;
import static cafe.delivery.it.Depot.orderCancelled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.infra.TestTokens;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delivery by hand: ready drinks in from Kafka, riders over HTTP, events out to Kafka. */
class DeliveryIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static Depot depot;
  private static KafkaTap tap;

  @BeforeAll
  static void start() {
    depot = Depot.start("delivery_it", Map.of());
    tap = KafkaTap.open(Depot.infra().kafkaBootstrap(), Topics.DELIVERIES);
    tap.awaitCaughtUp("delivery", Topics.BARISTA, WAIT);
    tap.awaitCaughtUp("delivery", Topics.ORDERS, WAIT);
  }

  @AfterAll
  static void stop() {
    if (tap != null) {
      tap.close();
    }
    if (depot != null) {
      depot.close();
    }
  }

  private String waiting() {
    String orderId = newOrderId();
    tap.publish(Topics.BARISTA, drinkReady(orderId));
    tap.awaitEvent(orderId, "DeliveryWaiting", WAIT);
    return orderId;
  }

  @Test
  void aReadyDrinkWaitsForARider() {
    String orderId = newOrderId();
    tap.publish(Topics.BARISTA, drinkReady(orderId));

    Event waiting = tap.awaitEvent(orderId, "DeliveryWaiting", WAIT);
    assertEquals("delivery", waiting.source());
    assertEquals(new JsonObject().put("orderId", orderId).put("customerId", "alice").put("address", "7 Crema Lane"),
        waiting.data());
    assertEquals("WAITING", depot.status(orderId));
    assertTrue(orderIds(depot.http.get("/deliveries?status=WAITING", RIDER_TOKEN).array()).contains(orderId));
  }

  @Test
  void aRiderPicksUpAndDeliversAndBothAreAnnounced() {
    String orderId = waiting();

    Http.Response picked = depot.http.post("/deliveries/" + orderId + "/pickup", RIDER_TOKEN);
    assertEquals(200, picked.status(), picked.toString());
    assertEquals("DELIVERING", picked.json().getString("status"));
    assertEquals("rider-1", picked.json().getString("rider"));
    Event started = tap.awaitEvent(orderId, "DeliveryStarted", WAIT);
    assertEquals("rider-1", started.data().getString("rider"));
    assertEquals("alice", started.data().getString("customerId"));
    assertTrue(orderIds(depot.http.get("/deliveries?status=DELIVERING", RIDER_TOKEN).array()).contains(orderId));

    Http.Response done = depot.http.post("/deliveries/" + orderId + "/complete", RIDER_TOKEN);
    assertEquals(200, done.status(), done.toString());
    assertEquals("DELIVERED", done.json().getString("status"));
    Event completed = tap.awaitEvent(orderId, "DeliveryCompleted", WAIT);
    assertEquals(new JsonObject().put("orderId", orderId).put("customerId", "alice"), completed.data());
    assertTrue(orderIds(depot.http.get("/deliveries?status=DELIVERED", ADMIN_TOKEN).array()).contains(orderId));
    assertFalse(orderIds(depot.http.get("/deliveries?status=WAITING", ADMIN_TOKEN).array()).contains(orderId));
  }

  @Test
  void movesTheDeliveryDoesNotAllowAreConflicts() {
    String orderId = waiting();
    String path = "/deliveries/" + orderId;

    Http.Response early = depot.http.post(path + "/complete", RIDER_TOKEN);
    assertEquals(409, early.status(), early.toString());
    assertTrue(early.contentType().startsWith("application/problem+json"));
    assertTrue(early.json().getString("detail").contains("pick it up first"));

    assertEquals(200, depot.http.post(path + "/pickup", RIDER_TOKEN).status());
    assertEquals(409, depot.http.post(path + "/pickup", ADMIN_TOKEN).status());
    assertEquals(200, depot.http.post(path + "/complete", RIDER_TOKEN).status());
    assertEquals(409, depot.http.post(path + "/complete", RIDER_TOKEN).status());
    assertEquals(409, depot.http.post(path + "/pickup", RIDER_TOKEN).status());
    assertEquals("DELIVERED", depot.status(orderId));
    // DeliveryCompleted follows DeliveryStarted on the same partition: once it is out, so is any second start.
    tap.awaitEvent(orderId, "DeliveryCompleted", WAIT);
    assertEquals(1, tap.events(orderId, "DeliveryStarted").size());
  }

  @Test
  void anUnknownDeliveryIsNotFound() {
    for (Http.Response r : List.of(
        depot.http.post("/deliveries/no-such-order/pickup", RIDER_TOKEN),
        depot.http.post("/deliveries/no-such-order/complete", RIDER_TOKEN),
        depot.http.get("/deliveries/no-such-order", RIDER_TOKEN))) {
      assertEquals(404, r.status(), r.toString());
      assertEquals(404, r.json().getInteger("status"));
    }
  }

  @Test
  void theListFilterMustBeADeliveryStatus() {
    Http.Response r = depot.http.get("/deliveries?status=BREWING", RIDER_TOKEN);
    assertEquals(400, r.status());
    assertTrue(r.json().getString("detail").contains("WAITING, DELIVERING or DELIVERED"));
    assertEquals(400, depot.http.get("/deliveries?limit=abc", RIDER_TOKEN).status());
  }

  @Test
  void onlyRidersAndAdminsMayUseIt() {
    String orderId = waiting();
    for (Http.Response r : List.of(
        depot.http.get("/deliveries", CUSTOMER_TOKEN),
        depot.http.post("/deliveries/" + orderId + "/pickup", CUSTOMER_TOKEN),
        depot.http.post("/deliveries/" + orderId + "/pickup", TestTokens.shared().token("barista-1", "barista")))) {
      assertEquals(403, r.status(), r.toString());
    }
    assertEquals(401, depot.http.get("/deliveries", null).status());
    assertEquals(401, depot.http.post("/deliveries/" + orderId + "/pickup", null).status());
    assertEquals(401, depot.http.get("/deliveries", TestTokens.shared().tokenSignedByAnotherKey("x", "rider")).status());
    assertEquals("WAITING", depot.status(orderId), "refused calls change nothing");
    assertEquals(200, depot.http.get("/deliveries", ADMIN_TOKEN).status());
  }

  @Test
  void aCancelledOrderTakesItsWaitingDeliveryOffTheShelf() {
    String orderId = waiting();

    tap.publish(Topics.ORDERS, orderCancelled(orderId));

    Event cancelled = tap.awaitEvent(orderId, "DeliveryCancelled", WAIT);
    assertEquals("alice", cancelled.data().getString("customerId"));
    assertEquals("CANCELLED", depot.status(orderId));
    assertEquals(409, depot.http.post("/deliveries/" + orderId + "/pickup", RIDER_TOKEN).status());
    assertFalse(orderIds(depot.http.get("/deliveries", RIDER_TOKEN).array()).contains(orderId));
  }

  @Test
  void aCancelledOrderWithoutADeliveryChangesNothing() {
    String orderId = newOrderId();
    RecordMetadata cancelled = tap.publish(Topics.ORDERS, orderCancelled(orderId));
    tap.awaitHandled("delivery", cancelled, WAIT);

    assertEquals(404, depot.delivery(orderId).status());
    assertTrue(tap.events(orderId).isEmpty());
  }

  @Test
  void aDeliveryOnTheRoadIsNotCancelled() {
    String orderId = waiting();
    assertEquals(200, depot.http.post("/deliveries/" + orderId + "/pickup", RIDER_TOKEN).status());

    RecordMetadata cancelled = tap.publish(Topics.ORDERS, orderCancelled(orderId));
    tap.awaitHandled("delivery", cancelled, WAIT);

    assertEquals("DELIVERING", depot.status(orderId));
    assertTrue(tap.events(orderId, "DeliveryCancelled").isEmpty());
  }

  @Test
  void theSameDrinkReadyTwiceMakesOneDelivery() {
    String orderId = newOrderId();
    Event ready = drinkReady(orderId);
    tap.publish(Topics.BARISTA, ready);
    RecordMetadata again = tap.publish(Topics.BARISTA, ready);
    tap.awaitHandled("delivery", again, WAIT);

    tap.awaitEvent(orderId, "DeliveryWaiting", WAIT);
    assertEquals(1, tap.events(orderId, "DeliveryWaiting").size());
    assertEquals(1, depot.http.get("/deliveries?status=WAITING&limit=500", RIDER_TOKEN).array().stream()
        .filter(d -> ((JsonObject) d).getString("orderId").equals(orderId)).count());
  }

  @Test
  void theSameOrderCancelledTwiceCancelsOnce() {
    String orderId = waiting();
    Event cancel = orderCancelled(orderId);
    tap.publish(Topics.ORDERS, cancel);
    RecordMetadata again = tap.publish(Topics.ORDERS, cancel);
    tap.awaitHandled("delivery", again, WAIT);

    tap.awaitEvent(orderId, "DeliveryCancelled", WAIT);
    assertEquals(1, tap.events(orderId, "DeliveryCancelled").size());
  }

  static List<String> orderIds(JsonArray deliveries) {
    return deliveries.stream().map(d -> ((JsonObject) d).getString("orderId")).toList();
  }
}
