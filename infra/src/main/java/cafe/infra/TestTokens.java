package cafe.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Mints RS256 JWTs the way the gateway does, for tests. Uses nothing but java.security. */
public final class TestTokens {

  public static final String ISSUER = "cafe";

  private static final Duration VALIDITY = Duration.ofHours(1);
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static TestTokens shared;

  private final KeyPair keys;
  private KeyPair otherKeys;
  private Path keyDir;

  public TestTokens(KeyPair keys) {
    this.keys = keys;
  }

  /** One key pair per JVM, so every service under test trusts the same tokens. */
  public static synchronized TestTokens shared() {
    if (shared == null) {
      shared = new TestTokens(Keys.generate());
    }
    return shared;
  }

  public KeyPair keyPair() {
    return keys;
  }

  public String publicKeyPem() {
    return Keys.publicKeyPem(keys.getPublic());
  }

  public String privateKeyPem() {
    return Keys.privateKeyPem(keys.getPrivate());
  }

  /** The public key as a PEM file (for JWT_PUBLIC_KEY_FILE), written once to a temporary folder. */
  public Path publicKeyFile() {
    return keyDir().resolve(Keys.PUBLIC_KEY_FILE);
  }

  /** The private key as a PEM file (for JWT_PRIVATE_KEY_FILE), written once to a temporary folder. */
  public Path privateKeyFile() {
    return keyDir().resolve(Keys.PRIVATE_KEY_FILE);
  }

  /** A token valid for an hour; the user name is the user id. */
  public String token(String userId, String... roles) {
    Instant now = Instant.now();
    return sign(keys.getPrivate(), userId, userId, List.of(roles), now, now.plus(VALIDITY));
  }

  public String token(String userId, String username, List<String> roles, Duration validFor) {
    Instant now = Instant.now();
    return sign(keys.getPrivate(), userId, username, roles, now, now.plus(validFor));
  }

  /** Signed correctly but expired an hour ago. */
  public String expiredToken(String userId, String... roles) {
    Instant issued = Instant.now().minus(VALIDITY.multipliedBy(2));
    return sign(keys.getPrivate(), userId, userId, List.of(roles), issued, issued.plus(VALIDITY));
  }

  /** Well formed and unexpired, but signed by a key nobody trusts. */
  public synchronized String tokenSignedByAnotherKey(String userId, String... roles) {
    if (otherKeys == null) {
      otherKeys = Keys.generate();
    }
    Instant now = Instant.now();
    return sign(otherKeys.getPrivate(), userId, userId, List.of(roles), now, now.plus(VALIDITY));
  }

  /** An RS256 JWT with the claims the services read: sub, preferred_username, roles, iss, iat and exp. */
  public static String sign(PrivateKey key, String userId, String username, List<String> roles, Instant issuedAt,
                            Instant expiresAt) {
    StringBuilder roleArray = new StringBuilder("[");
    for (String role : roles) {
      roleArray.append(roleArray.length() > 1 ? "," : "").append(string(role));
    }
    roleArray.append(']');
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims = "{\"sub\":" + string(userId)
        + ",\"preferred_username\":" + string(username)
        + ",\"roles\":" + roleArray
        + ",\"iss\":" + string(ISSUER)
        + ",\"iat\":" + issuedAt.getEpochSecond()
        + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
    String signingInput = base64url(header) + "." + base64url(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a token: " + e.getMessage(), e);
    }
  }

  /** A JSON string literal. */
  static String string(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }

  private static String base64url(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private synchronized Path keyDir() {
    if (keyDir == null) {
      try {
        Path dir = Files.createTempDirectory("cafe-test-keys-");
        // deleteOnExit runs in reverse order: the files go before their folder.
        dir.toFile().deleteOnExit();
        Path publicFile = Files.writeString(dir.resolve(Keys.PUBLIC_KEY_FILE), publicKeyPem());
        Path privateFile = Files.writeString(dir.resolve(Keys.PRIVATE_KEY_FILE), privateKeyPem());
        publicFile.toFile().deleteOnExit();
        privateFile.toFile().deleteOnExit();
        keyDir = dir;
      } catch (IOException e) {
        throw new IllegalStateException("could not write test keys: " + e.getMessage(), e);
      }
    }
    return keyDir;
  }
}
