package cafe.barista.counter;

/** No ticket for this order id. */
public class NoSuchTicketException extends RuntimeException {
  public NoSuchTicketException(String orderId) {
    super("there is no drink ticket for order " + orderId);
  }
}
