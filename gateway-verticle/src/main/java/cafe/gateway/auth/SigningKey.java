package cafe.gateway.auth;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The RSA key the gateway signs tokens with (RS256), from {@code JWT_PRIVATE_KEY} or
 * {@code JWT_PRIVATE_KEY_FILE} (PEM, PKCS#8). Its public half is published as a JWK whose
 * {@code kid} is derived from the key, so it stays the same across restarts and replicas.
 */
public final class SigningKey {
  private static final Logger LOG = Logger.getLogger(SigningKey.class.getName());
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private final RSAPrivateCrtKey privateKey;
  private final RSAPublicKey publicKey;
  private final String kid;

  private SigningKey(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = keyId(publicKey);
  }

  /** The configured key; without one, a fresh key that lives as long as this process (with a warning). */
  public static SigningKey from(Env env) {
    return env.pem("JWT_PRIVATE_KEY").map(SigningKey::fromPem).orElseGet(() -> {
      LOG.warning("JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE) is not set: signing with a key made for this run only;"
          + " tokens will not survive a restart, other replicas and the services will not accept them");
      return generate();
    });
  }

  public static SigningKey fromPem(String pem) {
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      throw new ConfigException("JWT_PRIVATE_KEY is a PKCS#1 key: convert it to PKCS#8 with "
          + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out jwt-private.pem'");
    }
    int from = pem.indexOf(BEGIN);
    int to = pem.indexOf(END);
    if (from < 0 || to < from) {
      throw new ConfigException("JWT_PRIVATE_KEY is not a PEM private key (" + BEGIN + ")");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + BEGIN.length(), to));
      if (!(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey key)) {
        throw new ConfigException("JWT_PRIVATE_KEY must be a complete RSA key (with its CRT parameters)");
      }
      RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
          .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
      if (key.getModulus().bitLength() < 2048) {
        throw new ConfigException("JWT_PRIVATE_KEY is an RSA key of " + key.getModulus().bitLength()
            + " bits: RS256 needs at least 2048");
      }
      return new SigningKey(key, publicKey);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException("JWT_PRIVATE_KEY cannot be read as an RSA PKCS#8 key: " + e.getMessage());
    }
  }

  public static SigningKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      return new SigningKey((RSAPrivateCrtKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  public String kid() {
    return kid;
  }

  /** The public key as PEM (X.509 SubjectPublicKeyInfo), the form the services' JWT_PUBLIC_KEY takes. */
  public String publicKeyPem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(publicKey.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public key as a JWK (RFC 7517), for /.well-known/jwks.json. */
  public JsonObject jwk() {
    return new JsonObject()
        .put("kty", "RSA")
        .put("use", "sig")
        .put("alg", "RS256")
        .put("kid", kid)
        .put("n", BASE64URL.encodeToString(unsigned(publicKey.getModulus())))
        .put("e", BASE64URL.encodeToString(unsigned(publicKey.getPublicExponent())));
  }

  /** A compact JWS (RS256) of these claims, with this key's kid in the header. */
  public String sign(JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", kid);
    String input = base64url(header.encode()) + "." + base64url(claims.encode());
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(privateKey);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
    }
  }

  private static String base64url(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  /** RFC 7638 thumbprint of the public key: stable for the key, different for any other. */
  private static String keyId(RSAPublicKey key) {
    String canonical = "{\"e\":\"" + BASE64URL.encodeToString(unsigned(key.getPublicExponent()))
        + "\",\"kty\":\"RSA\",\"n\":\"" + BASE64URL.encodeToString(unsigned(key.getModulus())) + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII));
      return BASE64URL.encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
