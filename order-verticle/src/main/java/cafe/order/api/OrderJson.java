package cafe.order.api;

import cafe.order.domain.MenuItem;
import cafe.order.domain.Order;
import cafe.order.domain.OrderLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Orders and menu items as the public contract shows them. */
final class OrderJson {
  private OrderJson() {
  }

  static JsonObject order(Order order) {
    JsonArray items = new JsonArray();
    for (OrderLine line : order.lines()) {
      items.add(new JsonObject().put("menuItemId", line.menuItemId()).put("qty", line.qty())
          .put("price", line.price()));
    }
    JsonObject json = new JsonObject()
        .put("id", order.id().toString())
        .put("customerId", order.customerId())
        .put("status", order.status().name())
        .put("items", items)
        .put("total", order.total())
        .put("createdAt", order.createdAt().toString())
        .put("updatedAt", order.updatedAt().toString());
    if (order.cancelReason() != null) {
      json.put("cancelReason", order.cancelReason().name());
    }
    return json;
  }

  static JsonObject menuItem(MenuItem item) {
    return new JsonObject().put("id", item.id()).put("name", item.name()).put("price", item.price())
        .put("available", item.available());
  }
}
