package cafe.common.auth;

import static cafe.common.Await.await;
import static cafe.common.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.Env;
import cafe.common.http.ProblemException;
import cafe.infra.TestTokens;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
  static Vertx vertx;
  static JwtVerifier verifier;
  static TestTokens tokens = TestTokens.shared();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    verifier = JwtVerifier.ofKey(vertx, new Env(Map.of()), tokens.publicKeyPem(), "RS256", null, null);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aGoodTokenYieldsTheCallerAndRoles() throws Exception {
    Caller caller = await(verifier.verify(tokens.token("u-42", "customer")));
    assertEquals("u-42", caller.id());
    assertEquals(Set.of("customer"), caller.roles());
    assertTrue(!caller.isStaff());
    assertTrue(await(verifier.verify(tokens.token("u-7", "barista"))).isStaff());
  }

  @Test
  void everyKindOfBadTokenIsA401() throws Exception {
    String good = tokens.token("u-42", "customer");
    String[] parts = good.split("\\.");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    String tampered = parts[0] + "." + b64("{\"sub\":\"admin\",\"roles\":[\"admin\"],\"exp\":9999999999}")
        + "." + parts[2];
    for (String bad : new String[] {
        tokens.expiredToken("u-42", "customer"), tokens.tokenSignedByAnotherKey("u-42", "customer"),
        none, tampered, "not-a-jwt", "a.b.c", ""}) {
      Throwable error = failure(verifier.verify(bad));
      assertInstanceOf(ProblemException.class, error, bad);
      assertEquals(401, ((ProblemException) error).status(), bad);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
