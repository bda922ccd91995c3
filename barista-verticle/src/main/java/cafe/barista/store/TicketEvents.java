package cafe.barista.store;

import cafe.barista.domain.BaristaEvent;
import cafe.barista.domain.BaristaEvent.DrinkCancelRejected;
import cafe.barista.domain.BaristaEvent.DrinkQueued;
import cafe.barista.domain.BaristaEvent.DrinkReady;
import cafe.barista.domain.BaristaEvent.OutOfStock;
import cafe.barista.domain.Ticket;
import cafe.barista.domain.TicketLine;
import cafe.common.events.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The contract's {@code cafe.barista} events (docs/events.md), built from what the domain decided. */
public final class TicketEvents {
  public static final String SOURCE = "barista";

  private TicketEvents() {
  }

  public static Event of(Ticket ticket, BaristaEvent event) {
    JsonObject data = new JsonObject().put("orderId", ticket.orderId()).put("customerId", ticket.customerId());
    if (event instanceof DrinkQueued queued) {
      data.put("items", lines(queued.items()));
    } else if (event instanceof DrinkReady ready) {
      data.put("address", ready.address());
    } else if (event instanceof DrinkCancelRejected rejected) {
      data.put("status", rejected.status().name());
    } else if (event instanceof OutOfStock out) {
      data.put("missing", new JsonArray(List.copyOf(out.missing())));
    }
    return Event.of(SOURCE, event.type(), ticket.orderId(), data);
  }

  static JsonArray lines(List<TicketLine> items) {
    JsonArray lines = new JsonArray();
    for (TicketLine line : items) {
      lines.add(new JsonObject().put("menuItemId", line.menuItemId()).put("name", line.name()).put("qty", line.qty()));
    }
    return lines;
  }
}
