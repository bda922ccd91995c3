package cafe.infra;

/** A piece of local infrastructure could not start or answer; the message is one line saying what and where. */
public final class InfraException extends RuntimeException {

  public InfraException(String message) {
    super(message);
  }

  public InfraException(String message, Throwable cause) {
    super(message, cause);
  }
}
