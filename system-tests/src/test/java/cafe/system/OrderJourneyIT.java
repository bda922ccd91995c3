package cafe.system;

import static cafe.system.CafeStack.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An order's whole journey through the gateway, with the barista and the rider on auto: every way
 * the saga can end when nobody cancels, the stock race at the counter, and what it takes to shake
 * the saga (copies of its events) or to fool it (events of orders it never took).
 */
class OrderJourneyIT {
  private static final List<String> HAPPY_PATH =
      List.of("DrinkQueued", "DrinkStarted", "DrinkReady", "DeliveryWaiting", "DeliveryStarted", "DeliveryCompleted");

  @RegisterExtension
  static final Cafe cafe = Cafe.stack("journey", 100, 100);

  @Test
  void aPaidOrderIsBrewedDeliveredAndEveryPageAgrees() {
    String alice = cafe.newCustomer();
    int lattes = cafe.stock("latte");

    String id = cafe.paidOrder(alice, "latte", 2);
    JsonObject order = cafe.awaitStatus(alice, id, "DELIVERED");

    JsonObject payment = cafe.payment(id);
    assertEquals("APPROVED", payment.getString("status"));
    assertEquals(order.getLong("total"), payment.getLong("amount"));
    assertEquals(lattes - 2, cafe.stock("latte"), "two lattes were taken from the stock");
    assertEquals("READY", cafe.ticket(id).json().getString("status"));

    JsonObject view = Eventually.value(WAIT, "my page shows it delivered", () -> cafe.view(alice, id),
        v -> "DELIVERED".equals(v.getString("status")) && "DeliveryCompleted".equals(last(Cafe.timeline(v))));
    assertEquals("APPROVED", view.getString("payment"));
    assertEquals("READY", view.getString("drink"));
    assertEquals("DELIVERED", view.getString("delivery"));
    assertEquals(order.getLong("total"), view.getLong("total"));
    List<String> timeline = Cafe.timeline(view);
    assertTrue(timeline.containsAll(List.of("OrderPlaced", "PaymentApproved")), timeline.toString());
    assertEquals(HAPPY_PATH, timeline.stream().filter(HAPPY_PATH::contains).toList(),
        "the timeline tells the drink's and the delivery's steps in the order they happened");

    List<JsonObject> notes = Eventually.value(WAIT, "the delivery notification", () -> cafe.notifications(alice, id),
        n -> !n.isEmpty() && "DELIVERED".equals(n.get(0).getString("status")));
    assertTrue(notes.get(0).getString("message").contains("delivered"), notes.get(0).encode());
    List<String> told = notes.stream().map(n -> n.getString("status")).toList();
    assertEquals(told.size(), Set.copyOf(told).size(), "one notification per status change: " + told);
    assertTrue(told.contains("PAID") && told.contains("BREWING"), told.toString());
  }

  @Test
  void anItemOutOfStockCancelsAndRefundsTheOrderAndTakesNothing() {
    String bob = cafe.newCustomer();
    cafe.setStock("croissant", 1);
    int lattes = cafe.stock("latte");

    String id = cafe.paidOrder(bob, "latte", 1, "croissant", 2);
    JsonObject order = cafe.awaitStatus(bob, id, "CANCELLED");

    assertEquals("OUT_OF_STOCK", order.getString("cancelReason"));
    Eventually.await(WAIT, "the payment is refunded", () -> "REFUNDED".equals(cafe.paymentStatus(id)));
    assertEquals(1, cafe.stock("croissant"), "the last croissant is still there");
    assertEquals(lattes, cafe.stock("latte"), "nothing of the order was taken");
    JsonObject view = Eventually.value(WAIT, "my page shows it cancelled and refunded", () -> cafe.view(bob, id),
        v -> "CANCELLED".equals(v.getString("status")) && "REFUNDED".equals(v.getString("payment")));
    assertEquals("OUT_OF_STOCK", view.getString("cancelReason"));
    assertTrue(cafe.notifications(bob, id).stream().anyMatch(n -> n.getString("message").contains("out of croissant")),
        cafe.notifications(bob, id).toString());
    // The tap reads the topics on its own: it may not have read yet what my page has already shown.
    cafe.tap().awaitEvent(id, "PaymentRefunded", WAIT);
    cafe.awaitQuiet();
    assertEquals(1, cafe.tap().events(id, "PaymentRefunded").size());
  }

