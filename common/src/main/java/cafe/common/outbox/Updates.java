package cafe.common.outbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Merges {@code $push ... $each} clauses, so the outbox and the inbox share one update. */
public final class Updates {
  private Updates() {
  }

  public static JsonObject push(JsonObject update, String field, JsonArray values) {
    JsonObject push = update.getJsonObject("$push");
    if (push == null) {
      push = new JsonObject();
      update.put("$push", push);
    }
    JsonObject each = push.getJsonObject(field);
    if (each == null) {
      push.put(field, new JsonObject().put("$each", values.copy()));
    } else {
      each.getJsonArray("$each").addAll(values);
    }
    return update;
  }
}
