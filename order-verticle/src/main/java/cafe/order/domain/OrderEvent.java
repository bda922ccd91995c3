package cafe.order.domain;

import java.util.List;

/** What an order's change announces to the rest of the cafe. */
public sealed interface OrderEvent {
  Order order();

  /** Paid: the barista may start. */
  record OrderPlaced(Order order) implements OrderEvent {
  }

  /** The customer asked to cancel; the barista decides whether it still can be. */
  record OrderCancelRequested(Order order, OrderStatus previousStatus) implements OrderEvent {
  }

  /**
   * The saga ended in cancellation: payment refunds, delivery stops. {@code missing}: what the bar was
   * out of (empty unless the reason is OUT_OF_STOCK), so whoever tells the customer need not wait for
   * the barista's own event.
   */
  record OrderCancelled(Order order, CancelReason reason, List<String> missing) implements OrderEvent {
    public OrderCancelled {
      missing = List.copyOf(missing);
    }
  }
}
