package cafe.barista.it;

import cafe.barista.BaristaService;
import cafe.common.events.Event;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.testkit.Http;
import cafe.testkit.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One barista service running in the test JVM on the shared infrastructure, and how to talk to it. */
public final class Bar implements AutoCloseable {
  public static final String BARISTA_TOKEN = TestTokens.shared().token("barista-1", "barista");
  public static final String ADMIN_TOKEN = TestTokens.shared().token("admin-1", "admin");
  public static final String CUSTOMER_TOKEN = TestTokens.shared().token("alice", "customer");

  public final ServiceRuntime runtime;
  public final Http http;
  private final RunningService service;

  private Bar(RunningService service) {
    this.service = service;
    this.runtime = service.runtime();
    this.http = service.http();
  }

  public static LocalInfra infra() {
    return TestInfra.shared();
  }

  public static Bar start(String database, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(Map.of("MONGO_URL", infra().mongoUrl(database)));
    env.putAll(settings);
    return new Bar(RunningService.start("barista", BaristaService::start, env));
  }

  public int stock(String item) {
    Http.Response response = http.get("/barista/stock", BARISTA_TOKEN);
    JsonArray levels = response.array();
    for (int i = 0; i < levels.size(); i++) {
      JsonObject level = levels.getJsonObject(i);
      if (level.getString("menuItemId").equals(item)) {
        return level.getInteger("quantity");
      }
    }
    throw new AssertionError(item + " is not in the stock: " + response);
  }

  public void setStock(String item, int quantity) {
    Http.Response response = http.put("/barista/stock/" + item, ADMIN_TOKEN, "{\"quantity\":" + quantity + "}");
    if (response.status() != 200) {
      throw new AssertionError("could not set the stock of " + item + ": " + response);
    }
  }

  public Http.Response ticket(String orderId) {
    return http.get("/barista/tickets/" + orderId, BARISTA_TOKEN);
  }

  @Override
  public void close() {
    service.close();
  }

  public static String newOrderId() {
    return "ord-" + UUID.randomUUID();
  }

  /** OrderPlaced as the order service writes it; {@code items} alternate menu item id and quantity. */
  public static Event orderPlaced(String orderId, Object... items) {
    JsonArray lines = new JsonArray();
    int total = 0;
    for (int i = 0; i < items.length; i += 2) {
      int qty = (Integer) items[i + 1];
      lines.add(new JsonObject().put("menuItemId", items[i]).put("name", "The " + items[i]).put("qty", qty).put("price", 4500));
      total += 4500 * qty;
    }
    return Event.of("order", "OrderPlaced", orderId, new JsonObject()
        .put("orderId", orderId).put("customerId", "alice").put("items", lines).put("total", total)
        .put("address", "12 Bean Street"));
  }

  public static Event cancelRequested(String orderId, String previousStatus) {
    return Event.of("order", "OrderCancelRequested", orderId, new JsonObject()
        .put("orderId", orderId).put("customerId", "alice").put("previousStatus", previousStatus));
  }
}
