package cafe.order.it;

import cafe.common.events.Topics;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.order.OrderService;
import cafe.payment.PaymentService;
import cafe.testkit.Db;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import cafe.testkit.RunningService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Order and payment, started in this JVM against the shared test infrastructure, one of each at a
 * time (so their consumer groups never split events between databases). Payment listens on a
 * fixed port so a test can stop it, slow it down and start it again; order may be restarted too.
 */
public final class Stack {
  public static final Duration WAIT = Duration.ofSeconds(30);
  public static final String GOOD_CARD = "4242424242424242";
  public static final String DECLINED_CARD = "4000000000000002";

  private static Stack shared;

  public final LocalInfra infra = TestInfra.shared();
  public final TestTokens tokens = TestTokens.shared();
  public final int paymentPort = freePort();
  public final Db orderDb = new Db(infra.pgUrl("order_it"));
  public final Db paymentDb = new Db(infra.pgUrl("payment_it"));
  public KafkaTap kafka;
  private RunningService order;
  private RunningService payment;

  private Stack() {
  }

  public static synchronized Stack shared() {
    if (shared == null) {
      Stack stack = new Stack();
      stack.startPayment(Map.of());
      stack.startOrder();
      stack.kafka = KafkaTap.open(stack.infra.kafkaBootstrap(), Topics.ORDERS, Topics.PAYMENTS,
          Topics.dlq(Topics.BARISTA), Topics.dlq(Topics.DELIVERIES));
      // Drained while Kafka and PostgreSQL are still there, not beside their stop.
      stack.infra.closeFirst(stack::stopAll);
      shared = stack;
    }
    return shared;
  }

  private Map<String, String> base() {
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_INSTANCES", "2");
    env.put("SHUTDOWN_TIMEOUT_MS", "10000");
    env.put("CONSUMER_RETRY_BACKOFF_MS", "20");
    env.put("OUTBOX_POLL_MS", "200");
    return env;
  }

  public synchronized void startOrder() {
    startOrder(Map.of());
  }

  /** Starts order with {@code extra} settings over the usual ones. */
  public synchronized void startOrder(Map<String, String> extra) {
    Map<String, String> env = base();
    env.put("HTTP_PORT", "0");
    env.put("PG_URL", infra.pgUrl("order_it"));
    env.put("PAYMENT_URL", "http://127.0.0.1:" + paymentPort);
    // Quick retries and a quick half-open probe keep the outage tests short; the timeout is the default.
    env.put("PAYMENT_RETRY_POLL_MS", "200");
    env.put("PAYMENT_RETRY_BACKOFF_MS", "200");
    env.put("PAYMENT_RETRY_MAX_BACKOFF_MS", "1000");
    env.put("PAYMENT_BREAKER_RESET_MS", "1000");
    // No barista or rider runs here, so no order is ever finished: the backlog only grows, and its pace is 0.
    env.put("ORDER_BACKLOG_MIN", "1000000");
    env.put("ORDER_BACKLOG_LIMIT", "1000000");
    env.putAll(extra);
    order = RunningService.start("order", OrderService::start, env);
  }

  public synchronized void stopOrder() {
    order.close();
    order = null;
  }

  public synchronized void startPayment(Map<String, String> extra) {
    Map<String, String> env = base();
    env.put("HTTP_PORT", Integer.toString(paymentPort));
    env.put("PG_URL", infra.pgUrl("payment_it"));
    env.putAll(extra);
    payment = RunningService.start("payment", PaymentService::start, env);
  }

  public synchronized void stopPayment() {
    payment.close();
    payment = null;
  }

  public Http order() {
    return order.http();
  }

  public RunningService orderService() {
    return order;
  }

  public Http payment() {
    return payment.http();
  }

  public String customer(String id) {
    return tokens.token(id, "customer");
  }

  public String staff(String id, String role) {
    return tokens.token(id, role);
  }

  /** An order body: items as alternating id and qty. */
  public static String orderBody(String card, Object... items) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < items.length; i += 2) {
      lines.add(new JsonObject().put("menuItemId", items[i]).put("qty", items[i + 1]));
    }
    return new JsonObject().put("items", lines).put("card", card).put("address", "12 Cafe Street").encode();
  }

  /** Places a paid order for {@code customer}; answers its id. */
  public String paidOrder(String customer) {
    Http.Response r = order().post("/orders", customer(customer), orderBody(GOOD_CARD, "latte", 1));
    if (r.status() != 201) {
      throw new AssertionError("expected a paid order, got " + r.status() + ": " + r.body());
    }
    return r.json().getString("id");
  }

  public String status(String orderId) {
    return order().get("/orders/" + orderId, staff("root", "admin")).json().getString("status");
  }

  public void awaitStatus(String orderId, String status) {
    Eventually.await(WAIT, "order " + orderId + " " + status, () -> status.equals(status(orderId)));
  }

  public long outboxed(String orderId, String type) {
    return orderDb.count("SELECT count(*) FROM outbox WHERE event_key = ? AND event LIKE ?", orderId,
        "%\"type\":\"" + type + "\"%");
  }

  public long paymentOutboxed(String orderId, String type) {
    return paymentDb.count("SELECT count(*) FROM outbox WHERE event_key = ? AND event LIKE ?", orderId,
        "%\"type\":\"" + type + "\"%");
  }

  public long payments(String orderId) {
    return paymentDb.count("SELECT count(*) FROM payments WHERE order_id = ?::uuid", orderId);
  }

  private synchronized void stopAll() {
    if (order != null) {
      order.close();
    }
    if (payment != null) {
      payment.close();
    }
    kafka.close();
  }

  private static int freePort() {
    return cafe.infra.Ports.free();
  }
}
