package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import cafe.testkit.Await;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-user and per-address limits, shared through Redis, with a short window so recovery can be seen. */
class RateLimitIT {
  private static Vertx vertx;
  private static TestUpstream order;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    order = TestUpstream.start(vertx, "order");
    gateway = RunningGateway.start("gateway_limits_it", Map.of(
        "ORDER_URL", order.url(),
        "RATE_LIMIT_PER_MINUTE", "3",
        "RATE_LIMIT_ANON_PER_MINUTE", "2",
        "RATE_LIMIT_WINDOW_SECONDS", "2",
        // One proxy in front, as behind the ALB: the right-most X-Forwarded-For entry is the client. Each test
        // calls "from" an address of its own, so tests sharing this Redis do not share budgets.
        "TRUSTED_PROXY_HOPS", "1"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    Await.result(vertx.close());
  }

  private static String someAddress() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
  }

  private static Http.Response orders(String token, String from) throws Exception {
    return gateway.http().send("GET", "/orders", token, null, Map.of("X-Forwarded-For", from));
  }

  @Test
  void aUserOverTheLimitGets429WithRetryAfterThenRecovers() throws Exception {
    String alice = TestTokens.shared().token("alice-" + UUID.randomUUID(), "customer");
    String bob = TestTokens.shared().token("bob-" + UUID.randomUUID(), "customer");
    String from = someAddress();
    for (int i = 0; i < 3; i++) {
      Http.Response answer = orders(alice, from);
      assertEquals(200, answer.status(), "call " + (i + 1));
      assertEquals(String.valueOf(2 - i), answer.headers().firstValue("X-RateLimit-Remaining").orElse(""));
    }
    int forwarded = order.seen().size();
    Http.Response limited = orders(alice, from);
    assertEquals(429, limited.status());
    assertTrue(limited.contentType().startsWith("application/problem+json"));
    int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
    assertEquals(forwarded, order.seen().size(), "a limited call is not forwarded");

    // Another user from the same address has a budget of their own.
    assertEquals(200, orders(bob, from).status());

    Eventually.await(Duration.ofSeconds(6), () -> orders(alice, from).status() == 200);
  }

  @Test
  void callsWithoutATokenAreLimitedPerAddress() throws Exception {
    String from = someAddress();
    String menu = "/menu";
    assertEquals(200, gateway.http().send("GET", menu, null, null, Map.of("X-Forwarded-For", from)).status());
    assertEquals(200, gateway.http().send("GET", menu, null, null, Map.of("X-Forwarded-For", from)).status());
    Http.Response limited = gateway.http().send("GET", menu, null, null, Map.of("X-Forwarded-For", from));
    assertEquals(429, limited.status());
    assertTrue(limited.headers().firstValue("Retry-After").isPresent());
    // A bad token counts as no token.
    assertEquals(429, gateway.http().send("GET", menu, "not-a-token", null, Map.of("X-Forwarded-For", from)).status());
    assertEquals(200, gateway.http().send("GET", menu, null, null, Map.of("X-Forwarded-For", someAddress())).status());
  }

  @Test
  void aForgedLeftMostAddressDoesNotEscapeTheLimit() throws Exception {
    String from = someAddress();
    for (int i = 0; i < 2; i++) {
      // The caller writes whatever it likes on the left; the proxy appends the address it saw.
      assertEquals(200, gateway.http().send("GET", "/menu", null, null,
          Map.of("X-Forwarded-For", someAddress() + ", " + from)).status());
    }
    Http.Response limited = gateway.http().send("GET", "/menu", null, null,
        Map.of("X-Forwarded-For", someAddress() + "," + someAddress() + ", " + from));
    assertEquals(429, limited.status(), "a third call from " + from + " under a new disguise");
    // The one the proxy vouches for is the key: a forged copy of it on the left is just as forged.
    assertEquals(200, gateway.http().send("GET", "/menu", null, null,
        Map.of("X-Forwarded-For", from + ", " + someAddress())).status());
  }

  @Test
  void thePagesAreNotCounted() throws Exception {
    String from = someAddress();
    for (int i = 0; i < 5; i++) {
      assertEquals(200, gateway.http().send("GET", "/js/cafe.js", null, null, Map.of("X-Forwarded-For", from))
          .status());
    }
  }

  @Test
  void withoutRedisTrafficPasses() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    try (RunningGateway noRedis = RunningGateway.start("gateway_limits_it", Map.of(
        "ORDER_URL", order.url(),
        "REDIS_URL", "redis://127.0.0.1:" + deadPort,
        "RATE_LIMIT_PER_MINUTE", "1",
        "RATE_LIMIT_ANON_PER_MINUTE", "1"))) {
      String alice = TestTokens.shared().token("alice-" + UUID.randomUUID(), "customer");
      for (int i = 0; i < 5; i++) {
        assertEquals(200, noRedis.http().get("/orders", alice).status());
        assertEquals(200, noRedis.http().get("/menu", null).status());
      }
      assertEquals(200, noRedis.http().get("/health/ready", null).status(), "readiness does not hang on Redis");
    }
  }
}
