package cafe.delivery.it;

import cafe.common.events.Event;
import cafe.common.launch.ServiceRuntime;
import cafe.delivery.DeliveryService;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.testkit.Http;
import cafe.testkit.RunningService;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One delivery service running in the test JVM on the shared infrastructure, and how to talk to it. */
public final class Depot implements AutoCloseable {
  public static final String RIDER_TOKEN = TestTokens.shared().token("rider-1", "rider");
  public static final String ADMIN_TOKEN = TestTokens.shared().token("admin-1", "admin");
  public static final String CUSTOMER_TOKEN = TestTokens.shared().token("alice", "customer");

  public final ServiceRuntime runtime;
  public final Http http;
  private final RunningService service;

  private Depot(RunningService service) {
    this.service = service;
    this.runtime = service.runtime();
    this.http = service.http();
  }

  public static LocalInfra infra() {
    return TestInfra.shared();
  }

  public static Depot start(String database, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(Map.of("MONGO_URL", infra().mongoUrl(database)));
    env.putAll(settings);
    return new Depot(RunningService.start("delivery", DeliveryService::start, env));
  }

  public Http.Response delivery(String orderId) {
    return http.get("/deliveries/" + orderId, RIDER_TOKEN);
  }

  public String status(String orderId) {
    return delivery(orderId).json().getString("status");
  }

  @Override
  public void close() {
    service.close();
  }

  public static String newOrderId() {
    return "ord-" + UUID.randomUUID();
  }

  /** DrinkReady as the barista writes it. */
  public static Event drinkReady(String orderId) {
    return Event.of("barista", "DrinkReady", orderId, new JsonObject()
        .put("orderId", orderId).put("customerId", "alice").put("address", "7 Crema Lane"));
  }

  /** OrderCancelled as the order service writes it. */
  public static Event orderCancelled(String orderId) {
    return Event.of("order", "OrderCancelled", orderId, new JsonObject()
        .put("orderId", orderId).put("customerId", "alice").put("reason", "CUSTOMER").put("total", 4500));
  }
}
