package cafe.delivery.domain;

/** A move the delivery's status does not allow, such as completing one nobody picked up. */
public class IllegalMoveException extends RuntimeException {
  private final DeliveryStatus status;

  public IllegalMoveException(DeliveryStatus status, String message) {
    super(message);
    this.status = status;
  }

  public DeliveryStatus status() {
    return status;
  }
}
