package cafe.delivery.dispatch;

/** No delivery for this order id. */
public class NoSuchDeliveryException extends RuntimeException {
  public NoSuchDeliveryException(String orderId) {
    super("there is no delivery for order " + orderId);
  }
}
