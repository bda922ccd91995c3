package cafe.common.events;

/** A record that is not a valid event envelope: retrying cannot help, it goes to the DLQ. */
public class BadEventException extends RuntimeException {
  public BadEventException(String message) {
    super(message);
  }
}
