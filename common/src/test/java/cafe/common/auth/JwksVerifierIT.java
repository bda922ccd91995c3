package cafe.common.auth;

import static cafe.common.Await.await;
import static cafe.common.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.Eventually;
import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.http.ProblemException;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.TestIdentityProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An outside identity provider (a JWKS served by the test, an RSA and an EC key): the key is picked by kid,
 * issuer and audience are checked, roles come from the claim the settings name, as an array or a string.
 */
class JwksVerifierIT {
  static final String ISSUER = "https://idp.example/pool-1";
  static final String CLIENT = "cafe-web";
  static TestIdentityProvider idp;
  static KeyPair rsa;
  static ServiceRuntime runtime;
  static JwtVerifier verifier;

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdentityProvider();
    rsa = idp.addRsaKey("rsa-1");
    idp.addEcKey("ec-1");
    runtime = ServiceRuntime.create("jwks-it", new Env(Map.of()));
    verifier = await(JwtVerifier.start(runtimeWith(Map.of())));
  }

  @AfterAll
  static void stop() throws Exception {
    await(runtime.shutdown());
    idp.close();
  }

  /** A runtime whose environment points at the test's provider, with these settings over the defaults. */
  static ServiceRuntime runtimeWith(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of(
        "JWT_JWKS_URL", idp.jwksUrl(),
        "JWT_ISSUER", ISSUER,
        "JWT_AUDIENCE", CLIENT,
        "JWT_ROLES_CLAIM", "cognito:groups"));
    env.putAll(more);
    ServiceRuntime one = ServiceRuntime.create("jwks-it-verifier", new Env(env));
    runtime.onStop(one::shutdown);
    return one;
  }

  @Test
  void rsaAndEcTokensOfTheProviderVerifyByTheirKid() throws Exception {
    Caller byRsa = await(verifier.verify(idp.token("rsa-1", claims("barista").encode())));
    assertEquals("user-1", byRsa.id());
    assertEquals("maria", byRsa.username());
    assertEquals(Set.of("barista"), byRsa.roles());
    Caller byEc = await(verifier.verify(idp.token("ec-1", claims("customer").encode())));
    assertEquals(Set.of("customer"), byEc.roles());
  }

  @Test
  void theAudienceIsAudOrACognitoAccessTokensClientId() throws Exception {
    JsonObject access = claims("customer");
    access.remove("aud");
    access.put("client_id", CLIENT).put("token_use", "access");
    assertEquals("user-1", await(verifier.verify(idp.token("rsa-1", access.encode()))).id());
    JsonObject listed = claims("customer").put("aud", new JsonArray().add("other").add(CLIENT));
    assertEquals("user-1", await(verifier.verify(idp.token("rsa-1", listed.encode()))).id());
  }

  @Test
  void rolesMayBeOneStringAndComeFromTheNamedClaimOnly() throws Exception {
    JsonObject oneString = claims().put("cognito:groups", "barista rider");
    assertEquals(Set.of("barista", "rider"), await(verifier.verify(idp.token("rsa-1", oneString.encode()))).roles());
    JsonObject sneaky = claims().put("roles", new JsonArray().add("admin"));
    assertEquals(Set.of(), await(verifier.verify(idp.token("rsa-1", sneaky.encode()))).roles());
  }

  @Test
  void foreignExpiredOrMisaddressedTokensAreA401() throws Exception {
    long past = Instant.now().getEpochSecond() - 3600;
    List<String> bad = List.of(
        TestIdentityProvider.sign("RS256", "rsa-1", TestIdentityProvider.strangerRsa().getPrivate(), claims("admin").encode()),
        TestIdentityProvider.sign("RS256", "rsa-9", rsa.getPrivate(), claims("admin").encode()),
        idp.token("rsa-1", claims("admin").put("iss", "https://elsewhere.example").encode()),
        idp.token("rsa-1", claims("admin").put("aud", "another-app").encode()),
        idp.token("rsa-1", claims("admin").put("iat", past - 600).put("exp", past).encode()),
        TestIdentityProvider.sign("ES256", "ec-1", rsa.getPrivate(), claims("admin").encode()));
    for (String token : bad) {
      Throwable error = failure(verifier.verify(token));
      assertInstanceOf(ProblemException.class, error, token);
      assertEquals(401, ((ProblemException) error).status(), token);
    }
  }

  @Test
  void aRotatedKeyIsTrustedAfterTheNextRefresh() throws Exception {
    JwtVerifier refreshing = await(JwtVerifier.start(runtimeWith(Map.of("JWT_JWKS_REFRESH_SECONDS", "1"))));
    KeyPair next = TestIdentityProvider.strangerRsa();
    String rotated = TestIdentityProvider.sign("RS256", "rsa-2", next.getPrivate(), claims("customer").encode());
    assertEquals(401, ((ProblemException) failure(refreshing.verify(rotated))).status());
    idp.publish("rsa-2", next);
    try {
      Eventually.await(Duration.ofSeconds(15), () -> refreshing.verify(rotated).toCompletionStage().toCompletableFuture()
          .handle((caller, err) -> err == null).get());
    } finally {
      idp.retire("rsa-2");
    }
  }

  @Test
  void anUnreachableProviderStopsTheStartWithTheSettingsName() throws Exception {
    Throwable error = failure(JwtVerifier.start(runtimeWith(Map.of("JWT_JWKS_URL", "http://127.0.0.1:1/jwks.json"))));
    assertInstanceOf(ConfigException.class, error);
    assertTrue(error.getMessage().startsWith("JWT_JWKS_URL="), error.getMessage());
  }

  static JsonObject claims(String... groups) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", "user-1").put("username", "maria").put("iss", ISSUER).put("aud", CLIENT)
        .put("cognito:groups", new JsonArray(Arrays.asList((Object[]) groups))).put("iat", now).put("exp", now + 600);
  }
}
