package cafe.gateway.domain;

/** A sign-up the rules refuse; the message says which rule and how to meet it. */
public class InvalidCredentialsException extends RuntimeException {
  public InvalidCredentialsException(String message) {
    super(message);
  }
}
