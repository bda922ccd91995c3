package cafe.mypage.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A stored view as the contract shows it: its public fields in a stable order, nothing internal. */
final class OrderViews {
  private OrderViews() {
  }

  static JsonObject shown(JsonObject stored) {
    JsonObject view = new JsonObject()
        .put("id", stored.getString("id"))
        .put("customerId", stored.getString("customerId"))
        .put("status", stored.getString("status"))
        .put("payment", stored.getString("payment"))
        .put("drink", stored.getString("drink"))
        .put("delivery", stored.getString("delivery"))
        // Redis' JSON writes an empty list as {}; the contract wants a list.
        .put("items", stored.getValue("items") instanceof JsonArray items ? items : new JsonArray())
        .put("total", stored.getValue("total"));
    if (stored.getValue("cancelReason") instanceof String reason) {
      view.put("cancelReason", reason);
    }
    JsonArray timeline = new JsonArray();
    if (stored.getValue("timeline") instanceof JsonArray entries) {
      for (Object entry : entries) {
        if (entry instanceof JsonObject e) {
          timeline.add(new JsonObject().put("event", e.getString("event")).put("at", e.getString("at")));
        }
      }
    }
    return view
        .put("createdAt", stored.getString("createdAt"))
        .put("updatedAt", stored.getString("updatedAt"))
        .put("timeline", timeline);
  }
}
