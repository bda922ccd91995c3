package cafe.payment.domain;

/** The card number is not one payment can charge. */
public class InvalidCardException extends RuntimeException {
  public InvalidCardException(String message) {
    super(message);
  }
}
