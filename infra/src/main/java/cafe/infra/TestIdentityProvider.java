package cafe.infra;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An outside identity provider for tests, as Amazon Cognito is one in production: key pairs of its own
 * (RSA and EC), their public halves published as a JWKS over HTTP on a free port, and tokens signed with
 * them. Claims are given as JSON text, so any claim a provider sends can be tried.
 */
public final class TestIdentityProvider implements AutoCloseable {
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  private final Map<String, KeyPair> published = new ConcurrentHashMap<>();
  private final HttpServer server;

  public TestIdentityProvider() {
    try {
      server = HttpServer.create(new InetSocketAddress(Ports.HOST, 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(JWKS_PATH, exchange -> {
      byte[] body = jwks().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** Where its keys are published (for JWT_JWKS_URL). */
  public String jwksUrl() {
    return "http://" + Ports.HOST + ":" + server.getAddress().getPort() + JWKS_PATH;
  }

  /** A new RSA key published under {@code kid}. */
  public KeyPair addRsaKey(String kid) {
    KeyPair keys = generate("RSA", null);
    published.put(kid, keys);
    return keys;
  }

  /** A new P-256 key published under {@code kid}. */
  public KeyPair addEcKey(String kid) {
    KeyPair keys = generate("EC", new ECGenParameterSpec("secp256r1"));
    published.put(kid, keys);
    return keys;
  }

  /** Publishes a key pair made elsewhere under {@code kid}, as a provider rotates in a new key. */
  public void publish(String kid, KeyPair keys) {
    published.put(kid, keys);
  }

  /** Stops publishing {@code kid}. */
  public void retire(String kid) {
    published.remove(kid);
  }

  /** A token signed with a published key, by its kid (its algorithm follows the key). */
  public String token(String kid, String claimsJson) {
    KeyPair keys = published.get(kid);
    if (keys == null) {
      throw new IllegalArgumentException("no key " + kid);
    }
    return sign(keys.getPublic() instanceof RSAPublicKey ? "RS256" : "ES256", kid, keys.getPrivate(), claimsJson);
  }

  /**
   * A compact JWS: RS256 (PKCS#1 v1.5) or ES256 (r and s, 32 bytes each, as JWS wants them). A key of the wrong
   * kind for {@code alg} gives a signature of zeros, as garbage as a forger's.
   */
  public static String sign(String alg, String kid, PrivateKey key, String claimsJson) {
    String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claimsJson.getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
      try {
        signature.initSign(key);
      } catch (InvalidKeyException e) {
        return input + "." + b64(new byte[64]);
      }
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key pair nobody publishes: tokens it signs must be refused. */
  public static KeyPair strangerRsa() {
    return generate("RSA", null);
  }

  private String jwks() {
    List<String> keys = new ArrayList<>();
    published.forEach((kid, pair) -> keys.add(pair.getPublic() instanceof RSAPublicKey rsa
        ? "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"n\":\""
            + b64(unsigned(rsa.getModulus().toByteArray(), 0)) + "\",\"e\":\""
            + b64(unsigned(rsa.getPublicExponent().toByteArray(), 0)) + "\"}"
        : ec((ECPublicKey) pair.getPublic(), kid)));
    return "{\"keys\":[" + String.join(",", keys) + "]}";
  }

  private static String ec(ECPublicKey key, String kid) {
    return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"x\":\""
        + b64(unsigned(key.getW().getAffineX().toByteArray(), 32)) + "\",\"y\":\""
        + b64(unsigned(key.getW().getAffineY().toByteArray(), 32)) + "\"}";
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve == null) {
        generator.initialize(2048);
      } else {
        generator.initialize(curve);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Big-endian bytes without a sign byte, left-padded to {@code size} when it is not 0. */
  private static byte[] unsigned(byte[] bytes, int size) {
    byte[] trimmed = bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    if (size == 0 || trimmed.length == size) {
      return trimmed;
    }
    byte[] padded = new byte[size];
    System.arraycopy(trimmed, 0, padded, size - trimmed.length, trimmed.length);
    return padded;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
