package cafe.order.domain;

/** Why an order ended CANCELLED. */
public enum CancelReason {
  CUSTOMER,
  OUT_OF_STOCK
}
