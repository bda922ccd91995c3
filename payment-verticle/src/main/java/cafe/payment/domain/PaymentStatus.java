package cafe.payment.domain;

/**
 * APPROVED, DECLINED and REFUNDED are the public statuses. VOIDED marks an order cancelled before
 * any charge reached payment: a late charge for it is refused, so nothing is taken for it.
 */
public enum PaymentStatus {
  APPROVED,
  DECLINED,
  REFUNDED,
  VOIDED
}
