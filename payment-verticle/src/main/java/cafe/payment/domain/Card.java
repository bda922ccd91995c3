package cafe.payment.domain;

/**
 * A card as payment keeps it: the last four digits only. The full number is read once, to decide,
 * and never stored, logged or printed ({@link #toString()} masks it).
 */
public final class Card {
  /** The test card that is always declined. */
  public static final String ALWAYS_DECLINED = "4000000000000002";

  private final String last4;
  private final boolean declined;

  private Card(String last4, boolean declined) {
    this.last4 = last4;
    this.declined = declined;
  }

  /** A 16-digit card number, or {@link InvalidCardException}. */
  public static Card of(String number) {
    if (number == null || number.length() != 16 || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidCardException("card must be 16 digits");
    }
    return new Card(number.substring(12), ALWAYS_DECLINED.equals(number));
  }

  public String last4() {
    return last4;
  }

  /** Whether the card's issuer declines it (the test card 4000000000000002 always is). */
  public boolean isDeclined() {
    return declined;
  }

  @Override
  public String toString() {
    return "**** **** **** " + last4;
  }
}
