package cafe.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(10_000);

  @Test
  void theRightPasswordMatchesAndAWrongOneDoesNot() {
    String stored = hasher.hash("latte-art");
    assertTrue(hasher.matches("latte-art", stored));
    assertFalse(hasher.matches("latte-arT", stored));
    assertFalse(hasher.matches("", stored));
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertNotEquals(hasher.hash("espresso"), hasher.hash("espresso"));
  }

  @Test
  void theHashNamesItsSchemeAndCostAndHidesThePassword() {
    String stored = hasher.hash("espresso");
    assertTrue(stored.startsWith("pbkdf2-sha256$10000$"), stored);
    assertFalse(stored.contains("espresso"));
  }

  @Test
  void hashesMadeWithAnotherCostStillMatch() {
    String older = new PasswordHasher(2_000).hash("mocha");
    assertTrue(hasher.matches("mocha", older));
  }

  @Test
  void damagedHashesMatchNothing() {
    assertFalse(hasher.matches("mocha", null));
    assertFalse(hasher.matches("mocha", "plain-text"));
    assertFalse(hasher.matches("mocha", "pbkdf2-sha256$x$y$z"));
    assertFalse(hasher.matchesNone("mocha"));
  }
}
