package cafe.delivery.domain;

/** What delivery tells the rest of the cafe; each record is one event type of the contract. */
public sealed interface DeliveryEvent {

  default String type() {
    return getClass().getSimpleName();
  }

  /** The drink is ready at the counter and waits for a rider. */
  record DeliveryWaiting(String address) implements DeliveryEvent {
  }

  /** A rider picked it up. */
  record DeliveryStarted(String rider) implements DeliveryEvent {
  }

  record DeliveryCompleted() implements DeliveryEvent {
  }

  /** A waiting delivery of a cancelled order. */
  record DeliveryCancelled() implements DeliveryEvent {
  }
}
