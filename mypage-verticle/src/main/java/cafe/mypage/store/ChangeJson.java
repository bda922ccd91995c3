package cafe.mypage.store;

import cafe.mypage.domain.Change;
import cafe.mypage.domain.Facts;
import cafe.mypage.domain.Item;
import cafe.mypage.domain.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A change as the projection script reads it; absent values are left out (the script never sees null). */
final class ChangeJson {
  private ChangeJson() {
  }

  static String encode(Change change) {
    JsonObject json = new JsonObject()
        .put("event", change.event())
        .put("effect", change.effect().name())
        .put("status", change.status().name())
        .put("rank", change.status().rank())
        .put("cancellable", change.status().cancellable())
        .put("message", change.message())
        .put("always", change.alwaysNotify());
    step(json, "payment", change.payment());
    step(json, "drink", change.drink());
    step(json, "delivery", change.delivery());
    Facts facts = change.facts();
    json.put("firsthand", facts.firsthand());
    if (facts.items() != null && !facts.items().isEmpty()) {
      JsonArray items = new JsonArray();
      for (Item item : facts.items()) {
        JsonObject line = new JsonObject().put("menuItemId", item.menuItemId()).put("qty", item.qty());
        if (item.price() != null) {
          line.put("price", item.price());
        }
        items.add(line);
      }
      json.put("items", items);
    }
    if (facts.total() != null) {
      json.put("total", facts.total());
    }
    if (facts.what() != null) {
      json.put("what", facts.what());
    }
    if (facts.cancelReason() != null) {
      json.put("cancelReason", facts.cancelReason());
    }
    return json.encode();
  }

  private static void step(JsonObject json, String part, Step step) {
    if (step != null) {
      json.put(part, new JsonObject().put("value", step.name()).put("rank", step.rank()));
    }
  }
}
