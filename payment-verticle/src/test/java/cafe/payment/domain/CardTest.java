package cafe.payment.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class CardTest {
  @Test
  void keepsOnlyTheLastFourDigits() {
    Card card = Card.of("4242424242421234");
    assertEquals("1234", card.last4());
    assertEquals("**** **** **** 1234", card.toString());
    assertFalse(card.toString().contains("424242"));
  }

  @Test
  void theTestCardIsAlwaysDeclinedAndOthersAreNot() {
    assertTrue(Card.of("4000000000000002").isDeclined());
    assertFalse(Card.of("4242424242424242").isDeclined());
    assertFalse(Card.of("5555555555554444").isDeclined());
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "4242", "42424242424242424", "4242 4242 4242 4242", "424242424242424x", "-242424242424242"})
  void anythingButSixteenDigitsIsRefused(String number) {
    InvalidCardException e = assertThrows(InvalidCardException.class, () -> Card.of(number));
    assertEquals("card must be 16 digits", e.getMessage());
  }
}
