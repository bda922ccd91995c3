package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may pass the gateway on which route, and what a bad token gets. */
class AuthorizationIT {
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
    gateway = RunningGateway.start("gateway_authz_it", env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String tokenFor(String role) {
    return role.equals("-") ? null : TestTokens.shared().token("user-" + role, role);
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(Http.contentType(response).startsWith("application/problem+json"), Http.contentType(response));
    assertEquals(status, Http.json(response).getInteger("status"));
  }

  @ParameterizedTest(name = "{0} {1} as {2}: {3}")
  @CsvSource({
      "GET,  /menu,                    -,        200, order",
      "GET,  /menu,                    rider,    200, order",
      "POST, /orders,                  customer, 200, order",
      "GET,  /orders/o1,               customer, 200, order",
      "POST, /orders/o1/cancel,        customer, 200, order",
      "GET,  /orders,                  -,        401, -",
      "GET,  /orders,                  barista,  403, -",
      "GET,  /orders,                  admin,    403, -",
      "GET,  /payments/o1,             admin,    200, payment",
      "GET,  /payments/o1,             customer, 403, -",
      "GET,  /payments/o1,             rider,    403, -",
      "GET,  /payments/o1,             -,        401, -",
      "GET,  /barista/tickets,         barista,  200, barista",
      "POST, /barista/tickets/o1/start, barista, 200, barista",
      "PUT,  /barista/stock/latte,     admin,    200, barista",
      "GET,  /barista/tickets,         customer, 403, -",
      "GET,  /barista/tickets,         rider,    403, -",
      "GET,  /barista/tickets,         -,        401, -",
      "GET,  /deliveries,              rider,    200, delivery",
      "POST, /deliveries/o1/pickup,    rider,    200, delivery",
      "GET,  /deliveries,              admin,    200, delivery",
      "GET,  /deliveries,              barista,  403, -",
      "GET,  /deliveries,              customer, 403, -",
      "GET,  /deliveries,              -,        401, -",
      "GET,  /mypage/orders,           customer, 200, mypage",
      "GET,  /mypage/notifications,    customer, 200, mypage",
      "GET,  /mypage/orders,           barista,  403, -",
      "GET,  /mypage/orders,           -,        401, -",
  })
  void eachRouteLetsInOnlyItsRoles(String method, String path, String role, int status, String upstream)
      throws Exception {
    int before = upstream.equals("-") ? 0 : UPSTREAMS.get(upstream).seen().size();
    String body = method.equals("GET") ? null : "{}";
    HttpResponse<String> answer = Http.send(method, gateway.url(path), tokenFor(role), body, Map.of());
    if (status == 200) {
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals(upstream, Http.json(answer).getString("service"));
      assertEquals(path, Http.json(answer).getString("path"));
      assertEquals(before + 1, UPSTREAMS.get(upstream).seen().size());
    } else {
      assertProblem(answer, status);
      if (status == 401) {
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      } else {
        assertTrue(Http.json(answer).getString("detail").contains(role), answer.body());
      }
    }
  }

  @Test
  void refusedCallsNeverReachTheService() throws Exception {
    int seen = UPSTREAMS.values().stream().mapToInt(u -> u.seen().size()).sum();
    Http.get(gateway.url("/payments/o1"), tokenFor("customer"));
    Http.get(gateway.url("/orders"), null);
    Http.get(gateway.url("/barista/tickets"), TestTokens.shared().expiredToken("u", "barista"));
    assertEquals(seen, UPSTREAMS.values().stream().mapToInt(u -> u.seen().size()).sum());
  }

  @Test
  void everyKindOfBadTokenIs401() throws Exception {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("alg none", Jwts.unsigned(Jwts.claims("mallory", "customer")));
    bad.put("expired", TestTokens.shared().expiredToken("mallory", "customer"));
    bad.put("signed by another key", TestTokens.shared().tokenSignedByAnotherKey("mallory", "customer"));
    bad.put("claims changed after signing", Jwts.tampered(TestTokens.shared().token("mallory", "rider"),
        Jwts.claims("mallory", "customer")));
    bad.put("HS256 keyed with the public key", Jwts.hs256WithPublicKey(Jwts.claims("mallory", "customer")));
    bad.put("another issuer", Jwts.rs256(Jwts.claims("mallory", "customer").put("iss", "someone-else")));
    bad.put("no subject", Jwts.rs256(Jwts.claims("mallory", "customer").putNull("sub")));
    bad.put("not a JWT", "coffee");
    bad.put("three parts of nonsense", "a.b.c");
    bad.put("empty", " ");
    for (Map.Entry<String, String> token : bad.entrySet()) {
      HttpResponse<String> answer = Http.send("GET", gateway.url("/orders"), null, null,
          Map.of("Authorization", "Bearer " + token.getValue()));
      assertEquals(401, answer.statusCode(), token.getKey() + ": " + answer.body());
      assertTrue(Http.contentType(answer).startsWith("application/problem+json"), token.getKey());
    }
    assertEquals(401, Http.send("GET", gateway.url("/orders"), null, null, Map.of("Authorization", "Basic YTpi"))
        .statusCode());
  }

  @Test
  void theTokenMayComeAsAQueryParameter() throws Exception {
    HttpResponse<String> answer = Http.get(gateway.url("/mypage/orders?access_token=" + tokenFor("customer")), null);
    assertEquals(200, answer.statusCode(), answer.body());
  }

  @Test
  void publicThingsNeedNoToken() throws Exception {
    assertEquals(200, Http.get(gateway.url("/menu"), null).statusCode());
    assertEquals(200, Http.get(gateway.url("/.well-known/jwks.json"), null).statusCode());
    assertEquals(200, Http.get(gateway.url("/health/live"), null).statusCode());
    assertEquals(200, Http.get(gateway.url("/"), null).statusCode());
    assertEquals(200, Http.get(gateway.url("/barista.html"), null).statusCode());
    // A stale token in the browser does not break the public menu.
    assertEquals(200, Http.get(gateway.url("/menu"), TestTokens.shared().expiredToken("alice", "customer")).statusCode());
  }

  @Test
  void dotSegmentsCannotSlipPastARule() throws Exception {
    int payments = UPSTREAMS.get("payment").seen().size();
    HttpResponse<String> answer = Http.get(gateway.url("/menu/../payments/o1"), null);
    assertProblem(answer, 401);
    HttpResponse<String> encoded = Http.get(gateway.url("/menu/%2e%2e/payments/o1"), tokenFor("customer"));
    assertFalse(encoded.statusCode() == 200 && Http.json(encoded).getString("service").equals("payment"), encoded.body());
    assertEquals(payments, UPSTREAMS.get("payment").seen().size());
  }

  @Test
  void theLiveSocketNeedsAValidToken() throws Exception {
    for (String token : new String[] {null, TestTokens.shared().expiredToken("alice", "customer"), "coffee"}) {
      String url = gateway.wsUrl("/ws/orders" + (token == null ? "" : "?access_token=" + token));
      CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
          () -> Http.client().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
              .buildAsync(URI.create(url), new WebSocket.Listener() { }).join());
      assertTrue(refused.getCause() instanceof WebSocketHandshakeException, String.valueOf(refused.getCause()));
      assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }
    HttpResponse<String> plain = Http.get(gateway.url("/ws/orders"), null);
    assertProblem(plain, 401);
  }
}
