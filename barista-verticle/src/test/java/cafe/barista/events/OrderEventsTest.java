package cafe.barista.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cafe.barista.domain.PlacedOrder;
import cafe.barista.domain.TicketLine;
import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderEventsTest {
  private static Event placed(JsonArray items) {
    return Event.of("order", "OrderPlaced", "o1", new JsonObject()
        .put("orderId", "o1").put("customerId", "alice").put("items", items).put("total", 9000).put("address", "here"));
  }

  @Test
  void anOrderPlacedBecomesAPlacedOrder() {
    PlacedOrder order = OrderEvents.placedOrder(placed(new JsonArray()
        .add(new JsonObject().put("menuItemId", "latte").put("name", "Latte").put("qty", 2).put("price", 4500))));
    assertEquals(new PlacedOrder("o1", "alice", List.of(new TicketLine("latte", "Latte", 2)), "here"), order);
  }

  @Test
  void anOrderPlacedWithoutUsableItemsIsABadEvent() {
    assertThrows(BadEventException.class, () -> OrderEvents.placedOrder(placed(new JsonArray())));
    assertThrows(BadEventException.class, () -> OrderEvents.placedOrder(placed(new JsonArray().add("latte"))));
    assertThrows(BadEventException.class, () -> OrderEvents.placedOrder(placed(new JsonArray()
        .add(new JsonObject().put("menuItemId", "latte").put("qty", 1.5)))));
    assertThrows(BadEventException.class, () -> OrderEvents.placedOrder(placed(new JsonArray()
        .add(new JsonObject().put("menuItemId", "latte").put("qty", 0)))));
    assertThrows(BadEventException.class, () -> OrderEvents.placedOrder(placed(new JsonArray()
        .add(new JsonObject().put("qty", 1)))));
    assertThrows(BadEventException.class, () -> OrderEvents.placedOrder(placed(new JsonArray()
        .add(new JsonObject().put("menuItemId", "$where.x").put("qty", 1)))));
  }
}
