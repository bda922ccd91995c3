package cafe.order.domain;

/** What an order's change announces to the rest of the cafe. */
public sealed interface OrderEvent {
  Order order();

  /** Paid: the barista may start. */
  record OrderPlaced(Order order) implements OrderEvent {
  }

  /** The customer asked to cancel; the barista decides whether it still can be. */
  record OrderCancelRequested(Order order, OrderStatus previousStatus) implements OrderEvent {
  }

  /** The saga ended in cancellation: payment refunds, delivery stops. */
  record OrderCancelled(Order order, CancelReason reason) implements OrderEvent {
  }
}
