package cafe.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.testkit.Db;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import cafe.testkit.RunningService;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Payment over real HTTP, PostgreSQL and Kafka: charges, idempotency, refunds, and what is kept of a card. */
class PaymentIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GOOD_CARD = "4242424242424242";
  private static final String DECLINED_CARD = "4000000000000002";

  private static LocalInfra infra;
  private static RunningService payment;
  private static Http http;
  private static Db db;
  private static KafkaTap kafka;
  private static final TestTokens tokens = TestTokens.shared();

  @BeforeAll
  static void start() throws Exception {
    infra = TestInfra.shared();
    String pgUrl = infra.pgUrl("payment_it");
    payment = RunningService.start("payment", PaymentService::start, settings(pgUrl, Map.of()));
    http = payment.http();
    db = new Db(pgUrl);
    kafka = KafkaTap.open(infra.kafkaBootstrap(), Topics.PAYMENTS);
  }

  static Map<String, String> settings(String pgUrl, Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>(Map.of("PG_URL", pgUrl, "CONSUMER_RETRY_BACKOFF_MS", "20",
        "SHUTDOWN_TIMEOUT_MS", "10000"));
    vars.putAll(extra);
    return vars;
  }

  @AfterAll
  static void stop() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
    if (payment != null) {
      payment.close();
    }
  }

  private static String charge(UUID order, String customer, long amount, String card) {
    return new JsonObject().put("orderId", order.toString()).put("customerId", customer).put("amount", amount)
        .put("card", card).encode();
  }

  private static Http.Response pay(UUID order, String customer, long amount, String card) {
    return http.post("/payments", tokens.token(customer, "customer"), charge(order, customer, amount, card));
  }

  private static long payments(UUID order) {
    return db.count("SELECT count(*) FROM payments WHERE order_id = ?", order);
  }

  private static long outboxed(UUID order, String type) {
    return db.count("SELECT count(*) FROM outbox WHERE event_key = ? AND event LIKE ?", order.toString(),
        "%\"type\":\"" + type + "\"%");
  }

  @Test
  void anApprovedChargeIs201AndAnnouncedOnce() {
    UUID order = UUID.randomUUID();
    Http.Response r = pay(order, "alice", 9500, GOOD_CARD);
    assertEquals(201, r.status(), r.body());
    assertEquals(new JsonObject().put("orderId", order.toString()).put("amount", 9500).put("status", "APPROVED"),
        r.json());
    Eventually.await(WAIT, "PaymentApproved on cafe.payments",
        () -> kafka.events(order.toString(), "PaymentApproved").size() == 1);
    JsonObject data = kafka.events(order.toString(), "PaymentApproved").get(0).data();
    assertEquals("alice", data.getString("customerId"));
    assertEquals(9500, data.getLong("amount"));
    assertEquals("payment", kafka.events(order.toString(), "PaymentApproved").get(0).source());
  }

  @Test
  void theDeclinedTestCardIs402WithPaymentStatusDeclined() {
    UUID order = UUID.randomUUID();
    Http.Response r = pay(order, "alice", 5000, DECLINED_CARD);
    assertEquals(402, r.status(), r.body());
    assertEquals("application/problem+json", r.contentType());
    JsonObject problem = r.json();
    assertEquals(402, problem.getInteger("status"));
    assertEquals("DECLINED", problem.getString("paymentStatus"));
    assertEquals(order.toString(), problem.getString("orderId"));
    Eventually.await(WAIT, "PaymentDeclined", () -> kafka.events(order.toString(), "PaymentDeclined").size() == 1);
    assertEquals(0, outboxed(order, "PaymentApproved"));
  }

  @Test
  void aRepeatedChargeAnswersTheFirstResultAndTakesMoneyOnce() {
    UUID order = UUID.randomUUID();
    assertEquals(201, pay(order, "alice", 4500, GOOD_CARD).status());
    Http.Response again = pay(order, "alice", 4500, GOOD_CARD);
    assertEquals(201, again.status());
    assertEquals("true", again.header("Idempotent-Replayed"));
    assertEquals("APPROVED", again.json().getString("status"));
    // A repeat may even carry the declined card: the first answer stands.
    assertEquals(201, pay(order, "alice", 4500, DECLINED_CARD).status());
    assertEquals(1, payments(order));
    assertEquals(1, outboxed(order, "PaymentApproved"));

    UUID declined = UUID.randomUUID();
    assertEquals(402, pay(declined, "alice", 4500, DECLINED_CARD).status());
    assertEquals(402, pay(declined, "alice", 4500, GOOD_CARD).status());
    assertEquals(1, outboxed(declined, "PaymentDeclined"));
    assertEquals(0, outboxed(declined, "PaymentApproved"));
  }

  @Test
  void aRepeatWithAnotherAmountIsAConflictAndChangesNothing() {
    UUID order = UUID.randomUUID();
    assertEquals(201, pay(order, "alice", 4500, GOOD_CARD).status());
    Http.Response r = pay(order, "alice", 9000, GOOD_CARD);
    assertEquals(409, r.status(), r.body());
    assertEquals(4500L, db.rows("SELECT amount FROM payments WHERE order_id = ?", order).get(0).get(0));
  }

  @Test
  void concurrentDuplicateChargesTakeOnePayment() {
    UUID order = UUID.randomUUID();
    String token = tokens.token("bob", "customer");
    List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(http.postAsync("/payments", token, charge(order, "bob", 10_000, GOOD_CARD), Map.of()));
    }
    for (CompletableFuture<Http.Response> call : calls) {
      Http.Response r = call.join();
      assertEquals(201, r.status(), r.body());
      assertEquals("APPROVED", r.json().getString("status"));
    }
    assertEquals(1, payments(order));
    assertEquals(1, outboxed(order, "PaymentApproved"));
  }

  @Test
  void badChargesAre400ProblemsAndStoreNothing() {
    UUID order = UUID.randomUUID();
    String token = tokens.token("alice", "customer");
    String id = order.toString();
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    bodies.put("missing card", "{\"orderId\":\"" + id + "\",\"customerId\":\"alice\",\"amount\":4500}");
    bodies.put("short card", charge(order, "alice", 4500, "4242"));
    bodies.put("card with spaces", charge(order, "alice", 4500, "4242 4242 4242 4242"));
    bodies.put("card as a number", "{\"orderId\":\"" + id + "\",\"customerId\":\"alice\",\"amount\":4500,\"card\":4242424242424242}");
    bodies.put("zero amount", charge(order, "alice", 0, GOOD_CARD));
    bodies.put("fractional amount", "{\"orderId\":\"" + id + "\",\"customerId\":\"alice\",\"amount\":45.5,\"card\":\"" + GOOD_CARD + "\"}");
    bodies.put("order id not a uuid", "{\"orderId\":\"42\",\"customerId\":\"alice\",\"amount\":4500,\"card\":\"" + GOOD_CARD + "\"}");
    bodies.put("malformed json", "{\"orderId\":");
    bodies.put("not an object", "[1,2]");
    for (Map.Entry<String, String> bad : bodies.entrySet()) {
      Http.Response r = http.post("/payments", token, bad.getValue());
      assertEquals(400, r.status(), bad.getKey() + ": " + r.body());
      assertEquals("application/problem+json", r.contentType(), bad.getKey());
      assertFalse(r.json().getString("detail").isBlank(), bad.getKey());
    }
    Http.Response missingCard = http.post("/payments", token, bodies.get("missing card"));
    assertEquals("card is required", missingCard.json().getString("detail"));
    assertEquals("card must be 16 digits (no spaces)",
        http.post("/payments", token, bodies.get("short card")).json().getString("detail"));
    assertEquals(0, payments(order));
  }

  @Test
  void theCardNumberIsNeverKeptInFull() {
    UUID order = UUID.randomUUID();
    String card = "5555444433331111";
    assertEquals(201, pay(order, "alice", 4800, card).status());
    Eventually.await(WAIT, "PaymentApproved", () -> kafka.events(order.toString(), "PaymentApproved").size() == 1);
    assertEquals("1111", db.rows("SELECT card_last4 FROM payments WHERE order_id = ?", order).get(0).get(0));
    // Nowhere in the database, and not in the event either.
    assertEquals(0, db.count("SELECT count(*) FROM payments p WHERE p::text LIKE '%5555444433331111%'"));
    assertEquals(0, db.count("SELECT count(*) FROM outbox WHERE event LIKE '%5555444433331111%'"));
    assertFalse(kafka.on(Topics.PAYMENTS, order.toString()).stream().anyMatch(r -> r.value().contains(card)),
        "no event carries the card number");
  }

  @Test
  void chargingNeedsAValidTokenForTheSameCustomer() {
    UUID order = UUID.randomUUID();
    String body = charge(order, "alice", 4500, GOOD_CARD);
    Http.Response none = http.post("/payments", null, body);
    assertEquals(401, none.status());
    assertEquals("application/problem+json", none.contentType());
    assertEquals(401, http.post("/payments", tokens.expiredToken("alice", "customer"), body).status());
    assertEquals(401, http.post("/payments", tokens.tokenSignedByAnotherKey("alice", "customer"), body).status());
    assertEquals(403, http.post("/payments", tokens.token("mallory", "customer"), body).status());
    assertEquals(0, payments(order));
    // A service credential may charge on a customer's behalf.
    assertEquals(201, http.post("/payments", tokens.token("order-service", "service"), body).status());
  }

  @Test
  void anAdminReadsAPaymentOthersMayNot() {
    UUID order = UUID.randomUUID();
    assertEquals(201, pay(order, "alice", 5500, GOOD_CARD).status());
    Http.Response r = http.get("/payments/" + order, tokens.token("root", "admin"));
    assertEquals(200, r.status());
    assertEquals(new JsonObject().put("orderId", order.toString()).put("amount", 5500).put("status", "APPROVED"),
        r.json());
    assertEquals(403, http.get("/payments/" + order, tokens.token("alice", "customer")).status());
    assertEquals(401, http.get("/payments/" + order, null).status());
    assertEquals(404, http.get("/payments/" + UUID.randomUUID(), tokens.token("root", "admin")).status());
    assertEquals(404, http.get("/payments/not-an-id", tokens.token("root", "admin")).status());
  }

  private static Event cancelled(UUID order, String customer, long total) {
    return Event.of("order", "OrderCancelled", order.toString(), new JsonObject().put("orderId", order.toString())
        .put("customerId", customer).put("reason", "CUSTOMER").put("total", total));
  }

  @Test
  void orderCancelledRefundsAnApprovedPaymentExactlyOnce() {
    UUID order = UUID.randomUUID();
    assertEquals(201, pay(order, "alice", 9500, GOOD_CARD).status());
    Event cancelled = cancelled(order, "alice", 9500);
    kafka.publish(Topics.ORDERS, cancelled);
    kafka.publish(Topics.ORDERS, cancelled);
    RecordMetadata last = kafka.publish(Topics.ORDERS, cancelled(order, "alice", 9500));
    Eventually.await(WAIT, "all three OrderCancelled handled", () -> kafka.consumed("payment-refunds", last));
    Http.Response r = http.get("/payments/" + order, tokens.token("root", "admin"));
    assertEquals("REFUNDED", r.json().getString("status"));
    assertEquals(1, outboxed(order, "PaymentRefunded"));
    Eventually.await(WAIT, "PaymentRefunded on cafe.payments",
        () -> kafka.events(order.toString(), "PaymentRefunded").size() == 1);
    assertEquals(9500, kafka.events(order.toString(), "PaymentRefunded").get(0).data().getLong("amount"));
    // A charge repeated after the refund says so and takes nothing.
    Http.Response replay = pay(order, "alice", 9500, GOOD_CARD);
    assertEquals(200, replay.status());
    assertEquals("REFUNDED", replay.json().getString("status"));
  }

  @Test
  void orderCancelledWithoutAPaymentRefundsNothingAndALateChargeTakesNothing() {
    UUID order = UUID.randomUUID();
    RecordMetadata sent = kafka.publish(Topics.ORDERS, cancelled(order, "alice", 4500));
    Eventually.await(WAIT, "OrderCancelled handled", () -> kafka.consumed("payment-refunds", sent));
    assertEquals(404, http.get("/payments/" + order, tokens.token("root", "admin")).status());
    assertEquals(0, outboxed(order, "PaymentRefunded"));
    Http.Response late = pay(order, "alice", 4500, GOOD_CARD);
    assertEquals(409, late.status(), late.body());
    assertEquals("VOIDED", late.json().getString("paymentStatus"));
    assertEquals(0, outboxed(order, "PaymentApproved"));
  }

  @Test
  void aDeclinedPaymentIsNotRefunded() {
    UUID order = UUID.randomUUID();
    assertEquals(402, pay(order, "alice", 4500, DECLINED_CARD).status());
    RecordMetadata sent = kafka.publish(Topics.ORDERS, cancelled(order, "alice", 4500));
    Eventually.await(WAIT, "OrderCancelled handled", () -> kafka.consumed("payment-refunds", sent));
    assertEquals("DECLINED", http.get("/payments/" + order, tokens.token("root", "admin")).json().getString("status"));
    assertEquals(0, outboxed(order, "PaymentRefunded"));
  }

  @Test
  void paymentDelayMsSlowsEachChargeWithoutBlocking() throws Exception {
    try (RunningService slow = RunningService.start("payment", PaymentService::start,
        settings(infra.pgUrl("payment_it"), Map.of("PAYMENT_DELAY_MS", "300-350")))) {
      Http slowHttp = slow.http();
      String token = tokens.token("carol", "customer");
      List<CompletableFuture<Http.Response>> calls = new ArrayList<>();
      long began = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        calls.add(slowHttp.postAsync("/payments", token, charge(UUID.randomUUID(), "carol", 4500, GOOD_CARD), Map.of()));
      }
      for (CompletableFuture<Http.Response> call : calls) {
        Http.Response r = call.join();
        assertEquals(201, r.status());
        assertTrue(r.millis() >= 300, "answered in " + r.millis() + " ms");
      }
      long all = (System.nanoTime() - began) / 1_000_000;
      // Ten delayed charges on one event loop overlap: the delay is a timer, not a blocked thread. Blocked,
      // they would take ten times 300 ms at least; the rest of the 3 s is room for a loaded machine.
      assertTrue(all < 3000, "ten charges took " + all + " ms");
    }
  }
}
