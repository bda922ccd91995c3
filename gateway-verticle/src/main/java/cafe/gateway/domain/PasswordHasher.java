package cafe.gateway.domain;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow salted password hashes (PBKDF2 with HMAC-SHA256, a random salt per password), stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} so the cost can be raised without breaking
 * older hashes. Hashing takes tens of milliseconds of CPU on purpose: call it off the event loop.
 */
public final class PasswordHasher {
  private static final String SCHEME = "pbkdf2-sha256";
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  /** Checked against when no account matches, so an unknown name costs as long as a wrong password. */
  private volatile String decoy;

  public PasswordHasher(int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    this.iterations = iterations;
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] derived = derive(password, salt, iterations);
    return SCHEME + "$" + iterations + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(derived);
  }

  /** True when the password matches the stored hash; compares in constant time. */
  public boolean matches(String password, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    int rounds;
    byte[] salt;
    byte[] expected;
    try {
      rounds = Integer.parseInt(parts[1]);
      salt = DECODER.decode(parts[2]);
      expected = DECODER.decode(parts[3]);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return rounds > 0 && MessageDigest.isEqual(expected, derive(password, salt, rounds));
  }

  /** Spends the time of one check without any account, and always answers false. */
  public boolean matchesNone(String password) {
    String against = decoy;
    if (against == null) {
      against = hash("decoy password for unknown names");
      decoy = against;
    }
    matches(password, against);
    return false;
  }

  private static byte[] derive(String password, byte[] salt, int rounds) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, rounds, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }
}
