package cafe.payment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.payment.domain.PaymentEvent.PaymentApproved;
import cafe.payment.domain.PaymentEvent.PaymentDeclined;
import cafe.payment.domain.PaymentEvent.PaymentRefunded;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PaymentTest {
  private final UUID order = UUID.randomUUID();

  @Test
  void aGoodCardIsApprovedAndAnnounced() {
    Decision d = Payment.charge(order, "alice", 9500, Card.of("4242424242424242"));
    assertEquals(PaymentStatus.APPROVED, d.payment().status());
    assertEquals("4242", d.payment().cardLast4());
    assertEquals(1, d.events().size());
    assertInstanceOf(PaymentApproved.class, d.events().get(0));
  }

  @Test
  void theDeclinedTestCardIsDeclinedWithAReason() {
    Decision d = Payment.charge(order, "alice", 9500, Card.of(Card.ALWAYS_DECLINED));
    assertEquals(PaymentStatus.DECLINED, d.payment().status());
    PaymentDeclined e = assertInstanceOf(PaymentDeclined.class, d.events().get(0));
    assertEquals(Payment.DECLINED_BY_ISSUER, e.reason());
  }

  @Test
  void aChargeNeedsAPositiveAmount() {
    assertThrows(IllegalArgumentException.class, () -> Payment.charge(order, "alice", 0, Card.of("4242424242424242")));
  }

  @Test
  void anApprovedPaymentIsRefundedOnceOnly() {
    Payment approved = Payment.charge(order, "alice", 9500, Card.of("4242424242424242")).payment();
    Decision refund = approved.refund();
    assertEquals(PaymentStatus.REFUNDED, refund.payment().status());
    assertEquals(9500, refund.payment().amount());
    assertInstanceOf(PaymentRefunded.class, refund.events().get(0));
    Decision again = refund.payment().refund();
    assertFalse(again.changed());
    assertEquals(PaymentStatus.REFUNDED, again.payment().status());
  }

  @Test
  void declinedAndVoidedPaymentsHaveNothingToRefund() {
    Payment declined = Payment.charge(order, "alice", 9500, Card.of(Card.ALWAYS_DECLINED)).payment();
    assertFalse(declined.refund().changed());
    assertFalse(Payment.voided(order, "alice", 9500).refund().changed());
  }

  @Test
  void aRepeatedChargeMustAskForTheSameThing() {
    Payment approved = Payment.charge(order, "alice", 9500, Card.of("4242424242424242")).payment();
    assertTrue(approved.sameChargeAs("alice", 9500));
    assertFalse(approved.sameChargeAs("alice", 9600));
    assertFalse(approved.sameChargeAs("bob", 9500));
  }
}