  @Test
  void aDeliveredOrderCannotBeCancelled() {
    String carol = cafe.newCustomer();
    String id = cafe.paidOrder(carol, "americano", 1);
    cafe.awaitStatus(carol, id, "DELIVERED");

    Http.Response refused = cafe.cancel(carol, id);

    assertEquals(409, refused.status(), refused.body());
    assertTrue(refused.contentType().startsWith("application/problem+json"), refused.contentType());
    assertEquals("DELIVERED", cafe.status(carol, id));
    assertEquals("APPROVED", cafe.paymentStatus(id));
    assertTrue(cafe.tap().events(id, "OrderCancelRequested").isEmpty());
  }

  @Test
  void fiftyOrdersForTheLastTenCroissantsServeExactlyTen() {
    String dave = cafe.newCustomer();
    cafe.setStock("croissant", 10);

    List<CompletableFuture<Http.Response>> sent = IntStream.range(0, 50)
        .mapToObj(i -> cafe.orderAsync(dave, "croissant", 1)).toList();
    List<String> ids = sent.stream().map(CompletableFuture::join).map(Cafe::idOfAccepted).toList();
    assertEquals(50, Set.copyOf(ids).size());

    Map<String, JsonObject> settled = ids.stream()
        .collect(Collectors.toMap(id -> id, id -> cafe.awaitSettled(dave, id)));

    List<String> served = ids.stream().filter(id -> "DELIVERED".equals(settled.get(id).getString("status"))).toList();
    List<String> turnedAway =
        ids.stream().filter(id -> "CANCELLED".equals(settled.get(id).getString("status"))).toList();
    assertEquals(10, served.size(), "exactly the ten croissants were served");
    assertEquals(40, turnedAway.size());
    turnedAway.forEach(id -> assertEquals("OUT_OF_STOCK", settled.get(id).getString("cancelReason"), id));
    Eventually.await(WAIT, "the forty are refunded",
        () -> turnedAway.stream().allMatch(id -> "REFUNDED".equals(cafe.paymentStatus(id))));
    served.forEach(id -> assertEquals("APPROVED", cafe.paymentStatus(id), id));
    assertEquals(0, cafe.stock("croissant"));
    // The stores answer before the tap has read the events (a refund is published after its commit), so
    // it is waited for; once every group is quiet and the tap has read it all, a surplus would show too.
    Eventually.await(WAIT, "the tap saw every order answered and the forty refunds",
        () -> cafe.tap().count(ids, "DrinkQueued") + cafe.tap().count(ids, "OutOfStock") >= 50
            && cafe.tap().count(ids, "PaymentRefunded") >= 40);
    cafe.awaitQuiet();
    assertEquals(10, cafe.tap().count(ids, "DrinkQueued"), "ten tickets were queued");
    assertEquals(40, cafe.tap().count(ids, "OutOfStock"));
    assertEquals(40, cafe.tap().count(ids, "PaymentRefunded"));
  }

  @Test
  void copiesOfAnOrdersEventsChangeNothing() {
    String erin = cafe.newCustomer();
    String delivered = cafe.paidOrder(erin, "cappuccino", 1);
    cafe.setStock("green-tea", 0);
    String refused = cafe.paidOrder(erin, "green-tea", 1);
    cafe.awaitStatus(erin, delivered, "DELIVERED");
    cafe.awaitStatus(erin, refused, "CANCELLED");
    Eventually.await(WAIT, "the refusal is refunded", () -> "REFUNDED".equals(cafe.paymentStatus(refused)));
    // PaymentRefunded leaves payment's outbox after the status is stored: on Kafka before "quiet" means
    // anything, or my page would take it in after the picture below is taken.
    cafe.tap().awaitEvent(refused, "PaymentRefunded", WAIT);
    cafe.awaitQuiet();
    Map<String, Object> before = visible(erin, delivered, refused);

    // The very records the services wrote, read back from the topics and published again as they were.
    List<KafkaTap.Received> originals = cafe.tap().records().stream()
        .filter(r -> Topics.ALL.contains(r.topic()) && r.event() != null)
        .filter(r -> delivered.equals(r.key()) || refused.equals(r.key()))
        .toList();
    assertTrue(originals.size() >= 12, "the two orders' events: " + originals.size());
    List<Runnable> handled = new ArrayList<>();
    for (KafkaTap.Received original : originals) {
      var copy = cafe.tap().publish(original.topic(), original.key(), original.value());
      CafeStack.GROUPS.forEach((group, topics) -> {
        if (topics.contains(original.topic())) {
          handled.add(() -> cafe.tap().awaitHandled(group, copy, WAIT));
        }
      });
    }
    handled.forEach(Runnable::run);
    cafe.awaitQuiet();

    assertEquals(before, visible(erin, delivered, refused));
    for (String id : List.of(delivered, refused)) {
      for (String topic : Topics.ALL) {
        assertTrue(cafe.tap().on(Topics.dlq(topic), id).isEmpty(), "nothing of " + id + " was parked on " + topic);
      }
    }
  }

