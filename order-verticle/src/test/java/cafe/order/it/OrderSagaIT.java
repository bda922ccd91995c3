package cafe.order.it;

import static cafe.order.it.Stack.DECLINED_CARD;
import static cafe.order.it.Stack.WAIT;
import static cafe.order.it.Stack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order's side of the saga, driven by barista and delivery events published to Kafka here as
 * those services would, with payment refunding behind it.
 */
class OrderSagaIT {
  private static final String GROUP = "order-saga";
  private static Stack stack;

  @BeforeAll
  static void start() {
    stack = Stack.shared();
  }

  /** An event as another service writes it: its data carries the order id. */
  private static Event event(String source, String type, String orderId, JsonObject data) {
    return Event.of(source, type, orderId, data.copy().put("orderId", orderId));
  }

  private static RecordMetadata barista(String type, String orderId, JsonObject data) {
    return stack.kafka.publish(Topics.BARISTA, event("barista", type, orderId, data.put("customerId", "x")));
  }

  private static RecordMetadata barista(String type, String orderId) {
    return barista(type, orderId, new JsonObject());
  }

  private static RecordMetadata delivery(String type, String orderId) {
    return stack.kafka.publish(Topics.DELIVERIES, event("delivery", type, orderId,
        new JsonObject().put("customerId", "x").put("rider", "rider-1")));
  }

  private static void handled(RecordMetadata record) {
    Eventually.await(WAIT, "order-saga handled " + record, () -> stack.kafka.consumed(GROUP, record));
  }

  private static Http.Response cancel(String customer, String orderId) {
    return stack.order().post("/orders/" + orderId + "/cancel", stack.customer(customer), "");
  }

  private static void noDeadLetters(String orderId) {
    assertTrue(stack.kafka.on(Topics.dlq(Topics.BARISTA), orderId).isEmpty(), "barista events parked");
    assertTrue(stack.kafka.on(Topics.dlq(Topics.DELIVERIES), orderId).isEmpty(), "delivery events parked");
  }

  @Test
  void drinkAndDeliveryEventsCarryAnOrderToDelivered() {
    String id = stack.paidOrder("alice");
    barista("DrinkQueued", id, new JsonObject().put("items", new io.vertx.core.json.JsonArray()));
    stack.awaitStatus(id, "QUEUED");
    barista("DrinkStarted", id);
    stack.awaitStatus(id, "BREWING");
    barista("DrinkReady", id, new JsonObject().put("address", "12 Cafe Street"));
    stack.awaitStatus(id, "READY");
    delivery("DeliveryStarted", id);
    stack.awaitStatus(id, "DELIVERING");
    delivery("DeliveryCompleted", id);
    stack.awaitStatus(id, "DELIVERED");
    assertEquals(409, cancel("alice", id).status());
    noDeadLetters(id);
  }

  @Test
  void aRedeliveredEventIsAppliedOnce() {
    String id = stack.paidOrder("alice");
    Event queued = event("barista", "DrinkQueued", id, new JsonObject().put("customerId", "alice"));
    stack.kafka.publish(Topics.BARISTA, queued);
    RecordMetadata again = stack.kafka.publish(Topics.BARISTA, queued);
    handled(again);
    assertEquals("QUEUED", stack.status(id));
    assertEquals(1, stack.orderDb.count("SELECT count(*) FROM inbox WHERE event_id = ?", queued.id()));
    // A redelivered OutOfStock cancels once and announces it once.
    String other = stack.paidOrder("alice");
    Event outOfStock = event("barista", "OutOfStock", other,
        new JsonObject().put("customerId", "alice").put("missing", new io.vertx.core.json.JsonArray().add("latte")));
    stack.kafka.publish(Topics.BARISTA, outOfStock);
    handled(stack.kafka.publish(Topics.BARISTA, outOfStock));
    assertEquals(1, stack.outboxed(other, "OrderCancelled"));
    assertEquals(1, stack.orderDb.count("SELECT count(*) FROM outbox WHERE event_key = ? AND event LIKE ?", other,
        "%\"type\":\"OrderCancelled\"%\"missing\":[\"latte\"]%"), "the cancellation names what ran out");
    noDeadLetters(id);
  }

  @Test
  void eventsTheOrderDoesNotExpectAreDroppedAndTheOrderCarriesOn() {
    String id = stack.paidOrder("alice");
    barista("DrinkReady", id);
    barista("DrinkCancelRejected", id, new JsonObject().put("status", "BREWING"));
    barista("DrinkCancelled", id);
    barista("DrinkStarted", UUID.randomUUID().toString());
    barista("DrinkStarted", "not-an-order-id");
    RecordMetadata queued = barista("DrinkQueued", id);
    handled(queued);
    assertEquals("QUEUED", stack.status(id));
    barista("DrinkQueued", id);
    handled(barista("DrinkStarted", id));
    assertEquals("BREWING", stack.status(id));
    assertEquals(0, stack.outboxed(id, "OrderCancelled"));
    noDeadLetters(id);
  }

