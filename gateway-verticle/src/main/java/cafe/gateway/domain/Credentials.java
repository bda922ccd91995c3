package cafe.gateway.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A user name and password as a person typed them. User names are case-insensitive (phones
 * capitalise the first letter), so they are kept in lower case.
 */
public record Credentials(String username, String password) {
  public static final int USERNAME_MIN = 3;
  public static final int USERNAME_MAX = 32;
  public static final int PASSWORD_MAX = 128;
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9._-]+");

  /** The credentials of a new account, or the rule they break. */
  public static Credentials forSignup(Object username, Object password, int passwordMin) {
    if (!(username instanceof String rawName)) {
      throw new InvalidCredentialsException("username is required: " + usernameRule());
    }
    String name = normalise(rawName);
    if (name.length() < USERNAME_MIN || name.length() > USERNAME_MAX || !USERNAME.matcher(name).matches()) {
      throw new InvalidCredentialsException("username " + usernameRule());
    }
    if (!(password instanceof String secret)) {
      throw new InvalidCredentialsException("password is required: " + passwordRule(passwordMin));
    }
    int length = secret.codePointCount(0, secret.length());
    if (length < passwordMin || length > PASSWORD_MAX) {
      throw new InvalidCredentialsException("password " + passwordRule(passwordMin));
    }
    return new Credentials(name, secret);
  }

  /** The credentials of a sign-in; empty when they cannot belong to any account. */
  public static Optional<Credentials> forLogin(Object username, Object password) {
    if (!(username instanceof String rawName) || !(password instanceof String secret)) {
      return Optional.empty();
    }
    String name = normalise(rawName);
    if (name.isEmpty() || name.length() > USERNAME_MAX || secret.isEmpty() || secret.length() > 4 * PASSWORD_MAX) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(name, secret));
  }

  public static String usernameRule() {
    return "must be " + USERNAME_MIN + " to " + USERNAME_MAX
        + " characters of lower-case letters, digits, '.', '_' or '-' (e.g. alice.kim)";
  }

  public static String passwordRule(int passwordMin) {
    return "must be " + passwordMin + " to " + PASSWORD_MAX + " characters long";
  }

  private static String normalise(String username) {
    return username.trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "Credentials[" + username + "]";
  }
}
