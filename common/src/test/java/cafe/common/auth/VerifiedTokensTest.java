package cafe.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The verified-token cache: a token is trusted from memory only until it expires, and memory stays bounded. */
class VerifiedTokensTest {
  private static final long NOW_SECONDS = 1_800_000_000L;
  private final AtomicLong nowMillis = new AtomicLong(NOW_SECONDS * 1000);
  private final Caller alice = new Caller("u-1", "alice", Set.of("customer"));
  private final Caller bob = new Caller("u-2", "bob", Set.of("barista"));

  @Test
  void aTokenIsKeptUntilItsExpiryPlusTheLeewayAndNotAMomentLonger() {
    VerifiedTokens tokens = new VerifiedTokens(10, nowMillis::get);
    tokens.put("t1", alice, NOW_SECONDS + 60, 5);

    assertEquals(alice, tokens.get("t1"));
    nowMillis.set((NOW_SECONDS + 64) * 1000 + 999);
    assertEquals(alice, tokens.get("t1"), "inside the leeway");
    nowMillis.set((NOW_SECONDS + 65) * 1000);
    assertNull(tokens.get("t1"), "expired: the signature must be checked again (and will fail)");
  }

  @Test
  void aTokenWithoutExpiryOrAlreadyExpiredIsNotKept() {
    VerifiedTokens tokens = new VerifiedTokens(10, nowMillis::get);
    tokens.put("no-exp", alice, null, 30);
    tokens.put("stale", bob, NOW_SECONDS - 60, 30);

    assertNull(tokens.get("no-exp"));
    assertNull(tokens.get("stale"));
  }

  @Test
  void theLeastRecentlyUsedTokenGoesFirstWhenFull() {
    VerifiedTokens tokens = new VerifiedTokens(2, nowMillis::get);
    tokens.put("a", alice, NOW_SECONDS + 600, 0);
    tokens.put("b", bob, NOW_SECONDS + 600, 0);
    tokens.get("a");
    tokens.put("c", bob, NOW_SECONDS + 600, 0);

    assertEquals(alice, tokens.get("a"), "used recently, kept");
    assertNull(tokens.get("b"), "least recently used, dropped");
    assertEquals(bob, tokens.get("c"));
  }

  @Test
  void sizeZeroKeepsNothingAndClearForgetsEverything() {
    VerifiedTokens off = new VerifiedTokens(0, nowMillis::get);
    off.put("a", alice, NOW_SECONDS + 600, 0);
    assertNull(off.get("a"));

    VerifiedTokens tokens = new VerifiedTokens(10, nowMillis::get);
    tokens.put("a", alice, NOW_SECONDS + 600, 0);
    tokens.clear();
    assertNull(tokens.get("a"));
  }
}
