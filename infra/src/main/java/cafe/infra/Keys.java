package cafe.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA key pairs for signing JWTs, as PEM text: PKCS#8 private keys and X.509 public keys. */
public final class Keys {

  public static final String PRIVATE_KEY_FILE = "jwt-private.pem";
  public static final String PUBLIC_KEY_FILE = "jwt-public.pem";

  private static final String PRIVATE_LABEL = "PRIVATE KEY";
  private static final String PUBLIC_LABEL = "PUBLIC KEY";

  private Keys() {
  }

  /** A fresh RSA 2048 key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  public static String privateKeyPem(PrivateKey key) {
    return pem(PRIVATE_LABEL, key.getEncoded());
  }

  public static String publicKeyPem(PublicKey key) {
    return pem(PUBLIC_LABEL, key.getEncoded());
  }

  public static PrivateKey readPrivateKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(PRIVATE_LABEL, pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA PKCS#8 private key: " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublicKey(String pem) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(PUBLIC_LABEL, pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an RSA X.509 public key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@value #PRIVATE_KEY_FILE} and {@value #PUBLIC_KEY_FILE} from the folder, creating both first when
   * either is missing. The private key file is readable by its owner only where the file system allows.
   */
  public static KeyPair loadOrCreate(Path dir) {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    try {
      if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
        Files.createDirectories(dir);
        KeyPair pair = generate();
        writePrivate(privateFile, privateKeyPem(pair.getPrivate()));
        Files.writeString(publicFile, publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
        return pair;
      }
      return new KeyPair(readPublicKey(Files.readString(publicFile, StandardCharsets.US_ASCII)),
          readPrivateKey(Files.readString(privateFile, StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new IllegalStateException("could not read or write keys in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void writePrivate(Path file, String pem) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] der(String label, String pem) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("no " + begin + " block found");
    }
    return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
  }
}
