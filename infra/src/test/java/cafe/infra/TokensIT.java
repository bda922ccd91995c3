package cafe.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensIT {

  private final TestTokens tokens = TestTokens.shared();

  @Test
  void tokenVerifiesWithThePublicKeyPem() throws Exception {
    String token = tokens.token("u-1", "customer", "admin");
    PublicKey key = Keys.readPublicKey(tokens.publicKeyPem());
    assertTrue(verifies(token, key));

    String claims = decode(token.split("\\.")[1]);
    assertTrue(claims.contains("\"sub\":\"u-1\""), claims);
    assertTrue(claims.contains("\"preferred_username\":\"u-1\""), claims);
    assertTrue(claims.contains("\"roles\":[\"customer\",\"admin\"]"), claims);
    assertTrue(claims.contains("\"iss\":\"cafe\""), claims);
    assertEquals("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", decode(token.split("\\.")[0]));
  }

  @Test
  void expiredAndForeignTokens() throws Exception {
    PublicKey key = Keys.readPublicKey(tokens.publicKeyPem());
    String expired = tokens.expiredToken("u-2", "barista");
    assertTrue(verifies(expired, key), "expired tokens are still signed correctly");
    long exp = Long.parseLong(decode(expired.split("\\.")[1]).replaceAll(".*\"exp\":(\\d+).*", "$1"));
    assertTrue(exp < System.currentTimeMillis() / 1000);

    assertFalse(verifies(tokens.tokenSignedByAnotherKey("u-3", "rider"), key));
  }

  @Test
  void claimsAreEscaped() {
    String claims = decode(tokens.token("a\"b\\c\n", "r\u0001").split("\\.")[1]);
    assertTrue(claims.contains("\"sub\":\"a\\\"b\\\\c\\n\""), claims);
    assertTrue(claims.contains("[\"r\\u0001\"]"), claims);
  }

  @Test
  void keyFilesRoundTrip(@TempDir Path dir) throws Exception {
    KeyPair created = Keys.loadOrCreate(dir);
    assertTrue(Files.readString(dir.resolve(Keys.PRIVATE_KEY_FILE)).startsWith("-----BEGIN PRIVATE KEY-----\n"));
    assertTrue(Files.readString(dir.resolve(Keys.PUBLIC_KEY_FILE)).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    KeyPair loaded = Keys.loadOrCreate(dir);
    assertEquals(created.getPublic(), loaded.getPublic());
    assertEquals(created.getPrivate(), loaded.getPrivate());

    String token = TestTokens.sign(loaded.getPrivate(), "u", "alice", java.util.List.of(), java.time.Instant.now(),
        java.time.Instant.now().plusSeconds(60));
    assertTrue(verifies(token, created.getPublic()));
    assertEquals(tokens.publicKeyPem(), Files.readString(tokens.publicKeyFile()));
  }

  private static boolean verifies(String token, PublicKey key) throws Exception {
    int lastDot = token.lastIndexOf('.');
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initVerify(key);
    signature.update(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
    return signature.verify(Base64.getUrlDecoder().decode(token.substring(lastDot + 1)));
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }
}
