package cafe.order.domain;

/** A move the status machine does not allow from where the order stands; nothing is changed. */
public class IllegalTransitionException extends RuntimeException {
  private final OrderStatus status;

  public IllegalTransitionException(OrderStatus status, String move) {
    super("cannot " + move + " an order that is " + status);
    this.status = status;
  }

  public OrderStatus status() {
    return status;
  }
}
