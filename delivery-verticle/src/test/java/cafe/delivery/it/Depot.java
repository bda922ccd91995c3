package cafe.delivery.it;

import static java.util.concurrent.TimeUnit.SECONDS;

import cafe.common.config.Env;
import cafe.common.events.Event;
import cafe.common.launch.ServiceRuntime;
import cafe.delivery.DeliveryService;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
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

  private Depot(ServiceRuntime runtime, int port) {
    this.runtime = runtime;
    this.http = new Http(port);
  }

  public static LocalInfra infra() {
    return TestInfra.shared();
  }

  public static Depot start(String database, Map<String, String> settings) {
    LocalInfra infra = infra();
    Map<String, String> env = new HashMap<>(Map.of(
        "HTTP_PORT", "0",
        "HTTP_INSTANCES", "1",
        "KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap(),
        "MONGO_URL", infra.mongoUrl(database),
        "JWT_PUBLIC_KEY", TestTokens.shared().publicKeyPem(),
        "SHUTDOWN_TIMEOUT_MS", "3000"));
    env.putAll(settings);
    ServiceRuntime runtime = ServiceRuntime.create("delivery", new Env(env));
    try {
      int port = DeliveryService.start(runtime).toCompletionStage().toCompletableFuture().get(60, SECONDS);
      return new Depot(runtime, port);
    } catch (Exception e) {
      runtime.shutdown();
      throw new IllegalStateException("delivery did not start: " + e.getMessage(), e);
    }
  }

  public Http.Response delivery(String orderId) {
    return http.get("/deliveries/" + orderId, RIDER_TOKEN);
  }

  public String status(String orderId) {
    return delivery(orderId).json().getString("status");
  }

  @Override
  public void close() {
    try {
      runtime.shutdown().toCompletionStage().toCompletableFuture().get(30, SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("delivery did not stop: " + e.getMessage(), e);
    }
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
