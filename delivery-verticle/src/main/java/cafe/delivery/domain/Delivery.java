package cafe.delivery.domain;

import cafe.delivery.domain.DeliveryEvent.DeliveryCancelled;
import cafe.delivery.domain.DeliveryEvent.DeliveryCompleted;
import cafe.delivery.domain.DeliveryEvent.DeliveryStarted;
import cafe.delivery.domain.DeliveryEvent.DeliveryWaiting;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A delivery: one per order, keyed by the order id, from the counter to the customer's door. Every
 * move returns the delivery after it and the event it causes; a move the status does not allow
 * throws {@link IllegalMoveException}.
 */
public record Delivery(String orderId, String customerId, String address, DeliveryStatus status, String rider,
    Instant createdAt, Instant updatedAt, Instant pickedUpAt) {

  /** A delivery after a move, and what the move tells the cafe. */
  public record Move(Delivery delivery, DeliveryEvent event) {
  }

  /** The drink is ready: the delivery waits for a rider. */
  public static Move await(String orderId, String customerId, String address, Instant now) {
    if (orderId == null || orderId.isBlank()) {
      throw new IllegalArgumentException("a delivery needs an order id");
    }
    Delivery delivery = new Delivery(orderId, customerId, address, DeliveryStatus.WAITING, null, now, now, null);
    return new Move(delivery, new DeliveryWaiting(address));
  }

  public Move pickUp(String byRider, Instant now) {
    if (byRider == null || byRider.isBlank()) {
      throw new IllegalArgumentException("a pickup needs a rider");
    }
    if (status != DeliveryStatus.WAITING) {
      throw new IllegalMoveException(status, switch (status) {
        case DELIVERING -> "order " + orderId + " was already picked up by " + rider;
        case DELIVERED -> "order " + orderId + " was already delivered";
        default -> "order " + orderId + " was cancelled: there is nothing to pick up";
      });
    }
    return new Move(new Delivery(orderId, customerId, address, DeliveryStatus.DELIVERING, byRider, createdAt, now, now),
        new DeliveryStarted(byRider));
  }

  public Move complete(Instant now) {
    if (status != DeliveryStatus.DELIVERING) {
      throw new IllegalMoveException(status, switch (status) {
        case WAITING -> "order " + orderId + " has not been picked up yet: pick it up first";
        case DELIVERED -> "order " + orderId + " was already delivered";
        default -> "order " + orderId + " was cancelled: there is nothing to deliver";
      });
    }
    return new Move(moved(DeliveryStatus.DELIVERED, now), new DeliveryCompleted());
  }

  /**
   * The order was cancelled: a delivery still waiting is cancelled; one on the road or delivered
   * (or already cancelled) does not expect a cancellation, so there is no move (empty).
   */
  public Optional<Move> cancel(Instant now) {
    if (status != DeliveryStatus.WAITING) {
      return Optional.empty();
    }
    return Optional.of(new Move(moved(DeliveryStatus.CANCELLED, now), new DeliveryCancelled()));
  }

  /** In auto mode: has this delivery been on the road long enough to be called delivered? */
  public boolean onTheRoadFor(Duration rideTime, Instant now) {
    return status == DeliveryStatus.DELIVERING && pickedUpAt != null && !pickedUpAt.plus(rideTime).isAfter(now);
  }

  private Delivery moved(DeliveryStatus to, Instant now) {
    return new Delivery(orderId, customerId, address, to, rider, createdAt, now, pickedUpAt);
  }
}
