package cafe.order.store;

import cafe.common.events.Event;
import cafe.order.domain.Order;
import cafe.order.domain.OrderEvent;
import cafe.order.domain.OrderEvent.OrderCancelRequested;
import cafe.order.domain.OrderEvent.OrderCancelled;
import cafe.order.domain.OrderEvent.OrderPlaced;
import cafe.order.domain.OrderLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The order's domain events as the envelopes docs/events.md describes. */
public final class OrderMessages {
  public static final String SOURCE = "order";

  private OrderMessages() {
  }

  public static List<Event> toEvents(List<OrderEvent> events) {
    List<Event> envelopes = new ArrayList<>(events.size());
    for (OrderEvent e : events) {
      envelopes.add(toEvent(e));
    }
    return envelopes;
  }

  public static Event toEvent(OrderEvent e) {
    Order order = e.order();
    JsonObject data = new JsonObject()
        .put("orderId", order.id().toString())
        .put("customerId", order.customerId());
    String type;
    if (e instanceof OrderPlaced) {
      type = "OrderPlaced";
      JsonArray items = new JsonArray();
      for (OrderLine line : order.lines()) {
        items.add(new JsonObject().put("menuItemId", line.menuItemId()).put("name", line.name())
            .put("qty", line.qty()).put("price", line.price()));
      }
      data.put("items", items).put("total", order.total()).put("address", order.address());
    } else if (e instanceof OrderCancelRequested requested) {
      type = "OrderCancelRequested";
      data.put("previousStatus", requested.previousStatus().name());
    } else if (e instanceof OrderCancelled cancelled) {
      type = "OrderCancelled";
      data.put("reason", cancelled.reason().name()).put("total", order.total());
      if (!cancelled.missing().isEmpty()) {
        data.put("missing", new JsonArray(cancelled.missing()));
      }
    } else {
      throw new IllegalArgumentException("no message for " + e.getClass().getSimpleName());
    }
    return Event.of(SOURCE, type, order.id().toString(), data);
  }
}
