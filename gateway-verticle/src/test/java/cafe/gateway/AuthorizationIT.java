package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import cafe.testkit.Http;
import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may pass the gateway on which route, and what a bad token gets. */
class AuthorizationIT {
  @RegisterExtension
  static final StandInServices gateway = StandInServices.behind("gateway_authz_it", Map.of());

  private static String tokenFor(String role) {
    return role.equals("-") ? null : TestTokens.shared().token("user-" + role, role);
  }

  private static void assertProblem(Http.Response response, int status) {
    assertEquals(status, response.status(), response.body());
    assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
    assertEquals(status, response.json().getInteger("status"));
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
      "GET,  /orders/o1,               barista,  200, order",
      "GET,  /orders/o1,               rider,    200, order",
      "GET,  /orders/o1,               admin,    200, order",
      "POST, /orders/o1/cancel,        barista,  403, -",
      "POST, /orders,                  admin,    403, -",
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
      "GET,  /mypage/orders/o1,        rider,    200, mypage",
      "GET,  /mypage/orders/o1,        admin,    200, mypage",
      "GET,  /mypage/orders,           -,        401, -",
  })
  void eachRouteLetsInOnlyItsRoles(String method, String path, String role, int status, String upstream)
      throws Exception {
    int before = upstream.equals("-") ? 0 : gateway.upstream(upstream).seen().size();
    String body = method.equals("GET") ? null : "{}";
    Http.Response answer = gateway.http().send(method, path, tokenFor(role), body, Map.of());
    if (status == 200) {
      assertEquals(200, answer.status(), answer.body());
      assertEquals(upstream, answer.json().getString("service"));
      assertEquals(path, answer.json().getString("path"));
      assertEquals(before + 1, gateway.upstream(upstream).seen().size());
    } else {
      assertProblem(answer, status);
      if (status == 401) {
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      } else {
        assertTrue(answer.json().getString("detail").contains(role), answer.body());
      }
    }
  }

  @Test
  void refusedCallsNeverReachTheService() throws Exception {
    int seen = gateway.upstreams().stream().mapToInt(u -> u.seen().size()).sum();
    gateway.http().get("/payments/o1", tokenFor("customer"));
    gateway.http().get("/orders", null);
    gateway.http().get("/barista/tickets", TestTokens.shared().expiredToken("u", "barista"));
    assertEquals(seen, gateway.upstreams().stream().mapToInt(u -> u.seen().size()).sum());
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
      Http.Response answer = gateway.http().send("GET", "/orders", null, null, Map.of("Authorization", "Bearer " + token.getValue()));
      assertEquals(401, answer.status(), token.getKey() + ": " + answer.body());
      assertTrue(answer.contentType().startsWith("application/problem+json"), token.getKey());
    }
    assertEquals(401, gateway.http().send("GET", "/orders", null, null, Map.of("Authorization", "Basic YTpi"))
        .status());
  }

  @Test
  void aTokenInTheQueryIsReadOnTheLiveSocketAlone() throws Exception {
    int seen = gateway.upstream("mypage").seen().size();
    Http.Response answer = gateway.http().get("/mypage/orders?access_token=" + tokenFor("customer"), null);
    assertProblem(answer, 401);
    assertEquals(seen, gateway.upstream("mypage").seen().size(), "nothing reached mypage");
  }

  @Test
  void publicThingsNeedNoToken() throws Exception {
    assertEquals(200, gateway.http().get("/menu", null).status());
    assertEquals(200, gateway.http().get("/.well-known/jwks.json", null).status());
    assertEquals(200, gateway.http().get("/health/live", null).status());
    assertEquals(200, gateway.http().get("/", null).status());
    assertEquals(200, gateway.http().get("/barista.html", null).status());
    // A stale token in the browser does not break the public menu.
    assertEquals(200, gateway.http().get("/menu", TestTokens.shared().expiredToken("alice", "customer")).status());
  }

  @Test
  void dotSegmentsCannotSlipPastARule() throws Exception {
    int payments = gateway.upstream("payment").seen().size();
    Http.Response answer = gateway.http().get("/menu/../payments/o1", null);
    assertProblem(answer, 401);
    Http.Response encoded = gateway.http().get("/menu/%2e%2e/payments/o1", tokenFor("customer"));
    assertFalse(encoded.status() == 200 && encoded.json().getString("service").equals("payment"), encoded.body());
    assertEquals(payments, gateway.upstream("payment").seen().size());
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
    Http.Response plain = gateway.http().get("/ws/orders", null);
    assertProblem(plain, 401);
  }
}
