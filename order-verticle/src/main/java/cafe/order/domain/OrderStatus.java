package cafe.order.domain;

/**
 * Where an order stands. The fulfilment line runs PAID → QUEUED → BREWING → READY → DELIVERING →
 * DELIVERED; its rank says which of two statuses is further along.
 */
public enum OrderStatus {
  PAYMENT_PENDING(0),
  PAID(1),
  QUEUED(2),
  BREWING(3),
  READY(4),
  DELIVERING(5),
  DELIVERED(6),
  REJECTED(-1),
  CANCEL_REQUESTED(-1),
  CANCELLED(-1);

  private final int rank;

  OrderStatus(int rank) {
    this.rank = rank;
  }

  /** True for the statuses of the fulfilment line, from PAID to DELIVERED. */
  public boolean isFulfilment() {
    return rank >= 1;
  }

  /** The one of the two that is further along the fulfilment line. */
  public static OrderStatus furthest(OrderStatus a, OrderStatus b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return b.rank > a.rank ? b : a;
  }
}
