package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A service that stops answering is cut off quickly, without slowing the others, and let back in when it returns. */
class CircuitBreakerIT {
  @RegisterExtension
  static final StandInServices gateway = StandInServices.behind("gateway_breaker_it",
      Map.of("BREAKER_MAX_FAILURES", "3", "BREAKER_RESET_MS", "1500", "UPSTREAM_TIMEOUT_MS", "400"));

  private static void assertUnavailable(Http.Response answer) {
    assertEquals(503, answer.status(), answer.body());
    assertTrue(answer.contentType().startsWith("application/problem+json"));
    int retryAfter = Integer.parseInt(answer.headers().firstValue("Retry-After").orElse("0"));
    assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);
  }

  @Test
  void aStoppedServiceOpensItsCircuitAndIsLetBackInWhenItReturns() throws Exception {
    TestUpstream barista = gateway.upstream("barista");
    String token = TestTokens.shared().token("b1", "barista");
    String tickets = "/barista/tickets";
    assertEquals(200, gateway.http().get(tickets, token).status());

    barista.stop();
    try {
      // Refused connections count against the circuit until it opens.
      Eventually.await(Duration.ofSeconds(10), () -> {
        long began = System.nanoTime();
        Http.Response answer = gateway.http().get(tickets, token);
        assertUnavailable(answer);
        return answer.json().getString("detail").contains("not answering")
            && (System.nanoTime() - began) / 1_000_000 < 100;
      });
      // Open: answered at once, every time, without trying the service.
      for (int i = 0; i < 5; i++) {
        long began = System.nanoTime();
        Http.Response answer = gateway.http().post("/barista/tickets/o1/start", token);
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertUnavailable(answer);
        assertTrue(tookMs < 100, "an open circuit answered in " + tookMs + " ms");
      }
      // Other services are not touched by it.
      Http.Response menu = gateway.http().get("/menu", null);
      assertEquals(200, menu.status());
      assertEquals("order", menu.json().getString("service"));
    } finally {
      barista.restart();
    }
    int seenBefore = barista.seen().size();
    Eventually.await(Duration.ofSeconds(10), () -> gateway.http().get(tickets, token).status() == 200);
    assertTrue(barista.seen().size() > seenBefore);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, gateway.http().get(tickets, token).status());
    }
  }

  @Test
  void aServiceRefusingAsBusyIsPassedOnAndItsCircuitStaysClosed() throws Exception {
    // Order at capacity sheds load with 503 busy: an answer from a live service, not a failure.
    TestUpstream order = gateway.upstream("order");
    String token = TestTokens.shared().token("c1", "customer");
    order.answerBusy(6);
    for (int i = 0; i < 6; i++) {
      Http.Response answer = gateway.http().post("/orders", token, "{}");
      assertEquals(503, answer.status(), answer.body());
      assertEquals("urn:cafe:problem:busy", answer.json().getString("type"), answer.body());
      assertEquals("2", answer.headers().firstValue("Retry-After").orElse(null), "order's own Retry-After");
    }
    // Six refusals are more than BREAKER_MAX_FAILURES (3), yet the next order still reaches order.
    int seenBefore = order.seen().size();
    assertEquals(200, gateway.http().post("/orders", token, "{}").status());
    assertEquals(seenBefore + 1, order.seen().size());
  }

  @Test
  void aSlowServiceTimesOutWith504() throws Exception {
    TestUpstream payment = gateway.upstream("payment");
    String admin = TestTokens.shared().token("a1", "admin");
    // Warm: the first call into a fresh JVM spends its time loading classes, not waiting for payment.
    assertEquals(200, gateway.http().get("/payments/o1", admin).status());
    payment.answerAfter(1500);
    try {
      long began = System.nanoTime();
      Http.Response answer = gateway.http().post("/payments/o1", admin, "{}");
      long tookMs = (System.nanoTime() - began) / 1_000_000;
      assertEquals(504, answer.status(), answer.body());
      assertTrue(answer.contentType().startsWith("application/problem+json"));
      assertTrue(tookMs < 1200, "timed out after " + tookMs + " ms");
    } finally {
      payment.answerAfter(0);
    }
  }

  @Test
  void aReadIsTriedOnceMoreButAWriteIsNot() throws Exception {
    TestUpstream delivery = gateway.upstream("delivery");
    String rider = TestTokens.shared().token("r1", "rider");

    delivery.answerUnavailable(1);
    int before = delivery.seen().size();
    Http.Response read = gateway.http().get("/deliveries?status=WAITING", rider);
    assertEquals(200, read.status(), read.body());
    assertEquals(before + 2, delivery.seen().size());

    delivery.answerUnavailable(1);
    before = delivery.seen().size();
    Http.Response write = gateway.http().post("/deliveries/o1/pickup", rider);
    assertEquals(503, write.status());
    assertTrue(write.json().getString("detail").contains("draining"), "the service's own answer is passed on");
    assertEquals(before + 1, delivery.seen().size());

    delivery.answerUnavailable(2);
    before = delivery.seen().size();
    assertEquals(503, gateway.http().get("/deliveries", rider).status());
    assertEquals(before + 2, delivery.seen().size(), "at most one retry");
  }

  @Test
  void aServiceErrorIsPassedOnWithoutCuttingTheServiceOff() throws Exception {
    TestUpstream mypage = gateway.upstream("mypage");
    String alice = TestTokens.shared().token("alice-id", "customer");
    mypage.answerStatus(500);
    try {
      for (int i = 0; i < 5; i++) {
        assertEquals(500, gateway.http().get("/mypage/orders", alice).status());
      }
    } finally {
      mypage.answerStatus(200);
    }
    assertEquals(200, gateway.http().get("/mypage/orders", alice).status());
  }
}
