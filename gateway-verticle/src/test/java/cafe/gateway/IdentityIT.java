package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.config.Env;
import cafe.testkit.Await;
import cafe.testkit.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-up and sign-in against the real accounts database, and tokens the services accept. */
class IdentityIT {
  private static final String DATABASE = "gateway_identity_it";
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    // Signs with a key of its own, so the JWKS is the only way to learn it.
    gateway = RunningGateway.start(DATABASE, Map.of("CAFE_SEED_USERS", "true", "JWT_PRIVATE_KEY", ""));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String newName() {
    return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static Http.Response signUp(String username, String password) throws Exception {
    return gateway.http().post("/auth/signup", null, new JsonObject().put("username", username).put("password", password));
  }

  private static Http.Response token(String username, String password) throws Exception {
    return gateway.http().post("/auth/token", null, new JsonObject().put("username", username).put("password", password));
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static void assertProblem(Http.Response response, int status) {
    assertEquals(status, response.status(), response.body());
    assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
    assertEquals(status, response.json().getInteger("status"));
    assertNotNull(response.json().getString("detail"));
  }

  @Test
  void theSeededAccountsSignInWithTheirRoles() throws Exception {
    Map<String, String> roles = Map.of("alice", "customer", "bob", "customer", "barista", "barista",
        "rider", "rider", "admin", "admin");
    for (Map.Entry<String, String> seed : roles.entrySet()) {
      Http.Response answer = token(seed.getKey(), seed.getKey());
      assertEquals(200, answer.status(), seed.getKey() + ": " + answer.body());
      assertEquals(new JsonArray().add(seed.getValue()), answer.json().getJsonArray("roles"));
      assertEquals(List.of(seed.getValue()), claims(answer.json().getString("access_token"))
          .getJsonArray("roles").getList());
    }
  }

  @Test
  void aNewCustomerSignsUpThenSignsIn() throws Exception {
    String name = newName();
    Http.Response created = signUp(name, "flat-white");
    assertEquals(201, created.status(), created.body());
    String userId = created.json().getString("userId");
    assertEquals(name, created.json().getString("username"));
    assertNotNull(userId);

    Http.Response signedIn = token(name, "flat-white");
    assertEquals(200, signedIn.status(), signedIn.body());
    JsonObject answer = signedIn.json();
    assertEquals("Bearer", answer.getString("token_type"));
    assertEquals(3600, answer.getInteger("expires_in"));
    assertEquals(new JsonArray().add("customer"), answer.getJsonArray("roles"));
    assertEquals("no-store", signedIn.headers().firstValue("Cache-Control").orElse(""));

    JsonObject claims = claims(answer.getString("access_token"));
    assertEquals(userId, claims.getString("sub"));
    assertEquals(name, claims.getString("preferred_username"));
    assertEquals("cafe", claims.getString("iss"));
    long now = Instant.now().getEpochSecond();
    assertTrue(Math.abs(claims.getLong("exp") - (now + 3600)) < 60, claims.encode());
  }

  @Test
  void userNamesAreCaseInsensitive() throws Exception {
    String name = newName();
    assertEquals(201, signUp(name.toUpperCase(), "cortado").status());
    assertEquals(200, token(name, "cortado").status());
    assertProblem(signUp(name, "another"), 409);
  }

  @Test
  void aTakenUserNameIsAConflict() throws Exception {
    String name = newName();
    assertEquals(201, signUp(name, "macchiato").status());
    Http.Response again = signUp(name, "different");
    assertProblem(again, 409);
    assertTrue(again.json().getString("detail").contains("taken"));
    assertProblem(signUp("alice", "whatever"), 409);
    // The first password still holds.
    assertEquals(200, token(name, "macchiato").status());
    assertEquals(401, token(name, "different").status());
  }

  @Test
  void badSignUpsSayWhatIsWrong() throws Exception {
    Http.Response shortName = signUp("ab", "long-enough");
    assertProblem(shortName, 400);
    assertTrue(shortName.json().getString("detail").contains("3 to 32"), shortName.body());
    assertProblem(signUp("bad name!", "long-enough"), 400);
    Http.Response shortPassword = signUp(newName(), "abc");
    assertProblem(shortPassword, 400);
    assertTrue(shortPassword.json().getString("detail").contains("4 to 128"), shortPassword.body());
    assertProblem(gateway.http().post("/auth/signup", null, new JsonObject().put("username", newName())), 400);
    assertProblem(gateway.http().post("/auth/signup", null, "{not json"), 400);
    assertProblem(gateway.http().post("/auth/token", null, "[]"), 400);
  }

  @Test
  void aWrongPasswordAndAnUnknownNameAreBoth401() throws Exception {
    Http.Response wrong = token("alice", "not-alice");
    Http.Response unknown = token(newName(), "whatever");
    assertProblem(wrong, 401);
    assertProblem(unknown, 401);
    assertEquals(wrong.json().getString("detail"), unknown.json().getString("detail"));
  }

  @Test
  void theJwksPublishesTheKeyThatVerifiesIssuedTokens() throws Exception {
    String jwt = token("barista", "barista").json().getString("access_token");
    Http.Response jwksAnswer = gateway.http().get("/.well-known/jwks.json", null);
    assertEquals(200, jwksAnswer.status());
    JsonObject jwk = jwksAnswer.json().getJsonArray("keys").getJsonObject(0);
    assertEquals("RSA", jwk.getString("kty"));
    assertEquals("RS256", jwk.getString("alg"));
    assertFalse(jwk.containsKey("d"), "the private exponent must never be published");

    String[] parts = jwt.split("\\.");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    assertEquals(jwk.getString("kid"), header.getString("kid"));
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n"))),
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")))));
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initVerify(key);
    signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(signature.verify(Base64.getUrlDecoder().decode(parts[2])));

    // The services check tokens with the same public key (PEM), through common's verifier.
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    cafe.common.launch.ServiceRuntime service = cafe.common.launch.ServiceRuntime.create("identity-it-service",
        new Env(Map.of("JWT_PUBLIC_KEY", pem, "JWT_ISSUER", "cafe")));
    try {
      JwtVerifier services = Await.result(JwtVerifier.start(service));
      Caller caller = Await.result(services.verify(jwt));
      assertEquals("barista", caller.username());
      assertTrue(caller.has("barista"));
    } finally {
      Await.result(service.shutdown());
    }
  }

  @Test
  void issuedTokensOpenTheGatewayForTheirRole() throws Exception {
    String admin = token("admin", "admin").json().getString("access_token");
    String alice = token("alice", "alice").json().getString("access_token");
    // No service runs behind this gateway: passing the door shows as 503, not 401 or 403.
    assertEquals(503, gateway.http().get("/payments/nothing", admin).status());
    assertEquals(403, gateway.http().get("/payments/nothing", alice).status());
  }

  @Test
  void accountsOutliveTheGateway() throws Exception {
    String name = newName();
    assertEquals(201, signUp(name, "ristretto").status());
    gateway.close();
    gateway = RunningGateway.start(DATABASE, Map.of("JWT_PRIVATE_KEY", ""));
    assertEquals(200, token(name, "ristretto").status());
    assertEquals(200, token("alice", "alice").status());
  }
}
