package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import cafe.testkit.Http;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Calls pass through the gateway to a real server and back, WebSockets included. */
class ProxyIT {
  private static final String SHOP = "https://shop.example.com";

  @RegisterExtension
  static final StandInServices gateway = StandInServices.behind("gateway_proxy_it",
      Map.of("HTTP_BODY_LIMIT_BYTES", "2048", "CORS_ORIGINS", SHOP));

  private static String customer() {
    return TestTokens.shared().token("alice-id", "customer");
  }

  @Test
  void aCallArrivesWithItsBodyTokenKeyAndRequestIdAndItsAnswerComesBack() throws Exception {
    String token = customer();
    String body = "{\"items\":[{\"menuItemId\":\"latte\",\"qty\":2}],\"card\":\"4242424242424242\"}";
    Http.Response answer = gateway.http().send("POST", "/orders?source=app", token, body, Map.of("Idempotency-Key", "key-123", "X-Request-Id", "req-abc", "Cookie", "secret=1"));
    assertEquals(200, answer.status(), answer.body());
    assertEquals("req-abc", answer.headers().firstValue("X-Request-Id").orElse(""));
    assertEquals("/orders/42", answer.headers().firstValue("Location").orElse(""));

    TestUpstream.Seen seen = gateway.upstream("order").last();
    assertEquals("POST", seen.method());
    assertEquals("/orders", seen.path());
    assertEquals("source=app", seen.query());
    assertEquals(body, seen.body());
    assertEquals("Bearer " + token, seen.headers().get("Authorization"));
    assertEquals("key-123", seen.headers().get("Idempotency-Key"));
    assertEquals("req-abc", seen.headers().get("X-Request-Id"));
    assertEquals("application/json", seen.headers().get("Content-Type"));
    assertFalse(seen.headers().contains("Cookie"), "cookies stay at the gateway");
    assertEquals("127.0.0.1", seen.headers().get("X-Forwarded-For"));
  }

  @Test
  void aRequestWithoutAnIdGetsOneThatTheServiceSeesToo() throws Exception {
    Http.Response answer = gateway.http().get("/menu", null);
    String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
    assertEquals(id, gateway.upstream("order").last().headers().get("X-Request-Id"));
  }

  @Test
  void theServicesStatusAndProblemsComeBackAsTheyAre() throws Exception {
    TestUpstream delivery = gateway.upstream("delivery");
    delivery.answerStatus(409);
    try {
      Http.Response answer = gateway.http().post("/deliveries/o1/complete", TestTokens.shared().token("r1", "rider"));
      assertEquals(409, answer.status());
      assertEquals("delivery", answer.json().getString("service"));
    } finally {
      delivery.answerStatus(200);
    }
  }

  @Test
  void aBodyOverTheLimitIs413AndNeverForwarded() throws Exception {
    int before = gateway.upstream("order").seen().size();
    String big = "{\"address\":\"" + "x".repeat(4096) + "\"}";
    Http.Response answer = gateway.http().post("/orders", customer(), big);
    assertEquals(413, answer.status());
    assertTrue(answer.contentType().startsWith("application/problem+json"));
    assertEquals(before, gateway.upstream("order").seen().size());
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws Exception {
    for (Http.Response answer : List.of(gateway.http().get("/", null), gateway.http().get("/menu", null),
        gateway.http().get("/orders", null))) {
      assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), answer.uri().toString());
      assertEquals(1, answer.headers().allValues("X-Content-Type-Options").size(), "the service's own value is replaced");
      assertEquals("DENY", answer.headers().firstValue("X-Frame-Options").orElse(""));
      assertEquals("no-referrer", answer.headers().firstValue("Referrer-Policy").orElse(""));
      String csp = answer.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'")
          && csp.contains("frame-ancestors 'none'"), csp);
    }
  }

  @Test
  void configuredOriginsMayCallFromTheBrowser() throws Exception {
    Http.Response preflight = gateway.http().send("OPTIONS", "/orders", null, null, Map.of(
        "Origin", SHOP, "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization,content-type,idempotency-key"));
    assertTrue(preflight.status() < 300, "preflight " + preflight.status());
    assertEquals(SHOP, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase();
    assertTrue(allowed.contains("authorization") && allowed.contains("idempotency-key"), allowed);

    Http.Response simple = gateway.http().send("GET", "/menu", null, null, Map.of("Origin", SHOP));
    assertEquals(SHOP, simple.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

    Http.Response stranger = gateway.http().send("GET", "/menu", null, null, Map.of("Origin", "https://evil.example"));
    assertTrue(stranger.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void theLiveSocketIsBridgedBothWays() throws Exception {
    String token = customer();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    WebSocket socket = Http.client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create(gateway.wsUrl("/ws/orders?access_token=" + token)), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              received.add(text.toString());
              text.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);

    JsonObject hello = new JsonObject(received.poll(10, TimeUnit.SECONDS));
    assertEquals("mypage", hello.getString("hello"));
    assertEquals("/ws/orders", hello.getString("path"));
    assertEquals("Bearer " + token, hello.getString("authorization"));
    assertNotNull(hello.getString("requestId"));
    assertTrue(hello.getString("query") == null || !hello.getString("query").contains("access_token"));

    socket.sendText("ping-1", true).get(5, TimeUnit.SECONDS);
    assertEquals("ping-1", new JsonObject(received.poll(10, TimeUnit.SECONDS)).getString("echo"));

    socket.sendText("close", true).get(5, TimeUnit.SECONDS);
    assertEquals("4000 bye", closed.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aPlainRequestToTheSocketIsToldToUpgrade() throws Exception {
    Http.Response answer = gateway.http().get("/ws/orders", customer());
    assertEquals(426, answer.status());
    assertTrue(answer.contentType().startsWith("application/problem+json"));
  }
}
