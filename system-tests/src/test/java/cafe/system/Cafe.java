package cafe.system;

import static cafe.system.CafeStack.GOOD_CARD;
import static cafe.system.CafeStack.WAIT;

import cafe.common.events.Topics;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The cafe as its users meet it, through the gateway only: customers order and follow their orders
 * on my page, the barista keeps the stock, the admin looks up payments. Registered on a test class
 * ({@code @RegisterExtension static final Cafe cafe = Cafe.stack(...)}), it starts a {@link CafeStack}
 * before the class's tests and closes it after them, with a {@link KafkaTap} on the cafe's topics
 * (and their dead-letter topics) for what the services say to each other.
 */
public final class Cafe implements BeforeAllCallback, AfterAllCallback {
  public static final String ADDRESS = "12 Bean Street";
  /** Where an order's saga ends. */
  public static final Set<String> SETTLED = Set.of("DELIVERED", "CANCELLED", "REJECTED");

  private final Supplier<CafeStack> starter;
  private CafeStack stack;
  private KafkaTap tap;
  private Http http;
  private String barista;
  private String admin;

  private Cafe(Supplier<CafeStack> starter) {
    this.starter = starter;
  }

  /** A cafe whose databases are named after {@code name}; barista and rider on auto with these delays (0: by hand). */
  public static Cafe stack(String name, long autoBrewMs, long autoDeliverMs, Map<String, String> extra) {
    return new Cafe(() -> CafeStack.start(name, autoBrewMs, autoDeliverMs, extra));
  }

  public static Cafe stack(String name, long autoBrewMs, long autoDeliverMs) {
    return stack(name, autoBrewMs, autoDeliverMs, Map.of());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    stack = starter.get();
    http = stack.http();
    barista = stack.staff("barista");
    admin = stack.staff("admin");
    List<String> topics = new ArrayList<>(Topics.ALL);
    Topics.ALL.forEach(topic -> topics.add(Topics.dlq(topic)));
    tap = KafkaTap.open(CafeStack.infra().kafkaBootstrap(), topics);
    // The groups are shared with the stacks before this one, whose close may have given up waiting for
    // them: what they left is served now (its orders are unknown here), not during this class's tests.
    awaitQuiet();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (tap != null) {
      tap.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  public CafeStack stack() {
    return stack;
  }

  public KafkaTap tap() {
    return tap;
  }

  public Http http() {
    return http;
  }

  public String baristaToken() {
    return barista;
  }

  public String adminToken() {
    return admin;
  }

  /** Waits until every consumer group has handled everything on its topics, and the tap has read it all. */
  public void awaitQuiet() {
    CafeStack.awaitQuiet(tap, WAIT);
    tap.awaitRecorded(WAIT);
  }

  /** A new customer, signed up through the gateway; answers their token. */
  public String newCustomer() {
    return stack.newCustomer();
  }

  // Ordering ------------------------------------------------------------------------------------------

  /** An order's body; {@code items} alternate menu item id and quantity. */
  public static String orderBody(String card, Object... items) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < items.length; i += 2) {
      lines.add(new JsonObject().put("menuItemId", items[i]).put("qty", items[i + 1]));
    }
    return new JsonObject().put("items", lines).put("card", card).put("address", ADDRESS).encode();
  }