  /**
   * An earlier stack in this JVM may leave events of its orders on the topics. Order and payment do
   * not know those orders and drop them: nothing is refunded, parked or announced. (Barista and
   * delivery have no list of orders: a stray OrderPlaced or DrinkReady would be served like any
   * other, which is why a stack closes only once every consumer group has caught up.)
   */
  @Test
  void eventsOfOrdersThisCafeNeverTookAreDropped() {
    String stranger = UUID.randomUUID().toString();
    JsonObject data = new JsonObject().put("orderId", stranger).put("customerId", "someone-before");
    List<Runnable> handled = new ArrayList<>();
    for (var sent : List.of(
        Map.entry(Topics.BARISTA,
            Event.of("barista", "DrinkQueued", stranger, data.copy().put("items", new JsonArray()))),
        Map.entry(Topics.BARISTA, Event.of("barista", "DrinkStarted", stranger, data.copy())),
        Map.entry(Topics.DELIVERIES, Event.of("delivery", "DeliveryCompleted", stranger, data.copy())),
        Map.entry(Topics.ORDERS, Event.of("order", "OrderCancelled", stranger,
            data.copy().put("reason", "CUSTOMER").put("total", 4500))))) {
      var record = cafe.tap().publish(sent.getKey(), sent.getValue());
      CafeStack.GROUPS.forEach((group, topics) -> {
        if (topics.contains(sent.getKey())) {
          handled.add(() -> cafe.tap().awaitHandled(group, record, WAIT));
        }
      });
    }
    handled.forEach(Runnable::run);

    assertEquals(404, cafe.http().get("/payments/" + stranger, cafe.adminToken()).status(), "nothing was refunded");
    assertEquals(404, cafe.ticket(stranger).status());
    List<String> published = List.of("DrinkQueued", "DrinkStarted", "DeliveryCompleted", "OrderCancelled");
    List<String> answered = cafe.tap().events(stranger).stream().map(Event::type)
        .filter(type -> !published.contains(type)).toList();
    assertTrue(answered.isEmpty(), "no service answered: " + answered);
    for (String topic : Topics.ALL) {
      assertTrue(cafe.tap().on(Topics.dlq(topic), stranger).isEmpty(), "nothing parked on " + topic);
    }
  }

  /** What the customer, the admin and the barista can see of these orders, and the stock. */
  private static Map<String, Object> visible(String customer, String... ids) {
    Map<String, Object> seen = new LinkedHashMap<>();
    for (String id : ids) {
      seen.put(id + " order", cafe.orderOf(customer, id));
      seen.put(id + " payment", cafe.payment(id));
      seen.put(id + " ticket", cafe.ticket(id).body());
      seen.put(id + " delivery", cafe.http().get("/deliveries/" + id, cafe.adminToken()).body());
      JsonObject view = cafe.view(customer, id);
      assertNotNull(view, id);
      seen.put(id + " view", view);
      seen.put(id + " notifications", cafe.notifications(customer, id));
      seen.put(id + " events", cafe.tap().events(id).stream().map(Event::id).sorted().toList());
    }
    seen.put("stock", cafe.http().get("/barista/stock", cafe.baristaToken()).array());
    return seen;
  }

  private static String last(List<String> list) {
    return list.isEmpty() ? null : list.get(list.size() - 1);
  }
}
