package cafe.mypage;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.testkit.KafkaTap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * The events the services write for one order, with the payloads of docs/events.md. Each call is
 * one step later in time than the one before, as the saga would stamp them.
 */
final class Saga {
  /** An event and the topic its service writes it to. */
  record Sent(String topic, Event event) {
  }

  /** Publishes the events in turn, each keyed by its order id, as the services would. */
  static void publish(KafkaTap kafka, Sent... events) {
    for (Sent sent : events) {
      kafka.publish(sent.topic(), sent.event());
    }
  }

  final String orderId = "order-" + UUID.randomUUID();
  final String customerId;
  final String item;
  final String itemName;
  final long price;
  private Instant clock = Instant.now().minusSeconds(60);

  Saga(String customerId) {
    this(customerId, "latte", "Latte", 5000);
  }

  Saga(String customerId, String item, String itemName, long price) {
    this.customerId = customerId;
    this.item = item;
    this.itemName = itemName;
    this.price = price;
  }

  Sent paymentApproved() {
    return sent(Topics.PAYMENTS, "payment", "PaymentApproved", data().put("amount", price));
  }

  Sent paymentDeclined() {
    return sent(Topics.PAYMENTS, "payment", "PaymentDeclined", data().put("amount", price).put("reason", "card declined"));
  }

  Sent paymentRefunded() {
    return sent(Topics.PAYMENTS, "payment", "PaymentRefunded", data().put("amount", price));
  }

  Sent orderPlaced() {
    return sent(Topics.ORDERS, "order", "OrderPlaced", data().put("items", items()).put("total", price)
        .put("address", "1 Bean Street"));
  }

  Sent orderCancelRequested(String previousStatus) {
    return sent(Topics.ORDERS, "order", "OrderCancelRequested", data().put("previousStatus", previousStatus));
  }

  Sent orderCancelled(String reason) {
    return sent(Topics.ORDERS, "order", "OrderCancelled", data().put("reason", reason).put("total", price));
  }

  Sent drinkQueued() {
    return sent(Topics.BARISTA, "barista", "DrinkQueued", data().put("items", items()));
  }

  Sent drinkStarted() {
    return sent(Topics.BARISTA, "barista", "DrinkStarted", data());
  }

  Sent drinkReady() {
    return sent(Topics.BARISTA, "barista", "DrinkReady", data().put("address", "1 Bean Street"));
  }

  Sent drinkCancelled() {
    return sent(Topics.BARISTA, "barista", "DrinkCancelled", data());
  }

  Sent drinkCancelRejected(String status) {
    return sent(Topics.BARISTA, "barista", "DrinkCancelRejected", data().put("status", status));
  }

  Sent outOfStock() {
    return sent(Topics.BARISTA, "barista", "OutOfStock", data().put("missing", new JsonArray().add(item)));
  }

  Sent deliveryWaiting() {
    return sent(Topics.DELIVERIES, "delivery", "DeliveryWaiting", data().put("address", "1 Bean Street"));
  }

  Sent deliveryStarted() {
    return sent(Topics.DELIVERIES, "delivery", "DeliveryStarted", data().put("rider", "rider"));
  }

  Sent deliveryCompleted() {
    return sent(Topics.DELIVERIES, "delivery", "DeliveryCompleted", data());
  }

  Sent deliveryCancelled() {
    return sent(Topics.DELIVERIES, "delivery", "DeliveryCancelled", data());
  }

  private JsonArray items() {
    return new JsonArray().add(new JsonObject().put("menuItemId", item).put("name", itemName).put("qty", 1)
        .put("price", price));
  }

  private JsonObject data() {
    return new JsonObject().put("orderId", orderId).put("customerId", customerId);
  }

  private Sent sent(String topic, String source, String type, JsonObject data) {
    clock = clock.plusMillis(250);
    return new Sent(topic, new Event(UUID.randomUUID().toString(), source, type, clock, orderId, data));
  }
}
