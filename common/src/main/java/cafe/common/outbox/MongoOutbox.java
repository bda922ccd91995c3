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
        .put("event", event.encode())
        // When it was written, so the relay can tell how long events wait (cafe_outbox_lag_seconds).
        .put("at", System.currentTimeMillis());
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

  /** Tells this process's relay that something was written somewhere: it looks through its collections. */
  public static void wake(Vertx vertx) {
    vertx.eventBus().send(WAKE_ADDRESS, null);
  }

  /**
   * Tells this process's relay which document has new events, so it publishes that one document
   * instead of looking through the whole collection.
   */
  public static void wake(Vertx vertx, String collection, Object documentId) {
    vertx.eventBus().send(WAKE_ADDRESS, new JsonObject().put("collection", collection).put("id", documentId));
  }
}
