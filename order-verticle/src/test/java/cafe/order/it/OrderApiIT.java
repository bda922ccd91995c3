package cafe.order.it;

import static cafe.order.it.Stack.DECLINED_CARD;
import static cafe.order.it.Stack.GOOD_CARD;
import static cafe.order.it.Stack.WAIT;
import static cafe.order.it.Stack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The order API over real HTTP with payment, PostgreSQL and Kafka behind it. */
class OrderApiIT {
  private static Stack stack;
  private static Http http;

  @BeforeAll
  static void start() {
    stack = Stack.shared();
    http = stack.order();
  }

  private static String newCustomer() {
    return "customer-" + UUID.randomUUID();
  }

  private static long ordersOf(String customer) {
    return stack.orderDb.count("SELECT count(*) FROM orders WHERE customer_id = ?", customer);
  }

  @Test
  void theMenuIsPublicAndPricedInWon() {
    Http.Response r = http.get("/menu", null);
    assertEquals(200, r.status());
    Map<String, Integer> prices = new LinkedHashMap<>();
    for (Object item : r.array()) {
      JsonObject json = (JsonObject) item;
      prices.put(json.getString("id"), json.getInteger("price"));
      assertFalse(json.getString("name").isBlank());
      assertTrue(json.getBoolean("available"));
    }
    assertEquals(4500, prices.get("americano"));
    assertEquals(5000, prices.get("latte"));
    assertEquals(5000, prices.get("cappuccino"));
    assertEquals(5500, prices.get("vanilla-latte"));
    assertEquals(4800, prices.get("green-tea"));
    assertEquals(3500, prices.get("croissant"));
  }

  @Test
  void aPaidOrderIs201WithItsLocationAndTheMenusTotalAndIsPlacedOnce() {
    String alice = newCustomer();
    Instant before = Instant.now().minusSeconds(1);
    Http.Response r = http.post("/orders", stack.customer(alice), orderBody(GOOD_CARD, "latte", 2, "croissant", 1));
    assertEquals(201, r.status(), r.body());
    JsonObject order = r.json();
    String id = order.getString("id");
    UUID.fromString(id);
    assertEquals("/orders/" + id, r.header("Location"));
    assertEquals("PAID", order.getString("status"));
    assertEquals(alice, order.getString("customerId"));
    assertEquals(13_500, order.getInteger("total"));
    assertEquals(new JsonArray()
            .add(new JsonObject().put("menuItemId", "latte").put("qty", 2).put("price", 5000))
            .add(new JsonObject().put("menuItemId", "croissant").put("qty", 1).put("price", 3500)),
        order.getJsonArray("items"));
    assertTrue(Instant.parse(order.getString("createdAt")).isAfter(before));
    assertFalse(Instant.parse(order.getString("updatedAt")).isBefore(Instant.parse(order.getString("createdAt"))));
    assertNull(order.getValue("cancelReason"));

    assertEquals(order, http.get(r.header("Location"), stack.customer(alice)).json());

    Eventually.await(WAIT, "OrderPlaced on cafe.orders", () -> stack.kafka.events(id, "OrderPlaced").size() == 1);
    Event placed = stack.kafka.events(id, "OrderPlaced").get(0);
    assertEquals("order", placed.source());
    JsonObject data = placed.data();
    assertEquals(id, data.getString("orderId"));
    assertEquals(alice, data.getString("customerId"));
    assertEquals(13_500, data.getInteger("total"));
    assertEquals("12 Cafe Street", data.getString("address"));
    assertEquals(new JsonObject().put("menuItemId", "latte").put("name", "Caffe Latte").put("qty", 2).put("price", 5000),
        data.getJsonArray("items").getJsonObject(0));
    assertEquals(1, stack.outboxed(id, "OrderPlaced"));
    assertEquals(1, stack.kafka.events(id, "OrderPlaced").size());

    Http.Response payment = stack.payment().get("/payments/" + id, stack.staff("root", "admin"));
    assertEquals(new JsonObject().put("orderId", id).put("amount", 13_500).put("status", "APPROVED"), payment.json());
  }

