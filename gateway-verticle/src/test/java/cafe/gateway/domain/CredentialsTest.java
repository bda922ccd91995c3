package cafe.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void userNamesAreKeptInLowerCase() {
    assertEquals("alice.kim", Credentials.forSignup(" Alice.Kim ", "secret", 4).username());
    assertEquals("alice", Credentials.forLogin("ALICE", "alice").orElseThrow().username());
  }

  @Test
  void signUpRefusesNamesOutsideTheRuleAndSaysTheRule() {
    for (String bad : new String[] {"al", "a".repeat(33), "al ice", "alice!", "éclair", ""}) {
      InvalidCredentialsException e = assertThrows(InvalidCredentialsException.class,
          () -> Credentials.forSignup(bad, "secret", 4), bad);
      assertTrue(e.getMessage().contains("3 to 32"), e.getMessage());
    }
    assertThrows(InvalidCredentialsException.class, () -> Credentials.forSignup(null, "secret", 4));
    assertThrows(InvalidCredentialsException.class, () -> Credentials.forSignup(42, "secret", 4));
  }

  @Test
  void signUpRefusesPasswordsOutsideTheRule() {
    InvalidCredentialsException shortOne = assertThrows(InvalidCredentialsException.class,
        () -> Credentials.forSignup("carol", "abc", 4));
    assertTrue(shortOne.getMessage().contains("4 to 128"), shortOne.getMessage());
    assertThrows(InvalidCredentialsException.class, () -> Credentials.forSignup("carol", "x".repeat(129), 4));
    assertThrows(InvalidCredentialsException.class, () -> Credentials.forSignup("carol", null, 4));
    assertEquals("abcd", Credentials.forSignup("carol", "abcd", 4).password());
    assertThrows(InvalidCredentialsException.class, () -> Credentials.forSignup("carol", "abcd", 8));
  }

  @Test
  void signInWithEmptyFieldsMatchesNobody() {
    assertTrue(Credentials.forLogin("", "x").isEmpty());
    assertTrue(Credentials.forLogin("alice", "").isEmpty());
    assertTrue(Credentials.forLogin(null, "x").isEmpty());
  }

  @Test
  void thePasswordNeverShowsInText() {
    assertTrue(!Credentials.forSignup("carol", "hunter22", 4).toString().contains("hunter22"));
  }
}
