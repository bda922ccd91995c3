package cafe.payment.domain;

/** What a payment's change announces. */
public sealed interface PaymentEvent {
  Payment payment();

  record PaymentApproved(Payment payment) implements PaymentEvent {
  }

  record PaymentDeclined(Payment payment, String reason) implements PaymentEvent {
  }

  record PaymentRefunded(Payment payment) implements PaymentEvent {
  }
}