  @Test
  void aDeclinedCardIs402AndTheOrderIsKeptRejectedWithoutBeingPlaced() {
    String alice = newCustomer();
    Http.Response r = http.post("/orders", stack.customer(alice), orderBody(DECLINED_CARD, "americano", 1));
    assertEquals(402, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    JsonObject problem = r.json();
    assertEquals(402, problem.getInteger("status"));
    String id = problem.getString("orderId");
    assertEquals("REJECTED", problem.getJsonObject("order").getString("status"));
    assertEquals("REJECTED", http.get("/orders/" + id, stack.customer(alice)).json().getString("status"));
    assertEquals(0, stack.outboxed(id, "OrderPlaced"));
    assertEquals("DECLINED",
        stack.payment().get("/payments/" + id, stack.staff("root", "admin")).json().getString("status"));
    // Payment's own PaymentDeclined is out by now; no OrderPlaced ever followed it.
    Eventually.await(WAIT, "PaymentDeclined", () -> stack.kafka.events(id, "PaymentDeclined").size() == 1);
    assertTrue(stack.kafka.events(id, "OrderPlaced").isEmpty());
  }

  @Test
  void badInputIsA400ProblemAndStoresNothing() {
    String bob = newCustomer();
    String token = stack.customer(bob);
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("empty items", "{\"items\":[],\"card\":\"" + GOOD_CARD + "\"}");
    bad.put("no items", "{\"card\":\"" + GOOD_CARD + "\"}");
    bad.put("unknown item", orderBody(GOOD_CARD, "unicorn-frappe", 1));
    bad.put("qty 0", orderBody(GOOD_CARD, "latte", 0));
    bad.put("qty 21", orderBody(GOOD_CARD, "latte", 21));
    bad.put("negative qty", orderBody(GOOD_CARD, "latte", -2));
    bad.put("fractional qty", orderBody(GOOD_CARD, "latte", 1.5));
    bad.put("qty as text", orderBody(GOOD_CARD, "latte", "2"));
    bad.put("malformed json", "{\"items\":[{\"menuItemId\":\"latte\",\"qty\":1}");
    bad.put("not an object", "[]");
    bad.put("missing card", "{\"items\":[{\"menuItemId\":\"latte\",\"qty\":1}]}");
    bad.put("short card", orderBody("4242", "latte", 1));
    bad.put("status set by the client",
        new JsonObject(orderBody(GOOD_CARD, "latte", 1)).put("status", "DELIVERED").encode());
    bad.put("total set by the client", new JsonObject(orderBody(GOOD_CARD, "latte", 1)).put("total", 1).encode());
    bad.put("price set by the client", "{\"items\":[{\"menuItemId\":\"latte\",\"qty\":1,\"price\":1}],\"card\":\""
        + GOOD_CARD + "\"}");
    bad.put("same item over twenty", orderBody(GOOD_CARD, "latte", 15, "latte", 6));
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Http.Response r = http.post("/orders", token, e.getValue());
      assertEquals(400, r.status(), e.getKey() + ": " + r.body());
      assertEquals("application/problem+json", r.contentType(), e.getKey());
      JsonObject problem = r.json();
      assertEquals(400, problem.getInteger("status"), e.getKey());
      assertFalse(problem.getString("detail").isBlank(), e.getKey());
    }
    assertEquals("items[0].qty must be 1..20",
        http.post("/orders", token, bad.get("qty 21")).json().getString("detail"));
    assertEquals("items must have 1..20 item(s)",
        http.post("/orders", token, bad.get("empty items")).json().getString("detail"));
    assertEquals("there is no unicorn-frappe on the menu (see GET /menu)",
        http.post("/orders", token, bad.get("unknown item")).json().getString("detail"));
    assertEquals("card is required", http.post("/orders", token, bad.get("missing card")).json().getString("detail"));
    assertEquals("the body is not valid JSON",
        http.post("/orders", token, bad.get("malformed json")).json().getString("detail"));
    JsonObject status = http.post("/orders", token, bad.get("status set by the client")).json();
    assertEquals("status is set by the cafe and may not be sent", status.getString("detail"));
    assertEquals("/status", status.getJsonArray("errors").getJsonObject(0).getString("pointer"));
    assertEquals(0, ordersOf(bob));
  }

