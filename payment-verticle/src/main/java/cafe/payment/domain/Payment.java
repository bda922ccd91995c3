package cafe.payment.domain;

import cafe.payment.domain.PaymentEvent.PaymentApproved;
import cafe.payment.domain.PaymentEvent.PaymentDeclined;
import cafe.payment.domain.PaymentEvent.PaymentRefunded;
import java.util.List;
import java.util.UUID;

/** One order's payment: at most one per order, which is what makes a repeated charge harmless. */
public record Payment(UUID orderId, String customerId, long amount, PaymentStatus status, String cardLast4,
                      String declineReason) {
  public static final String DECLINED_BY_ISSUER = "card declined by the issuer";

  /** Charges the card: the issuer's answer becomes the payment and its event. */
  public static Decision charge(UUID orderId, String customerId, long amount, Card card) {
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive");
    }
    if (card.isDeclined()) {
      Payment declined = new Payment(orderId, customerId, amount, PaymentStatus.DECLINED, card.last4(),
          DECLINED_BY_ISSUER);
      return new Decision(declined, List.of(new PaymentDeclined(declined, DECLINED_BY_ISSUER)));
    }
    Payment approved = new Payment(orderId, customerId, amount, PaymentStatus.APPROVED, card.last4(), null);
    return new Decision(approved, List.of(new PaymentApproved(approved)));
  }

  /** The order was cancelled before any charge reached us: remember it, so a late charge takes nothing. */
  public static Payment voided(UUID orderId, String customerId, long amount) {
    return new Payment(orderId, customerId, amount, PaymentStatus.VOIDED, null, null);
  }

  /** The order was cancelled: money taken goes back, once. Anything else has nothing to give back. */
  public Decision refund() {
    if (status != PaymentStatus.APPROVED) {
      return Decision.none(this);
    }
    Payment refunded = new Payment(orderId, customerId, amount, PaymentStatus.REFUNDED, cardLast4, declineReason);
    return new Decision(refunded, List.of(new PaymentRefunded(refunded)));
  }

  /** Whether a repeated charge asks for the same thing as the one that made this payment. */
  public boolean sameChargeAs(String otherCustomer, long otherAmount) {
    return customerId.equals(otherCustomer) && amount == otherAmount;
  }
}
