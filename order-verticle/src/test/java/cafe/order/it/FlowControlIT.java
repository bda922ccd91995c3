package cafe.order.it;

import static cafe.order.it.Stack.GOOD_CARD;
import static cafe.order.it.Stack.WAIT;
import static cafe.order.it.Stack.orderBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TcpProxy;
import cafe.order.events.OrderSaga;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flow control: the order service takes only what it can finish, refuses the rest at once with 503 and
 * Retry-After (storing nothing), its payment circuit opens on payment's failures and not on its own queueing,
 * the retrier leaves room for the orders being placed, and a new instance is not ready before it is warm.
 */
class FlowControlIT {
  private static Stack stack;

  @BeforeAll
  static void start() {
    stack = Stack.shared();
  }

  @AfterEach
  void backToTheUsualStack() {
    stack.stopOrder();
    stack.stopPayment();
    stack.startPayment(Map.of());
    stack.startOrder();
  }

  @Test
  void anOverloadedOrderServiceRefusesWithRetryAfterAndStoresNothingForTheRefused() {
    // Two orders placed at a time, payment taking 300 ms each, a wait of at most 100 ms for a place.
    restart(Map.of("PAYMENT_DELAY_MS", "300"), Map.of("ADMISSION_MIN_LIMIT", "1", "ADMISSION_INITIAL_LIMIT", "2",
        "ADMISSION_MAX_LIMIT", "2", "ADMISSION_MAX_WAIT_MS", "100"));
    String erin = "erin-" + UUID.randomUUID();
    String token = stack.customer(erin);
    List<String> keys = new ArrayList<>();
    List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = "burst-" + i + "-" + UUID.randomUUID();
      keys.add(key);
      calls.add(stack.order().postAsync("/orders", token, orderBody(GOOD_CARD, "latte", 1),
          Map.of("Idempotency-Key", key)));
    }
    List<String> admitted = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < calls.size(); i++) {
      Http.Response r = calls.get(i).join();
      String key = keys.get(i);
      if (r.status() == 503) {
        refused++;
        assertEquals("urn:cafe:problem:busy", r.json().getString("type"), r.body());
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, r.toString());
        assertEquals(0, stack.orderDb.count("SELECT count(*) FROM orders WHERE customer_id = ? AND idempotency_key = ?",
            erin, key), "a refused order leaves no trace");
      } else {
        assertEquals(201, r.status(), r.body());
        admitted.add(r.json().getString("id"));
      }
    }
    assertTrue(refused > 0, "20 orders at once against 2 places should be refused in part");
    assertTrue(admitted.size() >= 2, "the first two go in: " + admitted.size());
    assertEquals(admitted.size(), stack.orderDb.count("SELECT count(*) FROM orders WHERE customer_id = ?", erin));
    for (String id : admitted) {
      assertEquals("PAID", stack.status(id));
      assertEquals(1, stack.payments(id));
    }
    // Once the burst is over, the next order goes in.
    assertEquals(201, stack.order().post("/orders", token, orderBody(GOOD_CARD, "latte", 1)).status());
  }

  @Test
  void aFullBarStopsTakingOrdersUntilItHasRoom() {
    // No barista runs in these tests, so every paid order stays in flight: the backlog only grows, once no
    // charge of an earlier test is left to settle (a declined one would leave the backlog).
    // Nor may the saga still be moving earlier tests' orders (to DELIVERED, say) while this one counts.
    Eventually.await(WAIT, "no charge left to settle", () ->
        stack.orderDb.count("SELECT count(*) FROM pending_charges") == 0);
    stack.kafka.awaitCaughtUp(OrderSaga.GROUP, OrderSaga.TOPICS, WAIT);
    long inFlight = stack.orderDb.count("SELECT count(*) FROM orders_in_flight");
    restart(Map.of(), Map.of("ORDER_BACKLOG_LIMIT", Long.toString(inFlight + 3)));
    String frank = "frank-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      assertEquals(201, stack.order().post("/orders", stack.customer(frank), orderBody(GOOD_CARD, "latte", 1)).status());
    }
    Http.Response full = stack.order().post("/orders", stack.customer(frank), orderBody(GOOD_CARD, "latte", 1));
    assertEquals(503, full.status(), full.body());
    assertEquals("urn:cafe:problem:busy", full.json().getString("type"));
    assertTrue(full.json().getString("detail").contains("orders"), full.body());
    assertTrue(Integer.parseInt(full.header("Retry-After")) >= 1);
    assertEquals(3, stack.orderDb.count("SELECT count(*) FROM orders WHERE customer_id = ?", frank));

    // Drinks go out (here: orders finish by hand in the database), and the bar takes orders again.
    stack.orderDb.count("WITH done AS (UPDATE orders SET status = 'DELIVERED' WHERE customer_id = ? RETURNING 1)"
        + " SELECT count(*) FROM done", frank);
    Eventually.await(WAIT, "an order taken again", () ->
        stack.order().post("/orders", stack.customer(frank), orderBody(GOOD_CARD, "latte", 1)).status() == 201);
  }

  @Test
  void queueingInOrdersOwnStoreNeitherOpensThePaymentCircuitNorLeavesOrdersPending() {
    // Every answer from order's PostgreSQL comes 600 ms late, more than PAYMENT_TIMEOUT_MS (500): the time an
    // order spends on our side is not payment's, so each charge still has its whole 500 ms from when it is sent.
    URI pg = URI.create(stack.infra.pgUrl("order_it"));
    try (TcpProxy slowStore = new TcpProxy(pg.getHost(), pg.getPort())) {
      restart(Map.of(), Map.of("PG_URL", "postgresql://postgres@127.0.0.1:" + slowStore.port() + pg.getPath()));
      slowStore.delay(600);
      double openedBefore = metric("cafe_payment_circuit_opened_total");
      List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(stack.order().postAsync("/orders", stack.customer("gail-" + UUID.randomUUID()),
            orderBody(GOOD_CARD, "americano", 1), Map.of()));
      }
      for (CompletableFuture<Http.Response> call : calls) {
        Http.Response r = call.join();
        assertEquals(201, r.status(), "payment answered, so the order is paid: " + r.body());
      }
      assertEquals(openedBefore, metric("cafe_payment_circuit_opened_total"), "the payment circuit opened");
    }
  }

  @Test
  void theRetrierLeavesRoomForTheOrdersBeingPlaced() {
    // Four charges in flight at most, two of them for the retrier.
    Map<String, String> small = Map.of("PAYMENT_MAX_CONCURRENT_CHARGES", "4", "PAYMENT_RETRY_CONCURRENCY", "2",
        "ADMISSION_MIN_LIMIT", "1", "ADMISSION_INITIAL_LIMIT", "2", "ADMISSION_MAX_LIMIT", "2");
    stack.stopOrder();
    stack.stopPayment();
    stack.startOrder(small);
    // Payment down: 30 orders wait PAYMENT_PENDING for the retrier.
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Http.Response r = stack.order().post("/orders", stack.customer("hana-" + UUID.randomUUID()),
          orderBody(GOOD_CARD, "latte", 1));
      assertEquals(202, r.status(), r.body());
      pending.add(r.json().getString("id"));
    }
    // Payment back, slow: the retrier drains the 30 two at a time, while customers keep ordering.
    stack.startPayment(Map.of("PAYMENT_DELAY_MS", "200"));
    Eventually.await(WAIT, "the retrier charging again", () -> pending.stream().anyMatch(id ->
        "PAID".equals(stack.status(id))));
    int live = 0;
    while (pending.stream().anyMatch(id -> "PAYMENT_PENDING".equals(stack.status(id)))) {
      Http.Response r = stack.order().post("/orders", stack.customer("ivan-" + UUID.randomUUID()),
          orderBody(GOOD_CARD, "latte", 1));
      assertEquals(201, r.status(), "an order placed while the retrier drains is charged at once: " + r.body());
      live++;
    }
    assertTrue(live > 0, "no order was placed while the retrier drained");
    for (String id : pending) {
      stack.awaitStatus(id, "PAID");
      assertEquals(1, stack.payments(id));
    }
  }

  @Test
  void aNewInstanceIsNotReadyUntilItHasWarmedUp() {
    stack.stopOrder();
    // More rounds than fit in WARMUP_MAX_MS: warming takes those 3 s, whatever the machine's speed.
    stack.startOrder(Map.of("WARMUP_ROUNDS", "100000000", "WARMUP_MAX_MS", "3000"));
    Http.Response early = stack.order().get("/health/ready", null);
    assertEquals(503, early.status(), early.body());
    assertTrue(early.body().contains("warm-up-orders"), early.body());
    Eventually.await(WAIT, "order ready", () -> stack.order().get("/health/ready", null).status() == 200);
    // Warming stored nothing.
    assertEquals(0, stack.orderDb.count("SELECT count(*) FROM orders WHERE customer_id = 'warm-up'"));
  }

  private static void restart(Map<String, String> payment, Map<String, String> order) {
    stack.stopOrder();
    stack.stopPayment();
    stack.startPayment(payment);
    stack.startOrder(new HashMap<>(order));
  }

  private static double metric(String name) {
    Http.Response metrics = stack.order().get("/metrics", null);
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} (\\S+)$").matcher(metrics.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
