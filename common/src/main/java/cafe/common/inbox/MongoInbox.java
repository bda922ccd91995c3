package cafe.common.inbox;

import cafe.common.events.Event;
import cafe.common.outbox.Updates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The document inbox: the ids of events applied to an aggregate are kept in its document, and an
 * update matches only while the event's id is absent. Effect and de-duplication are one atomic
 * update; a duplicate simply matches nothing.
 */
public final class MongoInbox {
  public static final String FIELD = "appliedEvents";

  private MongoInbox() {
  }

  /** Narrows a filter to documents that have not yet applied this event. */
  public static JsonObject notApplied(JsonObject filter, Event event) {
    return filter.put(FIELD, new JsonObject().put("$ne", event.id()));
  }

  /** Records the event id in the same update that applies it. */
  public static JsonObject markApplied(JsonObject update, Event event) {
    return Updates.push(update, FIELD, new JsonArray().add(event.id()));
  }

  /** The inbox array of a document created by this event. */
  public static JsonArray appliedBy(Event event) {
    return new JsonArray().add(event.id());
  }

  /** True when the document has applied this event. */
  public static boolean hasApplied(JsonObject document, Event event) {
    return document != null && document.getJsonArray(FIELD, new JsonArray()).contains(event.id());
  }
}
