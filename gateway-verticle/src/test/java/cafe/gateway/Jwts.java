package cafe.gateway;

import cafe.infra.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWTs for the cases TestTokens does not cover: other issuers, kids, claims and forgeries. */
public final class Jwts {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwts() {
  }

  public static JsonObject claims(String userId, String... roles) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("sub", userId).put("preferred_username", userId)
        .put("roles", new JsonArray(java.util.List.of((Object[]) roles))).put("iss", TestTokens.ISSUER)
        .put("iat", now).put("exp", now + 600);
  }

  public static String rs256(PrivateKey key, JsonObject header, JsonObject claims) throws Exception {
    String input = part(header.put("alg", "RS256")) + "." + part(claims);
    Signature signature = Signature.getInstance("SHA256withRSA");
    signature.initSign(key);
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(signature.sign());
  }

  public static String rs256(JsonObject claims) throws Exception {
    return rs256(TestTokens.shared().keyPair().getPrivate(), new JsonObject().put("typ", "JWT"), claims);
  }

  /** "Signed" with alg none: no signature at all. */
  public static String unsigned(JsonObject claims) {
    return part(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + part(claims) + ".";
  }

  /** HS256 keyed with the public key's PEM text: the classic algorithm-confusion forgery. */
  public static String hs256WithPublicKey(JsonObject claims) throws Exception {
    String input = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestTokens.shared().publicKeyPem().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A valid token whose claims were swapped afterwards, signature kept. */
  public static String tampered(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + part(claims) + "." + parts[2];
  }

  private static String part(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