  @Test
  void aBodyOverTheSizeLimitIs413AndStoresNothing() {
    String bob = newCustomer();
    String huge = new JsonObject(orderBody(GOOD_CARD, "latte", 1)).put("address", "x".repeat(70 * 1024)).encode();
    Http.Response r = http.post("/orders", stack.customer(bob), huge);
    assertEquals(413, r.status());
    assertEquals("application/problem+json", r.contentType());
    assertEquals(0, ordersOf(bob));
  }

  @Test
  void ordersNeedATokenAndCustomersSeeOnlyTheirOwn() {
    String alice = newCustomer();
    String id = stack.paidOrder(alice);
    assertEquals(401, http.post("/orders", null, orderBody(GOOD_CARD, "latte", 1)).status());
    assertEquals(401, http.get("/orders/" + id, null).status());
    assertEquals(401, http.get("/orders", null).status());
    assertEquals(401, http.get("/orders/" + id, stack.tokens.expiredToken(alice, "customer")).status());
    assertEquals(401, http.get("/orders/" + id, stack.tokens.tokenSignedByAnotherKey(alice, "customer")).status());
    Http.Response other = http.get("/orders/" + id, stack.customer(newCustomer()));
    assertEquals(404, other.status());
    assertEquals("application/problem+json", other.contentType());
    assertEquals(404, http.post("/orders/" + id + "/cancel", stack.customer(newCustomer()), "").status());
    assertEquals(404, http.get("/orders/" + UUID.randomUUID(), stack.customer(alice)).status());
    assertEquals(404, http.get("/orders/not-an-id", stack.customer(alice)).status());
    for (String role : List.of("barista", "rider", "admin")) {
      assertEquals(200, http.get("/orders/" + id, stack.staff("staff-" + role, role)).status(), role);
    }
    assertEquals("PAID", stack.status(id));
  }

  @Test
  void staffFindAnOrderByTheShortFormThePagesPrint() {
    String alice = newCustomer();
    String id = stack.paidOrder(alice);
    String shortId = id.substring(0, 8);
    Http.Response found = http.get("/orders/" + shortId.toUpperCase(java.util.Locale.ROOT), stack.staff("staff-rider", "rider"));
    assertEquals(200, found.status(), found.body());
    assertEquals(id, found.json().getString("id"));
    // A customer gives the whole id, and finds only their own.
    assertEquals(404, http.get("/orders/" + shortId, stack.customer(alice)).status());
    String unknown = shortId.equals("00000000") ? "00000001" : "00000000";
    Http.Response none = http.get("/orders/" + unknown, stack.staff("staff-admin", "admin"));
    assertEquals(404, none.status(), none.body());
    assertEquals("application/problem+json", none.contentType());
  }

