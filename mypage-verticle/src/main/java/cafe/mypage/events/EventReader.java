package cafe.mypage.events;

import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import cafe.mypage.domain.Change;
import cafe.mypage.domain.Item;
import cafe.mypage.domain.OrderStatus;
import cafe.mypage.domain.Projection;
import cafe.mypage.store.ViewStore.Projected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads an event of the four topics (payloads as docs/events.md has them) into what it means for the view. */
public final class EventReader {
  private EventReader() {
  }

  /** The event to project, or null for a type my page does not show (it is skipped, not parked). */
  public static Projected read(Event event) {
    Change change = change(event.type(), event.data());
    if (change == null) {
      return null;
    }
    String customerId = event.data().getValue("customerId") instanceof String s && !s.isBlank() ? s : null;
    if (customerId == null) {
      throw new BadEventException(event.type() + " " + event.id() + " carries no customerId");
    }
    return new Projected(event.id(), event.orderId(), customerId, event.time(), change);
  }

  static Change change(String type, JsonObject d) {
    return switch (type) {
      case "OrderPlaced" -> Projection.orderPlaced(items(d), number(d, "total"));
      case "OrderCancelRequested" -> Projection.orderCancelRequested(OrderStatus.parse(text(d, "previousStatus")));
      case "OrderCancelled" -> Projection.orderCancelled(text(d, "reason"), number(d, "total"), texts(d, "missing"));
      case "PaymentApproved" -> Projection.paymentApproved(number(d, "amount"));
      case "PaymentDeclined" -> Projection.paymentDeclined(number(d, "amount"), text(d, "reason"));
      case "PaymentRefunded" -> Projection.paymentRefunded(number(d, "amount"));
      case "DrinkQueued" -> Projection.drinkQueued(items(d));
      case "DrinkStarted" -> Projection.drinkStarted();
      case "DrinkReady" -> Projection.drinkReady();
      case "DrinkCancelled" -> Projection.drinkCancelled();
      case "DrinkCancelRejected" -> Projection.drinkCancelRejected(OrderStatus.parse(text(d, "status")));
      case "OutOfStock" -> Projection.outOfStock(texts(d, "missing"));
      case "DeliveryWaiting" -> Projection.deliveryWaiting();
      case "DeliveryStarted" -> Projection.deliveryStarted();
      case "DeliveryCompleted" -> Projection.deliveryCompleted();
      case "DeliveryCancelled" -> Projection.deliveryCancelled();
      default -> null;
    };
  }

  private static List<Item> items(JsonObject d) {
    if (!(d.getValue("items") instanceof JsonArray array)) {
      return null;
    }
    List<Item> items = new ArrayList<>(array.size());
    for (Object o : array) {
      if (o instanceof JsonObject line && line.getValue("menuItemId") instanceof String id) {
        Number qty = line.getValue("qty") instanceof Number n ? n : 1;
        Long price = line.getValue("price") instanceof Number p ? p.longValue() : null;
        items.add(new Item(id, text(line, "name"), qty.intValue(), price));
      }
    }
    return items;
  }

  private static List<String> texts(JsonObject d, String field) {
    if (!(d.getValue(field) instanceof JsonArray array)) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    array.forEach(v -> {
      if (v instanceof String s) {
        values.add(s);
      }
    });
    return values;
  }

  private static String text(JsonObject d, String field) {
    return d.getValue(field) instanceof String s ? s : null;
  }

  private static Long number(JsonObject d, String field) {
    return d.getValue(field) instanceof Number n ? n.longValue() : null;
  }
}