  @Test
  void outOfStockCancelsTheOrderAndPaymentRefundsIt() {
    String id = stack.paidOrder("bob");
    barista("OutOfStock", id, new JsonObject().put("missing", new io.vertx.core.json.JsonArray().add("latte")));
    stack.awaitStatus(id, "CANCELLED");
    JsonObject order = stack.order().get("/orders/" + id, stack.customer("bob")).json();
    assertEquals("OUT_OF_STOCK", order.getString("cancelReason"));
    Eventually.await(WAIT, "OrderCancelled", () -> stack.kafka.events(id, "OrderCancelled").size() == 1);
    JsonObject data = stack.kafka.events(id, "OrderCancelled").get(0).data();
    assertEquals("OUT_OF_STOCK", data.getString("reason"));
    assertEquals(5000, data.getInteger("total"));
    assertEquals("bob", data.getString("customerId"));
    Eventually.await(WAIT, "refund", () -> "REFUNDED".equals(
        stack.payment().get("/payments/" + id, stack.staff("root", "admin")).json().getString("status")));
    assertEquals(1, stack.paymentOutboxed(id, "PaymentRefunded"));
  }

  @Test
  void cancellingAQueuedDrinkEndsCancelledAndRefundedExactlyOnce() {
    String id = stack.paidOrder("carol");
    barista("DrinkQueued", id);
    stack.awaitStatus(id, "QUEUED");
    Http.Response r = cancel("carol", id);
    assertEquals(202, r.status(), r.body());
    assertEquals("CANCEL_REQUESTED", r.json().getString("status"));
    assertEquals(409, cancel("carol", id).status());
    Eventually.await(WAIT, "OrderCancelRequested",
        () -> stack.kafka.events(id, "OrderCancelRequested").size() == 1);
    assertEquals("QUEUED",
        stack.kafka.events(id, "OrderCancelRequested").get(0).data().getString("previousStatus"));

    barista("DrinkCancelled", id);
    stack.awaitStatus(id, "CANCELLED");
    assertEquals("CUSTOMER", stack.order().get("/orders/" + id, stack.customer("carol")).json().getString("cancelReason"));
    Eventually.await(WAIT, "OrderCancelled", () -> stack.kafka.events(id, "OrderCancelled").size() == 1);
    assertEquals("CUSTOMER", stack.kafka.events(id, "OrderCancelled").get(0).data().getString("reason"));
    Eventually.await(WAIT, "PaymentRefunded", () -> stack.kafka.events(id, "PaymentRefunded").size() == 1);

    // The same OrderCancelled redelivered, and another one, refund nothing more.
    Event cancelled = stack.kafka.events(id, "OrderCancelled").get(0);
    stack.kafka.publish(Topics.ORDERS, cancelled);
    Event another = new Event(UUID.randomUUID().toString(), cancelled.source(), cancelled.type(), cancelled.time(),
        cancelled.subject(), cancelled.data());
    RecordMetadata last = stack.kafka.publish(Topics.ORDERS, another);
    Eventually.await(WAIT, "payment handled them", () -> stack.kafka.consumed("payment-refunds", last));
    assertEquals(1, stack.paymentOutboxed(id, "PaymentRefunded"));
    assertEquals("REFUNDED",
        stack.payment().get("/payments/" + id, stack.staff("root", "admin")).json().getString("status"));
  }

  @Test
  void aCancellationTheBaristaRefusesReturnsTheOrderToWhereItIs() {
    String id = stack.paidOrder("dave");
    barista("DrinkQueued", id);
    barista("DrinkStarted", id);
    stack.awaitStatus(id, "BREWING");
    assertEquals(202, cancel("dave", id).status());
    barista("DrinkCancelRejected", id, new JsonObject().put("status", "BREWING"));
    stack.awaitStatus(id, "BREWING");
    assertEquals(0, stack.outboxed(id, "OrderCancelled"));

    // Asked again; the drink gets ready before the barista's refusal arrives.
    assertEquals(202, cancel("dave", id).status());
    barista("DrinkReady", id);
    handled(barista("DrinkReady", id));
    assertEquals("CANCEL_REQUESTED", stack.status(id));
    barista("DrinkCancelRejected", id, new JsonObject().put("status", "BREWING"));
    stack.awaitStatus(id, "READY");
    delivery("DeliveryStarted", id);
    stack.awaitStatus(id, "DELIVERING");
    assertEquals(409, cancel("dave", id).status());
    noDeadLetters(id);
  }

  @Test
  void cancelRules() {
    String id = stack.paidOrder("erin");
    assertEquals(403, stack.order().post("/orders/" + id + "/cancel", stack.staff("b1", "barista"), "").status());
    assertEquals(401, stack.order().post("/orders/" + id + "/cancel", null, "").status());
    assertEquals(404, cancel("erin", UUID.randomUUID().toString()).status());
    Http.Response byAdmin = stack.order().post("/orders/" + id + "/cancel", stack.staff("root", "admin"), "");
    assertEquals(202, byAdmin.status());
    Http.Response twice = cancel("erin", id);
    assertEquals(409, twice.status());
    assertEquals("application/problem+json", twice.contentType());
    assertEquals("CANCEL_REQUESTED", twice.json().getString("orderStatus"));

    Http.Response declined = stack.order().post("/orders", stack.customer("erin"), orderBody(DECLINED_CARD, "latte", 1));
    String rejected = declined.json().getString("orderId");
    assertEquals(409, cancel("erin", rejected).status());
    assertEquals("REJECTED", stack.status(rejected));
  }
}
