package cafe.common.config;

/** A setting is missing or wrong; its message names the setting and says what to do. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
