package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A service that stops answering is cut off quickly, without slowing the others, and let back in when it returns. */
class CircuitBreakerIT {
  private static Vertx vertx;
  private static final Map<String, TestUpstream> UPSTREAMS = new LinkedHashMap<>();
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>();
    for (String name : List.of("order", "payment", "barista", "delivery", "mypage")) {
      TestUpstream upstream = TestUpstream.start(vertx, name);
      UPSTREAMS.put(name, upstream);
      env.put(name.toUpperCase() + "_URL", upstream.url());
    }
    env.put("BREAKER_MAX_FAILURES", "3");
    env.put("BREAKER_RESET_MS", "1500");
    env.put("UPSTREAM_TIMEOUT_MS", "400");
    gateway = RunningGateway.start("gateway_breaker_it", env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void assertUnavailable(HttpResponse<String> answer) {
    assertEquals(503, answer.statusCode(), answer.body());
    assertTrue(Http.contentType(answer).startsWith("application/problem+json"));
    int retryAfter = Integer.parseInt(answer.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
  }

  @Test
  void aStoppedServiceOpensItsCircuitAndIsLetBackInWhenItReturns() throws Exception {
    TestUpstream barista = UPSTREAMS.get("barista");
    String token = TestTokens.shared().token("b1", "barista");
    String tickets = gateway.url("/barista/tickets");
    assertEquals(200, Http.get(tickets, token).statusCode());

    barista.stop();
    try {
      // Refused connections count against the circuit until it opens.
      Eventually.await(Duration.ofSeconds(10), () -> {
        long began = System.nanoTime();
        HttpResponse<String> answer = Http.get(tickets, token);
        assertUnavailable(answer);
        return Http.json(answer).getString("detail").contains("not answering")
            && (System.nanoTime() - began) / 1_000_000 < 100;
      });
      // Open: answered at once, every time, without trying the service.
      for (int i = 0; i < 5; i++) {
        long began = System.nanoTime();
        HttpResponse<String> answer = Http.post(gateway.url("/barista/tickets/o1/start"), token, null);
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertUnavailable(answer);
        assertTrue(tookMs < 100, "an open circuit answered in " + tookMs + " ms");
      }
      // Other services are not touched by it.
      HttpResponse<String> menu = Http.get(gateway.url("/menu"), null);
      assertEquals(200, menu.statusCode());
      assertEquals("order", Http.json(menu).getString("service"));
    } finally {
      barista.restart();
    }
    int seenBefore = barista.seen().size();
    Eventually.await(Duration.ofSeconds(10), () -> Http.get(tickets, token).statusCode() == 200);
    assertTrue(barista.seen().size() > seenBefore);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, Http.get(tickets, token).statusCode());
    }
  }

  @Test
  void aSlowServiceTimesOutWith504() throws Exception {
    TestUpstream payment = UPSTREAMS.get("payment");
    String admin = TestTokens.shared().token("a1", "admin");
    // Warm: the first call into a fresh JVM spends its time loading classes, not waiting for payment.
    assertEquals(200, Http.get(gateway.url("/payments/o1"), admin).statusCode());
    payment.answerAfter(1500);
    try {
      long began = System.nanoTime();
      HttpResponse<String> answer = Http.post(gateway.url("/payments/o1"), admin, "{}");
      long tookMs = (System.nanoTime() - began) / 1_000_000;
      assertEquals(504, answer.statusCode(), answer.body());
      assertTrue(Http.contentType(answer).startsWith("application/problem+json"));
      assertTrue(tookMs < 1200, "timed out after " + tookMs + " ms");
    } finally {
      payment.answerAfter(0);
    }
  }

  @Test
  void aReadIsTriedOnceMoreButAWriteIsNot() throws Exception {
    TestUpstream delivery = UPSTREAMS.get("delivery");
    String rider = TestTokens.shared().token("r1", "rider");

    delivery.answerUnavailable(1);
    int before = delivery.seen().size();
    HttpResponse<String> read = Http.get(gateway.url("/deliveries?status=WAITING"), rider);
    assertEquals(200, read.statusCode(), read.body());
    assertEquals(before + 2, delivery.seen().size());

    delivery.answerUnavailable(1);
    before = delivery.seen().size();
    HttpResponse<String> write = Http.post(gateway.url("/deliveries/o1/pickup"), rider, null);
    assertEquals(503, write.statusCode());
    assertTrue(Http.json(write).getString("detail").contains("draining"), "the service's own answer is passed on");
    assertEquals(before + 1, delivery.seen().size());

    delivery.answerUnavailable(2);
    before = delivery.seen().size();
    assertEquals(503, Http.get(gateway.url("/deliveries"), rider).statusCode());
    assertEquals(before + 2, delivery.seen().size(), "at most one retry");
  }

  @Test
  void aServiceErrorIsPassedOnWithoutCuttingTheServiceOff() throws Exception {
    TestUpstream mypage = UPSTREAMS.get("mypage");
    String alice = TestTokens.shared().token("alice-id", "customer");
    mypage.answerStatus(500);
    try {
      for (int i = 0; i < 5; i++) {
        assertEquals(500, Http.get(gateway.url("/mypage/orders"), alice).statusCode());
      }
    } finally {
      mypage.answerStatus(200);
    }
    assertEquals(200, Http.get(gateway.url("/mypage/orders"), alice).statusCode());
  }
}
