package cafe.common.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope (JSON format). {@code subject} carries the order id, which is also
 * the Kafka key: the correlation key that keeps one order's events in order.
 */
public record Event(String id, String source, String type, Instant time, String subject, JsonObject data) {

  public static final String SPEC_VERSION = "1.0";

  public Event {
    require(id, "id");
    require(source, "source");
    require(type, "type");
    require(subject, "subject");
    if (time == null) {
      throw new BadEventException("time is missing");
    }
    data = data == null ? new JsonObject() : data;
  }

  /** A new event with a fresh id, stamped now. */
  public static Event of(String source, String type, String orderId, JsonObject data) {
    return new Event(UUID.randomUUID().toString(), source, type, Instant.now(), orderId, data);
  }

  public String orderId() {
    return subject;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("specversion", SPEC_VERSION)
        .put("id", id)
        .put("source", source)
        .put("type", type)
        .put("time", time.toString())
        .put("subject", subject)
        .put("datacontenttype", "application/json")
        .put("data", data);
  }

  public String encode() {
    return toJson().encode();
  }

  public static Event fromJson(JsonObject json) {
    if (!SPEC_VERSION.equals(json.getValue("specversion"))) {
      throw new BadEventException("specversion must be 1.0");
    }
    Instant time;
    try {
      time = Instant.parse(text(json, "time"));
    } catch (RuntimeException e) {
      throw new BadEventException("time is not an RFC 3339 timestamp");
    }
    Object data = json.getValue("data");
    if (data != null && !(data instanceof JsonObject)) {
      throw new BadEventException("data must be a JSON object");
    }
    return new Event(text(json, "id"), text(json, "source"), text(json, "type"), time,
        text(json, "subject"), (JsonObject) data);
  }

  /** Parses a Kafka value; anything that is not a valid envelope is a {@link BadEventException}. */
  public static Event parse(String value) {
    if (value == null) {
      throw new BadEventException("empty value");
    }
    try {
      return fromJson(new JsonObject(value));
    } catch (DecodeException | ClassCastException e) {
      throw new BadEventException("not a JSON object: " + e.getMessage());
    }
  }

  private static String text(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new BadEventException(field + " is missing");
    }
    return s;
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new BadEventException(field + " is missing");
    }
  }
}
