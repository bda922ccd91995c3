package cafe.barista.it;

import static cafe.barista.it.Bar.ADMIN_TOKEN;
import static cafe.barista.it.Bar.BARISTA_TOKEN;
import static cafe.barista.it.Bar.CUSTOMER_TOKEN;
import static cafe.barista.it.Bar.cancelRequested;
import static cafe.barista.it.Bar.newOrderId;
import static cafe.barista.it.Bar.orderPlaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The barista by hand: orders in from Kafka, staff moves over HTTP, events out to Kafka. */
class BaristaIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static Bar bar;
  private static KafkaTap tap;

  @BeforeAll
  static void start() {
    bar = Bar.start("barista_it", Map.of());
    tap = KafkaTap.open(Bar.infra().kafkaBootstrap(), Topics.BARISTA);
    tap.awaitCaughtUp("barista", Topics.ORDERS, WAIT);
  }

  @AfterAll
  static void stop() {
    if (tap != null) {
      tap.close();
    }
    if (bar != null) {
      bar.close();
    }
  }

  private String queue(Object... items) {
    String orderId = newOrderId();
    tap.publish(Topics.ORDERS, orderPlaced(orderId, items));
    tap.awaitEvent(orderId, "DrinkQueued", WAIT);
    return orderId;
  }

  @Test
  void orderPlacedQueuesADrinkAndTakesItsStock() {
    int lattes = bar.stock("latte");
    int croissants = bar.stock("croissant");
    String orderId = newOrderId();

    tap.publish(Topics.ORDERS, orderPlaced(orderId, "latte", 2, "croissant", 1));

    Event queued = tap.awaitEvent(orderId, "DrinkQueued", WAIT);
    assertEquals("barista", queued.source());
    assertEquals(orderId, queued.data().getString("orderId"));
    assertEquals("alice", queued.data().getString("customerId"));
    JsonArray items = queued.data().getJsonArray("items");
    assertEquals(new JsonObject().put("menuItemId", "latte").put("name", "The latte").put("qty", 2), items.getJsonObject(0));
    assertEquals("croissant", items.getJsonObject(1).getString("menuItemId"));
    assertEquals(lattes - 2, bar.stock("latte"));
    assertEquals(croissants - 1, bar.stock("croissant"));

    JsonObject ticket = bar.ticket(orderId).json();
    assertEquals("QUEUED", ticket.getString("status"));
    assertEquals("12 Bean Street", ticket.getString("address"));
    assertTrue(orderIds(bar.http.get("/barista/tickets?status=QUEUED", BARISTA_TOKEN).array()).contains(orderId));
  }

  @Test
  void anOrderWithAnItemShortTakesNothingAndIsOutOfStock() {
    bar.setStock("green-tea", 1);
    int lattes = bar.stock("latte");
    String orderId = newOrderId();

    tap.publish(Topics.ORDERS, orderPlaced(orderId, "latte", 1, "green-tea", 2));

    Event out = tap.awaitEvent(orderId, "OutOfStock", WAIT);
    assertEquals(new JsonArray().add("green-tea"), out.data().getJsonArray("missing"));
    assertEquals("alice", out.data().getString("customerId"));
    assertEquals(lattes, bar.stock("latte"));
    assertEquals(1, bar.stock("green-tea"));
    assertTrue(tap.events(orderId, "DrinkQueued").isEmpty());
    assertTrue(!orderIds(bar.http.get("/barista/tickets", BARISTA_TOKEN).array()).contains(orderId),
        "a refused order is not on the board");
  }

  @Test
  void anItemTheBarDoesNotStockIsMissing() {
    String orderId = newOrderId();
    tap.publish(Topics.ORDERS, orderPlaced(orderId, "muffin", 1, "latte", 1));
    Event out = tap.awaitEvent(orderId, "OutOfStock", WAIT);
    assertEquals(new JsonArray().add("muffin"), out.data().getJsonArray("missing"));
  }

  @Test
  void startingAndCompletingADrinkIsAnnounced() {
    String orderId = queue("cappuccino", 1);

    Http.Response started = bar.http.post("/barista/tickets/" + orderId + "/start", BARISTA_TOKEN);
    assertEquals(200, started.status(), started.toString());
    assertEquals("BREWING", started.json().getString("status"));
    Event drinkStarted = tap.awaitEvent(orderId, "DrinkStarted", WAIT);
    assertEquals("alice", drinkStarted.data().getString("customerId"));
    assertTrue(orderIds(bar.http.get("/barista/tickets?status=BREWING", BARISTA_TOKEN).array()).contains(orderId));

    Http.Response completed = bar.http.post("/barista/tickets/" + orderId + "/complete", ADMIN_TOKEN);
    assertEquals(200, completed.status(), completed.toString());
    assertEquals("READY", completed.json().getString("status"));
    Event ready = tap.awaitEvent(orderId, "DrinkReady", WAIT);
    assertEquals("12 Bean Street", ready.data().getString("address"));
    assertEquals(orderId, ready.data().getString("orderId"));

    assertTrue(orderIds(bar.http.get("/barista/tickets?status=READY", BARISTA_TOKEN).array()).contains(orderId));
    assertTrue(!orderIds(bar.http.get("/barista/tickets?status=QUEUED", BARISTA_TOKEN).array()).contains(orderId));
  }

  @Test
  void theBoardListsOldestFirst() {
    String first = queue("americano", 1);
    String second = queue("americano", 1);
    List<String> queued = orderIds(bar.http.get("/barista/tickets?status=QUEUED&limit=500", BARISTA_TOKEN).array());
    assertTrue(queued.indexOf(first) < queued.indexOf(second), queued.toString());
  }

  @Test
  void movesTheTicketDoesNotAllowAreConflicts() {
    String orderId = queue("latte", 1);
    String path = "/barista/tickets/" + orderId;

    Http.Response early = bar.http.post(path + "/complete", BARISTA_TOKEN);
    assertEquals(409, early.status(), early.toString());
    assertTrue(early.contentType().startsWith("application/problem+json"));
    assertTrue(early.json().getString("detail").contains("not been started"), early.toString());

    assertEquals(200, bar.http.post(path + "/start", BARISTA_TOKEN).status());
    assertEquals(409, bar.http.post(path + "/start", BARISTA_TOKEN).status());
    assertEquals(200, bar.http.post(path + "/complete", BARISTA_TOKEN).status());
    assertEquals(409, bar.http.post(path + "/complete", BARISTA_TOKEN).status());
    assertEquals(409, bar.http.post(path + "/start", BARISTA_TOKEN).status());
    assertEquals("READY", bar.ticket(orderId).json().getString("status"));
    // DrinkReady follows DrinkStarted on the same partition: once it is out, so is any second start.
    tap.awaitEvent(orderId, "DrinkReady", WAIT);
    assertEquals(1, tap.events(orderId, "DrinkStarted").size());
  }

  @Test
  void anUnknownTicketIsNotFound() {
    for (Http.Response r : List.of(
        bar.http.post("/barista/tickets/no-such-order/start", BARISTA_TOKEN),
        bar.http.post("/barista/tickets/no-such-order/complete", BARISTA_TOKEN),
        bar.http.get("/barista/tickets/no-such-order", BARISTA_TOKEN))) {
      assertEquals(404, r.status(), r.toString());
      assertEquals(404, r.json().getInteger("status"));
    }
  }

  @Test
  void theBoardFilterMustBeABoardStatus() {
    Http.Response r = bar.http.get("/barista/tickets?status=DELIVERED", BARISTA_TOKEN);
    assertEquals(400, r.status());
    assertTrue(r.json().getString("detail").contains("QUEUED, BREWING or READY"));
    assertEquals(400, bar.http.get("/barista/tickets?limit=0", BARISTA_TOKEN).status());
  }

  @Test
  void stockIsSetToAWholeNonNegativeNumberOfAKnownItem() {
    Http.Response set = bar.http.put("/barista/stock/americano", BARISTA_TOKEN, "{\"quantity\":40}");
    assertEquals(200, set.status(), set.toString());
    assertEquals(new JsonObject().put("menuItemId", "americano").put("quantity", 40), set.json());
    assertEquals(40, bar.stock("americano"));

    for (String bad : List.of("{\"quantity\":-1}", "{\"quantity\":2.5}", "{\"quantity\":\"7\"}", "{}",
        "{\"quantity\":10000001}", "not json")) {
      Http.Response r = bar.http.put("/barista/stock/americano", BARISTA_TOKEN, bad);
      assertEquals(400, r.status(), bad + " -> " + r);
      assertTrue(r.contentType().startsWith("application/problem+json"));
    }
    Http.Response unknown = bar.http.put("/barista/stock/muffin", BARISTA_TOKEN, "{\"quantity\":5}");
    assertEquals(404, unknown.status(), unknown.toString());
    assertEquals(404, bar.http.put("/barista/stock/items.latte", BARISTA_TOKEN, "{\"quantity\":5}").status());
    assertEquals(40, bar.stock("americano"), "refused changes change nothing");

    JsonArray levels = bar.http.get("/barista/stock", BARISTA_TOKEN).array();
    assertEquals(6, levels.size(), levels.encode());
    assertTrue(levels.getJsonObject(0).containsKey("menuItemId") && levels.getJsonObject(0).containsKey("quantity"));
  }

  @Test
  void onlyStaffOfTheBarMayUseIt() {
    for (Http.Response r : List.of(
        bar.http.get("/barista/tickets", CUSTOMER_TOKEN),
        bar.http.get("/barista/stock", CUSTOMER_TOKEN),
        bar.http.put("/barista/stock/latte", CUSTOMER_TOKEN, "{\"quantity\":1}"),
        bar.http.post("/barista/tickets/x/start", TestTokens.shared().token("rider-1", "rider")))) {
      assertEquals(403, r.status(), r.toString());
    }
    assertEquals(401, bar.http.get("/barista/tickets", null).status());
    assertEquals(401, bar.http.get("/barista/tickets", TestTokens.shared().tokenSignedByAnotherKey("x", "barista")).status());
    assertEquals(401, bar.http.get("/barista/tickets", TestTokens.shared().expiredToken("x", "barista")).status());
    assertTrue(bar.stock("latte") > 0, "the customer's PUT changed nothing");
  }

  @Test
  void cancellingAQueuedDrinkReturnsItsStock() {
    int vanilla = bar.stock("vanilla-latte");
    String orderId = queue("vanilla-latte", 3);
    assertEquals(vanilla - 3, bar.stock("vanilla-latte"));

    RecordMetadata cancel = tap.publish(Topics.ORDERS, cancelRequested(orderId, "QUEUED"));

    Event cancelled = tap.awaitEvent(orderId, "DrinkCancelled", WAIT);
    assertEquals("alice", cancelled.data().getString("customerId"));
    // DrinkCancelled is written with the ticket, before the stock goes back: the handler's end is what
    // promises the stock.
    tap.awaitHandled("barista", cancel, WAIT);
    assertEquals(vanilla, bar.stock("vanilla-latte"));
    assertEquals("CANCELLED", bar.ticket(orderId).json().getString("status"));
    assertEquals(409, bar.http.post("/barista/tickets/" + orderId + "/start", BARISTA_TOKEN).status());
  }

  @Test
  void cancellingABrewingDrinkIsRefused() {
    int lattes = bar.stock("latte");
    String orderId = queue("latte", 1);
    assertEquals(200, bar.http.post("/barista/tickets/" + orderId + "/start", BARISTA_TOKEN).status());

    tap.publish(Topics.ORDERS, cancelRequested(orderId, "BREWING"));

    Event rejected = tap.awaitEvent(orderId, "DrinkCancelRejected", WAIT);
    assertEquals("BREWING", rejected.data().getString("status"));
    assertEquals("BREWING", bar.ticket(orderId).json().getString("status"));
    assertEquals(lattes - 1, bar.stock("latte"), "a drink in the making keeps its stock");
    assertTrue(tap.events(orderId, "DrinkCancelled").isEmpty());
  }

  @Test
  void cancellingAReadyDrinkIsRefused() {
    String orderId = queue("croissant", 1);
    bar.http.post("/barista/tickets/" + orderId + "/start", BARISTA_TOKEN);
    bar.http.post("/barista/tickets/" + orderId + "/complete", BARISTA_TOKEN);
    tap.publish(Topics.ORDERS, cancelRequested(orderId, "READY"));
    assertEquals("READY", tap.awaitEvent(orderId, "DrinkCancelRejected", WAIT).data().getString("status"));
  }

  @Test
  void theSameOrderPlacedTwiceQueuesOneDrinkAndTakesTheStockOnce() {
    int cappuccinos = bar.stock("cappuccino");
    String orderId = newOrderId();
    Event placed = orderPlaced(orderId, "cappuccino", 2);

    tap.publish(Topics.ORDERS, placed);
    RecordMetadata again = tap.publish(Topics.ORDERS, placed);
    tap.awaitHandled("barista", again, WAIT);

    tap.awaitEvent(orderId, "DrinkQueued", WAIT);
    assertEquals(cappuccinos - 2, bar.stock("cappuccino"));
    assertEquals(1, tap.events(orderId, "DrinkQueued").size());
    assertEquals("QUEUED", bar.ticket(orderId).json().getString("status"));
  }

  @Test
  void theSameCancellationTwiceReturnsTheStockOnce() {
    int teas = bar.stock("green-tea");
    String orderId = queue("green-tea", 1);
    Event cancel = cancelRequested(orderId, "QUEUED");

    tap.publish(Topics.ORDERS, cancel);
    RecordMetadata again = tap.publish(Topics.ORDERS, cancel);
    tap.awaitHandled("barista", again, WAIT);

    tap.awaitEvent(orderId, "DrinkCancelled", WAIT);
    assertEquals(teas, bar.stock("green-tea"));
    assertEquals(1, tap.events(orderId, "DrinkCancelled").size());
  }

  @Test
  void aCancellationForAnOrderNeverQueuedIsAnsweredAndKeepsItOffTheBoard() {
    int lattes = bar.stock("latte");
    String orderId = newOrderId();

    tap.publish(Topics.ORDERS, cancelRequested(orderId, "PAYMENT_PENDING"));
    tap.awaitEvent(orderId, "DrinkCancelled", WAIT);
    RecordMetadata late = tap.publish(Topics.ORDERS, orderPlaced(orderId, "latte", 1));
    tap.awaitHandled("barista", late, WAIT);

    assertEquals("CANCELLED", bar.ticket(orderId).json().getString("status"));
    assertEquals(lattes, bar.stock("latte"));
    assertTrue(tap.events(orderId, "DrinkQueued").isEmpty());
  }

  @Test
  void eventsTheBarDoesNotExpectAreDropped() {
    String orderId = queue("americano", 1);
    bar.http.post("/barista/tickets/" + orderId + "/start", BARISTA_TOKEN);
    bar.http.post("/barista/tickets/" + orderId + "/complete", BARISTA_TOKEN);
    tap.publish(Topics.ORDERS, cancelRequested(orderId, "READY"));
    tap.awaitEvent(orderId, "DrinkCancelRejected", WAIT);
    // The order gave up on cancelling; an OrderCancelled for it and a second OrderPlaced change nothing.
    tap.publish(Topics.ORDERS, Event.of("order", "OrderCancelled", orderId,
        new JsonObject().put("orderId", orderId).put("customerId", "alice").put("reason", "CUSTOMER").put("total", 4500)));
    RecordMetadata last = tap.publish(Topics.ORDERS, orderPlaced(orderId, "americano", 1));
    tap.awaitHandled("barista", last, WAIT);
    assertEquals("READY", bar.ticket(orderId).json().getString("status"));
    assertEquals(1, tap.events(orderId, "DrinkQueued").size());
  }

  static List<String> orderIds(JsonArray tickets) {
    return tickets.stream().map(t -> ((JsonObject) t).getString("orderId")).toList();
  }
}
