package cafe.system;

import static cafe.system.CafeStack.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestIdentityProvider;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cafe behind an outside identity provider (as Amazon Cognito is on EKS): every service, not only the
 * gateway, checks the provider's tokens against its JWKS, its issuer and the app's audience, and reads the
 * roles from {@code cognito:groups}. The barista and rider work by hand, so a cancellation finds the drink
 * still queued.
 */
class OutsideIdentityIT {
  static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_cafe";
  static final String CLIENT = "cafe-web-client";
  static TestIdentityProvider idp;
  static CafeStack stack;

  @BeforeAll
  static void start() {
    idp = new TestIdentityProvider();
    idp.addRsaKey("pool-key-1");
    stack = CafeStack.start("outside_identity", 0, 0, Map.of(
        "JWT_JWKS_URL", idp.jwksUrl(),
        "JWT_ISSUER", ISSUER,
        "JWT_AUDIENCE", CLIENT,
        "JWT_ROLES_CLAIM", "cognito:groups",
        // Accounts are the provider's: the gateway signs nothing.
        "JWT_PRIVATE_KEY", ""));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  /** An access token as Cognito issues one: no aud, the app in client_id, the groups as roles. */
  static JsonObject accessToken(String sub, String group) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", sub).put("username", "user-" + sub.substring(0, 8)).put("iss", ISSUER)
        .put("client_id", CLIENT).put("token_use", "access").put("cognito:groups", new JsonArray().add(group))
        .put("iat", now).put("exp", now + 900);
  }

  static String token(JsonObject claims) {
    return idp.token("pool-key-1", claims.encode());
  }

  @Test
  void aCustomerOfTheProviderPlacesPaysAndCancelsAnOrderThroughTheGateway() {
    String customer = token(accessToken(UUID.randomUUID().toString(), "customer"));
    String admin = token(accessToken(UUID.randomUUID().toString(), "admin"));
    Http http = stack.http();

    Http.Response placed = http.post("/orders", customer, Cafe.orderBody(CafeStack.GOOD_CARD, "latte", 1),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    // 201 PAID: order took the token, and so did payment, to which order passed it on for the charge.
    assertEquals(201, placed.status(), placed.body());
    assertEquals("PAID", placed.json().getString("status"));
    String id = placed.json().getString("id");
    assertEquals(200, http.get("/orders/" + id, customer).status());
    Eventually.await(WAIT, "the drink is queued at the bar",
        () -> "QUEUED".equals(http.get("/orders/" + id, customer).json().getString("status")));

    Http.Response cancelled = http.post("/orders/" + id + "/cancel", customer);
    assertEquals(202, cancelled.status(), cancelled.body());
    Eventually.await(WAIT, "the order is cancelled",
        () -> "CANCELLED".equals(http.get("/orders/" + id, customer).json().getString("status")));
    Eventually.await(WAIT, "the payment is refunded",
        () -> "REFUNDED".equals(http.get("/payments/" + id, admin).json().getString("status")));
    assertEquals(403, http.get("/payments/" + id, customer).status(), "a customer is no admin");
  }

  @Test
  void aTokenOfAnotherKeyIssuerOrAudienceOrPastItsExpiryIsRefusedByEveryService() {
    String sub = UUID.randomUUID().toString();
    long past = Instant.now().getEpochSecond() - 3600;
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("another key", TestIdentityProvider.sign("RS256", "pool-key-1",
        TestIdentityProvider.strangerRsa().getPrivate(), accessToken(sub, "admin").encode()));
    bad.put("another issuer", token(accessToken(sub, "admin").put("iss", "https://idp.elsewhere.example")));
    bad.put("another audience", token(accessToken(sub, "admin").put("client_id", "someone-elses-app")));
    bad.put("expired", token(accessToken(sub, "admin").put("iat", past - 900).put("exp", past)));
    String good = token(accessToken(sub, "admin"));
    Map<String, String> paths = Map.of("gateway", "/orders", "order", "/orders", "payment", "/payments/nothing",
        "barista", "/barista/tickets", "delivery", "/deliveries", "mypage", "/mypage/orders");
    paths.forEach((service, path) -> {
      Http direct = stack.service(service).http();
      assertTrue(direct.get(path, good).status() != 401, service + " takes the provider's good token");
      bad.forEach((what, token) -> {
        Http.Response refused = direct.get(path, token);
        assertEquals(401, refused.status(), service + " " + path + " with a token of " + what + ": " + refused.body());
      });
    });
  }
}