  public Http.Response order(String customer, Object... items) {
    return http.post("/orders", customer, orderBody(GOOD_CARD, items),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  public CompletableFuture<Http.Response> orderAsync(String customer, Object... items) {
    return http.postAsync("/orders", customer, orderBody(GOOD_CARD, items),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  /**
   * Places an order with a good card; answers its id once it is paid. Paid at once is 201 PAID; when
   * payment was slow to answer (202 PAYMENT_PENDING, e.g. right after a burst opened its circuit)
   * the order's retrier charges it a little later.
   */
  public String paidOrder(String customer, Object... items) {
    Http.Response placed = order(customer, items);
    String id = idOfAccepted(placed);
    if (placed.status() == 202) {
      JsonObject paid = Eventually.value(WAIT, "order " + id + " charged", () -> orderOf(customer, id),
          order -> !"PAYMENT_PENDING".equals(order.getString("status")));
      if ("REJECTED".equals(paid.getString("status"))) {
        throw new AssertionError("a good card was declined: " + paid);
      }
    }
    return id;
  }

  /** The id of an order the answer says is paid, or will be (202 PAYMENT_PENDING: payment was slow). */
  public static String idOfAccepted(Http.Response placed) {
    if (placed.status() != 201 && placed.status() != 202) {
      throw new AssertionError("the order was not taken: " + placed);
    }
    return placed.json().getString("id");
  }

  public JsonObject orderOf(String customer, String orderId) {
    Http.Response answer = http.get("/orders/" + orderId, customer);
    if (answer.status() != 200) {
      throw new AssertionError("GET /orders/" + orderId + " answered " + answer);
    }
    return answer.json();
  }

  public String status(String customer, String orderId) {
    return orderOf(customer, orderId).getString("status");
  }

  /** Waits until the order shows {@code status}; answers the order as it was then. */
  public JsonObject awaitStatus(String customer, String orderId, String status) {
    return Eventually.value(WAIT, "order " + orderId + " " + status, () -> orderOf(customer, orderId),
        order -> status.equals(order.getString("status")));
  }

  /** Waits until the order's saga has ended (DELIVERED, CANCELLED or REJECTED); answers the order. */
  public JsonObject awaitSettled(String customer, String orderId) {
    return Eventually.value(WAIT, "order " + orderId + " settled", () -> orderOf(customer, orderId),
        order -> SETTLED.contains(order.getString("status")));
  }

  public Http.Response cancel(String customer, String orderId) {
    return http.post("/orders/" + orderId + "/cancel", customer);
  }

  // Payments (admin) --------------------------------------------------------------------------------

  public JsonObject payment(String orderId) {
    Http.Response answer = http.get("/payments/" + orderId, admin);
    if (answer.status() != 200) {
      throw new AssertionError("GET /payments/" + orderId + " answered " + answer);
    }
    return answer.json();
  }

  public String paymentStatus(String orderId) {
    return payment(orderId).getString("status");
  }

  // The bar (barista) ---------------------------------------------------------------------------------

  public int stock(String item) {
    Http.Response answer = http.get("/barista/stock", barista);
    for (Object level : answer.array()) {
      JsonObject l = (JsonObject) level;
      if (item.equals(l.getString("menuItemId"))) {
        return l.getInteger("quantity");
      }
    }
    throw new AssertionError(item + " is not in the stock: " + answer);
  }

  public void setStock(String item, int quantity) {
    Http.Response answer = http.put("/barista/stock/" + item, barista, new JsonObject().put("quantity", quantity));
    if (answer.status() != 200) {
      throw new AssertionError("could not set the stock of " + item + ": " + answer);
    }
  }

  public Http.Response ticket(String orderId) {
    return http.get("/barista/tickets/" + orderId, barista);
  }

  /** The board's tickets in these statuses (comma list), as many as the board shows (500). */
  public List<JsonObject> tickets(String statuses) {
    Http.Response answer = http.get("/barista/tickets?limit=500&status=" + statuses, barista);
    if (answer.status() != 200) {
      throw new AssertionError("the ticket board answered " + answer);
    }
    return answer.array().stream().map(JsonObject.class::cast).toList();
  }

  /** The deliveries in this status, as many as the list shows (500), as admin sees them. */
  public List<JsonObject> deliveries(String status) {
    Http.Response answer = http.get("/deliveries?limit=500&status=" + status, admin);
    if (answer.status() != 200) {
      throw new AssertionError("the deliveries answered " + answer);
    }
    return answer.array().stream().map(JsonObject.class::cast).toList();
  }

  // My page (customer) --------------------------------------------------------------------------------

  /** The order's view on my page, or null while there is none. */
  public JsonObject view(String customer, String orderId) {
    Http.Response answer = http.get("/mypage/orders/" + orderId, customer);
    return answer.status() == 200 ? answer.json() : null;
  }

  public List<JsonObject> notifications(String customer, String orderId) {
    Http.Response answer = http.get("/mypage/notifications?limit=100", customer);
    if (answer.status() != 200) {
      throw new AssertionError("notifications answered " + answer);
    }
    return answer.array().stream().map(JsonObject.class::cast)
        .filter(n -> orderId.equals(n.getString("orderId"))).toList();
  }

  /** The event names of the view's timeline, in its order. */
  public static List<String> timeline(JsonObject view) {
    return view.getJsonArray("timeline").stream().map(e -> ((JsonObject) e).getString("event")).toList();
  }
}
