package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.infra.TestIdentityProvider;
import cafe.infra.TestTokens;
import cafe.testkit.Await;
import cafe.testkit.Http;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With JWT_JWKS_URL the gateway trusts an outside identity provider (Cognito-like) instead of its own key. */
class JwksModeIT {
  private static final String ISSUER = "https://idp.example/eu-west-1_pool";
  private static final String KID = "idp-key-1";
  private static Vertx vertx;
  private static TestIdentityProvider idp;
  private static TestUpstream barista;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    idp = new TestIdentityProvider();
    idp.addRsaKey(KID);
    barista = TestUpstream.start(vertx, "barista");
    gateway = RunningGateway.start("gateway_jwks_it", Map.of(
        "BARISTA_URL", barista.url(),
        "JWT_JWKS_URL", idp.jwksUrl(),
        "JWT_ISSUER", ISSUER,
        "JWT_ROLES_CLAIM", "cognito:groups",
        "JWT_PRIVATE_KEY", ""));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    Await.result(vertx.close());
    idp.close();
  }

  private static JsonObject providerClaims(String... groups) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", "5f0c-user").put("username", "maria").put("token_use", "access")
        .put("cognito:groups", new JsonArray(Arrays.asList((Object[]) groups))).put("iss", ISSUER)
        .put("iat", now).put("exp", now + 600);
  }

  private static String providerToken(JsonObject claims) throws Exception {
    return idp.token(KID, claims.encode());
  }

  @Test
  void aProviderTokenWithTheRightGroupPasses() throws Exception {
    String token = providerToken(providerClaims("barista"));
    Http.Response answer = gateway.http().get("/barista/tickets", token);
    assertEquals(200, answer.status(), answer.body());
    assertEquals("Bearer " + token, barista.last().headers().get("Authorization"));
  }

  @Test
  void rolesComeFromTheConfiguredClaimOnly() throws Exception {
    Http.Response customer = gateway.http().get("/barista/tickets", providerToken(providerClaims("customer")));
    assertEquals(403, customer.status());
    assertTrue(customer.json().getString("detail").contains("maria"), customer.body());
    JsonObject sneaky = providerClaims().put("roles", new JsonArray().add("barista"));
    assertEquals(403, gateway.http().get("/barista/tickets", providerToken(sneaky)).status());
  }

  @Test
  void tokensOfAnotherIssuerOrKeyAreRefused() throws Exception {
    assertEquals(401, gateway.http().get("/barista/tickets", providerToken(providerClaims("barista").put("iss", "https://elsewhere.example"))).status());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair stranger = generator.generateKeyPair();
    String forged = TestIdentityProvider.sign("RS256", KID, stranger.getPrivate(), providerClaims("barista").encode());
    assertEquals(401, gateway.http().get("/barista/tickets", forged).status());
    assertEquals(401, gateway.http().get("/barista/tickets", TestTokens.shared().expiredToken("u", "barista"))
        .status());
  }

  @Test
  void accountsAreTheProvidersBusiness() throws Exception {
    Http.Response answer = gateway.http().post("/auth/token", null, new JsonObject().put("username", "alice").put("password", "alice"));
    assertEquals(404, answer.status());
    assertTrue(answer.json().getString("detail").contains("identity provider"), answer.body());
  }

  @Test
  void anUnreachableJwksStopsTheStartWithTheSettingsName() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    IllegalStateException failed = assertThrows(IllegalStateException.class, () -> RunningGateway.start("gateway_jwks_it",
        Map.of("JWT_JWKS_URL", "http://127.0.0.1:" + deadPort + "/jwks.json")));
    assertTrue(failed.getCause() instanceof ConfigException, String.valueOf(failed.getCause()));
    assertTrue(failed.getCause().getMessage().contains("JWT_JWKS_URL"));
  }
}
