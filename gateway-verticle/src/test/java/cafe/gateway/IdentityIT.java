package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.config.Env;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.http.HttpResponse;
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
import java.util.concurrent.TimeUnit;
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

  private static HttpResponse<String> signUp(String username, String password) throws Exception {
    return Http.postJson(gateway.url("/auth/signup"), new JsonObject().put("username", username).put("password", password));
  }

  private static HttpResponse<String> token(String username, String password) throws Exception {
    return Http.postJson(gateway.url("/auth/token"), new JsonObject().put("username", username).put("password", password));
  }

  private static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertTrue(Http.contentType(response).startsWith("application/problem+json"), Http.contentType(response));
    assertEquals(status, Http.json(response).getInteger("status"));
    assertNotNull(Http.json(response).getString("detail"));
  }

  @Test
  void theSeededAccountsSignInWithTheirRoles() throws Exception {
    Map<String, String> roles = Map.of("alice", "customer", "bob", "customer", "barista", "barista",
        "rider", "rider", "admin", "admin");
    for (Map.Entry<String, String> seed : roles.entrySet()) {
      HttpResponse<String> answer = token(seed.getKey(), seed.getKey());
      assertEquals(200, answer.statusCode(), seed.getKey() + ": " + answer.body());
      assertEquals(new JsonArray().add(seed.getValue()), Http.json(answer).getJsonArray("roles"));
      assertEquals(List.of(seed.getValue()), claims(Http.json(answer).getString("access_token"))
          .getJsonArray("roles").getList());
    }
  }

  @Test
  void aNewCustomerSignsUpThenSignsIn() throws Exception {
    String name = newName();
    HttpResponse<String> created = signUp(name, "flat-white");
    assertEquals(201, created.statusCode(), created.body());
    String userId = Http.json(created).getString("userId");
    assertEquals(name, Http.json(created).getString("username"));
    assertNotNull(userId);

    HttpResponse<String> signedIn = token(name, "flat-white");
    assertEquals(200, signedIn.statusCode(), signedIn.body());
    JsonObject answer = Http.json(signedIn);
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
    assertEquals(201, signUp(name.toUpperCase(), "cortado").statusCode());
    assertEquals(200, token(name, "cortado").statusCode());
    assertProblem(signUp(name, "another"), 409);
  }

  @Test
  void aTakenUserNameIsAConflict() throws Exception {
    String name = newName();
    assertEquals(201, signUp(name, "macchiato").statusCode());
    HttpResponse<String> again = signUp(name, "different");
    assertProblem(again, 409);
    assertTrue(Http.json(again).getString("detail").contains("taken"));
    assertProblem(signUp("alice", "whatever"), 409);
    // The first password still holds.
    assertEquals(200, token(name, "macchiato").statusCode());
    assertEquals(401, token(name, "different").statusCode());
  }

  @Test
  void badSignUpsSayWhatIsWrong() throws Exception {
    HttpResponse<String> shortName = signUp("ab", "long-enough");
    assertProblem(shortName, 400);
    assertTrue(Http.json(shortName).getString("detail").contains("3 to 32"), shortName.body());
    assertProblem(signUp("bad name!", "long-enough"), 400);
    HttpResponse<String> shortPassword = signUp(newName(), "abc");
    assertProblem(shortPassword, 400);
    assertTrue(Http.json(shortPassword).getString("detail").contains("4 to 128"), shortPassword.body());
    assertProblem(Http.postJson(gateway.url("/auth/signup"), new JsonObject().put("username", newName())), 400);
    assertProblem(Http.post(gateway.url("/auth/signup"), null, "{not json"), 400);
    assertProblem(Http.post(gateway.url("/auth/token"), null, "[]"), 400);
  }

  @Test
  void aWrongPasswordAndAnUnknownNameAreBoth401() throws Exception {
    HttpResponse<String> wrong = token("alice", "not-alice");
    HttpResponse<String> unknown = token(newName(), "whatever");
    assertProblem(wrong, 401);
    assertProblem(unknown, 401);
    assertEquals(Http.json(wrong).getString("detail"), Http.json(unknown).getString("detail"));
  }

  @Test
  void theJwksPublishesTheKeyThatVerifiesIssuedTokens() throws Exception {
    String jwt = Http.json(token("barista", "barista")).getString("access_token");
    HttpResponse<String> jwksAnswer = Http.get(gateway.url("/.well-known/jwks.json"), null);
    assertEquals(200, jwksAnswer.statusCode());
    JsonObject jwk = Http.json(jwksAnswer).getJsonArray("keys").getJsonObject(0);
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
    Vertx vertx = Vertx.vertx();
    try {
      JwtVerifier services = JwtVerifier.from(vertx, new Env(Map.of("JWT_PUBLIC_KEY", pem, "JWT_ISSUER", "cafe")));
      Caller caller = services.verify(jwt).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals("barista", caller.username());
      assertTrue(caller.has("barista"));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void issuedTokensOpenTheGatewayForTheirRole() throws Exception {
    String admin = Http.json(token("admin", "admin")).getString("access_token");
    String alice = Http.json(token("alice", "alice")).getString("access_token");
    // No service runs behind this gateway: passing the door shows as 503, not 401 or 403.
    assertEquals(503, Http.get(gateway.url("/payments/nothing"), admin).statusCode());
    assertEquals(403, Http.get(gateway.url("/payments/nothing"), alice).statusCode());
  }

  @Test
  void accountsOutliveTheGateway() throws Exception {
    String name = newName();
    assertEquals(201, signUp(name, "ristretto").statusCode());
    gateway.close();
    gateway = RunningGateway.start(DATABASE, Map.of("JWT_PRIVATE_KEY", ""));
    assertEquals(200, token(name, "ristretto").statusCode());
    assertEquals(200, token("alice", "alice").statusCode());
  }
}
