package cafe.common.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration from environment variables (12-factor). Every getter takes the default the
 * README documents; a malformed value fails at start with one line naming the variable.
 */
public final class Env {
  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  /** This configuration with some variables added or replaced (tests, the local launcher). */
  public Env with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  public Env with(String name, String value) {
    return with(Map.of(name, value));
  }

  public Optional<String> optional(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String name, String defaultValue) {
    return optional(name).orElse(defaultValue);
  }

  public String required(String name, String hint) {
    return optional(name).orElseThrow(() -> new ConfigException(name + " is not set: " + hint));
  }

  public int integer(String name, int defaultValue) {
    return optional(name).map(v -> parseInt(name, v)).orElse(defaultValue);
  }

  public long millis(String name, long defaultValue) {
    return optional(name).map(v -> (long) parseInt(name, v)).orElse(defaultValue);
  }

  public boolean flag(String name, boolean defaultValue) {
    return optional(name).map(v -> switch (v.toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(name + "=" + v + " is not a boolean (use true or false)");
    }).orElse(defaultValue);
  }

  /** A URL whose scheme must be one of the given ones, e.g. {@code url("PG_URL", "...", "postgresql", "postgres")}. */
  public URI url(String name, String defaultValue, String... schemes) {
    String raw = string(name, defaultValue);
    if (raw == null) {
      throw new ConfigException(name + " is not set: give a " + String.join(" or ", schemes) + ":// URL");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException(name + "=" + redact(raw) + " is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    boolean known = false;
    for (String s : schemes) {
      known |= s.equalsIgnoreCase(scheme);
    }
    if (!known || uri.getHost() == null) {
      throw new ConfigException(name + "=" + redact(raw) + " must look like " + schemes[0] + "://host:port/...");
    }
    return uri;
  }

  /** A PEM text given inline or as a file; {@code name} holds the text, {@code name_FILE} a path. */
  public Optional<String> pem(String name) {
    Optional<String> inline = optional(name);
    if (inline.isPresent()) {
      return inline;
    }
    return optional(name + "_FILE").map(file -> {
      try {
        return Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new ConfigException(name + "_FILE=" + file + " cannot be read: " + e.getMessage());
      }
    });
  }

  private static int parseInt(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + "=" + v + " is not a whole number");
    }
  }

  /** Never print a password that came inside a URL. */
  public static String redact(String url) {
    return url == null ? null : url.replaceAll("//([^:/@]+):([^@]*)@", "//$1:***@");
  }
}
