package cafe.order.domain;

/** The order cannot be placed as asked; the message tells the customer what to change. */
public class InvalidOrderException extends RuntimeException {
  public InvalidOrderException(String message) {
    super(message);
  }
}
