package cafe.barista.events;

import cafe.barista.counter.Counter;
import cafe.barista.domain.PlacedOrder;
import cafe.barista.domain.TicketLine;
import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import cafe.common.kafka.EventConsumer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code cafe.orders} into the bar (group {@code barista}): OrderPlaced and OrderCancelRequested. */
public final class OrderEvents implements EventConsumer.Handler {
  public static final String GROUP = "barista";
  /** Menu item ids become field names in the stock document, so only plain names are accepted. */
  private static final Pattern MENU_ITEM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Counter counter;

  public OrderEvents(Counter counter) {
    this.counter = counter;
  }

  @Override
  public Future<Void> handle(Event event) {
    return switch (event.type()) {
      case "OrderPlaced" -> counter.takeOrder(placedOrder(event), event);
      case "OrderCancelRequested" -> counter.cancel(event.orderId(), event.data().getString("customerId"), event);
      default -> Future.succeededFuture();
    };
  }

  static PlacedOrder placedOrder(Event event) {
    JsonObject data = event.data();
    Object rawItems = data.getValue("items");
    if (!(rawItems instanceof JsonArray items) || items.isEmpty()) {
      throw new BadEventException("OrderPlaced " + event.id() + " has no items");
    }
    List<TicketLine> lines = new ArrayList<>();
    for (Object raw : items) {
      if (!(raw instanceof JsonObject item) || !(item.getValue("menuItemId") instanceof String menuItemId)
          || !MENU_ITEM_ID.matcher(menuItemId).matches()
          || !(item.getValue("qty") instanceof Number qty) || qty.intValue() != qty.doubleValue()) {
        throw new BadEventException("OrderPlaced " + event.id() + " has a malformed item: " + raw);
      }
      try {
        lines.add(new TicketLine(menuItemId, item.getString("name"), qty.intValue()));
      } catch (IllegalArgumentException e) {
        throw new BadEventException("OrderPlaced " + event.id() + ": " + e.getMessage());
      }
    }
    return new PlacedOrder(event.orderId(), data.getString("customerId"), lines, data.getString("address"));
  }
}
