package cafe.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventTest {

  @Test
  void envelopeRoundTripsAsCloudEvent() {
    Event placed = Event.of("order", "OrderPlaced", "o-1", new JsonObject().put("total", 9000));
    JsonObject json = new JsonObject(placed.encode());
    assertEquals("1.0", json.getString("specversion"));
    assertEquals("o-1", json.getString("subject"));
    assertEquals("OrderPlaced", json.getString("type"));
    assertEquals(placed, Event.parse(placed.encode()));
  }

  @Test
  void anythingButAnEnvelopeIsRefused() {
    assertThrows(BadEventException.class, () -> Event.parse("not json"));
    assertThrows(BadEventException.class, () -> Event.parse("[1,2]"));
    assertThrows(BadEventException.class, () -> Event.parse("{\"specversion\":\"1.0\",\"id\":\"x\"}"));
    String noSubject = Event.of("order", "OrderPlaced", "o-1", null).toJson().put("subject", "").encode();
    assertThrows(BadEventException.class, () -> Event.parse(noSubject));
    String badTime = Event.of("order", "OrderPlaced", "o-1", null).toJson().put("time", "yesterday").encode();
    assertThrows(BadEventException.class, () -> Event.parse(badTime));
  }
}