  @Test
  void aCustomersOrdersAreListedNewestFirstAndPaged() {
    String carol = newCustomer();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(stack.paidOrder(carol));
    }
    stack.paidOrder(newCustomer());
    Http.Response page = http.get("/orders?limit=2", stack.customer(carol));
    assertEquals(200, page.status());
    JsonArray first = page.array();
    assertEquals(List.of(ids.get(2), ids.get(1)), List.of(first.getJsonObject(0).getString("id"),
        first.getJsonObject(1).getString("id")));
    assertEquals("</orders?limit=2&before=" + ids.get(1) + ">; rel=\"next\"", page.header("Link"));
    JsonArray rest = http.get("/orders?limit=2&before=" + ids.get(1), stack.customer(carol)).array();
    assertEquals(1, rest.size());
    assertEquals(ids.get(0), rest.getJsonObject(0).getString("id"));
    assertEquals(3, http.get("/orders", stack.customer(carol)).array().size());
    String createdAt = first.getJsonObject(0).getString("createdAt");
    assertEquals(2, http.get("/orders?before=" + createdAt, stack.customer(carol)).array().size());
    for (String query : List.of("limit=0", "limit=101", "limit=abc", "before=yesterday")) {
      Http.Response r = http.get("/orders?" + query, stack.customer(carol));
      assertEquals(400, r.status(), query);
      assertEquals("application/problem+json", r.contentType(), query);
    }
    // Staff list everyone's orders.
    assertTrue(http.get("/orders?limit=100", stack.staff("root", "admin")).array().size() >= 4);
  }

  @Test
  void anIdempotencyKeyRepeatedGivesTheSameOrderAndOneCharge() {
    String dave = newCustomer();
    String key = UUID.randomUUID().toString();
    String body = orderBody(GOOD_CARD, "cappuccino", 2);
    Http.Response first = http.post("/orders", stack.customer(dave), body, Map.of("Idempotency-Key", key));
    Http.Response second = http.post("/orders", stack.customer(dave), body, Map.of("Idempotency-Key", key));
    assertEquals(201, first.status(), first.body());
    assertEquals(201, second.status(), second.body());
    String id = first.json().getString("id");
    assertEquals(id, second.json().getString("id"));
    assertEquals(first.header("Location"), second.header("Location"));
    assertEquals(1, ordersOf(dave));
    assertEquals(1, stack.payments(id));
    assertEquals(1, stack.outboxed(id, "OrderPlaced"));

    Http.Response different = http.post("/orders", stack.customer(dave), orderBody(GOOD_CARD, "latte", 1),
        Map.of("Idempotency-Key", key));
    assertEquals(422, different.status(), different.body());
    assertEquals(1, ordersOf(dave));

    // The key is the customer's own: someone else using it gets their own order.
    String erin = newCustomer();
    Http.Response others = http.post("/orders", stack.customer(erin), body, Map.of("Idempotency-Key", key));
    assertEquals(201, others.status());
    assertFalse(id.equals(others.json().getString("id")));

    // A declined order repeats as declined.
    String declinedKey = UUID.randomUUID().toString();
    String declined = orderBody(DECLINED_CARD, "latte", 1);
    assertEquals(402, http.post("/orders", stack.customer(dave), declined, Map.of("Idempotency-Key", declinedKey)).status());
    Http.Response again = http.post("/orders", stack.customer(dave), declined, Map.of("Idempotency-Key", declinedKey));
    assertEquals(402, again.status());
    assertEquals(2, ordersOf(dave));
    assertEquals(400, http.post("/orders", stack.customer(dave), body, Map.of("Idempotency-Key", "x".repeat(201))).status());
  }

  @Test
  void concurrentDuplicatesWithOneIdempotencyKeyGiveOneOrderAndOneCharge() {
    String frank = newCustomer();
    String key = UUID.randomUUID().toString();
    String token = stack.customer(frank);
    String body = orderBody(GOOD_CARD, "green-tea", 1, "americano", 1);
    List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(http.postAsync("/orders", token, body, Map.of("Idempotency-Key", key)));
    }
    Set<String> ids = new HashSet<>();
    for (CompletableFuture<Http.Response> call : calls) {
      Http.Response r = call.join();
      // 202 only if payment was slower than the request's budget (a loaded machine): still the same order.
      assertTrue(r.status() == 201 || r.status() == 202, r.status() + " " + r.body());
      assertEquals(r.status() == 201 ? "PAID" : "PAYMENT_PENDING", r.json().getString("status"));
      ids.add(r.json().getString("id"));
    }
    assertEquals(1, ids.size());
    String id = ids.iterator().next();
    stack.awaitStatus(id, "PAID");
    assertEquals(1, ordersOf(frank));
    assertEquals(1, stack.payments(id));
    assertEquals(1, stack.paymentOutboxed(id, "PaymentApproved"));
    assertEquals(1, stack.outboxed(id, "OrderPlaced"));
    assertNotNull(http.get("/orders/" + id, token).json().getString("updatedAt"));
  }
}
