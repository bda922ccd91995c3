package cafe.delivery.domain;

/** Where a delivery stands: WAITING for a rider → DELIVERING → DELIVERED; a waiting one may be CANCELLED. */
public enum DeliveryStatus {
  WAITING, DELIVERING, DELIVERED, CANCELLED
}
