package cafe.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.infra.TestTokens;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

  @Test
  void theJwkVerifiesWhatTheKeySigns() throws Exception {
    SigningKey key = SigningKey.fromPem(TestTokens.shared().privateKeyPem());
    String token = key.sign(new JsonObject().put("sub", "u1"));
    String[] parts = token.split("\\.");
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    assertEquals("RS256", header.getString("alg"));
    assertEquals(key.kid(), header.getString("kid"));

    JsonObject jwk = key.jwk();
    PublicKey published = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n"))),
        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")))));
    Signature check = Signature.getInstance("SHA256withRSA");
    check.initVerify(published);
    check.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(check.verify(Base64.getUrlDecoder().decode(parts[2])));
  }

  @Test
  void theKeyIdStaysWithTheKey() {
    String pem = TestTokens.shared().privateKeyPem();
    assertEquals(SigningKey.fromPem(pem).kid(), SigningKey.fromPem(pem).kid());
    assertNotEquals(SigningKey.fromPem(pem).kid(), SigningKey.generate().kid());
  }

  @Test
  void thePublicPemIsTheServicesKey() {
    SigningKey key = SigningKey.fromPem(TestTokens.shared().privateKeyPem());
    assertEquals(TestTokens.shared().publicKeyPem().replaceAll("\\s", ""), key.publicKeyPem().replaceAll("\\s", ""));
  }

  @Test
  void unusableKeysAreRefusedWithAHint() {
    ConfigException pkcs1 = assertThrows(ConfigException.class,
        () -> SigningKey.fromPem("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"));
    assertTrue(pkcs1.getMessage().contains("openssl pkcs8"));
    assertThrows(ConfigException.class, () -> SigningKey.fromPem("not a key"));
    assertThrows(ConfigException.class,
        () -> SigningKey.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
  }
}
