package cafe.common.outbox;

import cafe.common.events.Event;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The document outbox: pending events live inside the aggregate's own document and change in the
 * same atomic update as its state, so MongoDB needs no multi-document transaction for it.
 */
public final class MongoOutbox {
  public static final String FIELD = "outbox";
  /** Local event-bus address the relay of this process listens on. */
  public static final String WAKE_ADDRESS = "cafe.outbox.wake";

  private MongoOutbox() {
  }

  public static JsonObject entry(String topic, Event event) {
    return new JsonObject()
        .put("id", event.id())
        .put("topic", topic)
        .put("key", event.orderId())
        .put("event", event.encode());
  }

  /** The outbox array for a document being inserted. */
  public static JsonArray entries(String topic, List<Event> events) {
    JsonArray array = new JsonArray();
    events.forEach(e -> array.add(entry(topic, e)));
    return array;
  }

  /** Adds {@code $push: {outbox: {$each: [...]}}} to an update document and returns it. */
  public static JsonObject push(JsonObject update, String topic, List<Event> events) {
    if (!events.isEmpty()) {
      Updates.push(update, FIELD, entries(topic, events));
    }
    return update;
  }

  /** Tells this process's relay that something was written. */
  public static void wake(Vertx vertx) {
    vertx.eventBus().send(WAKE_ADDRESS, null);
  }
}
