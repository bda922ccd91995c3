package cafe.mypage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void everyKeyAndTheChannelLiveUnderThePrefix() {
    Keys keys = new Keys("mypage:");
    assertEquals("mypage:order:o1", keys.order("o1"));
    assertEquals("mypage:order:o1:events", keys.appliedEvents("o1"));
    assertEquals("mypage:customer:c1:orders", keys.customerOrders("c1"));
    assertEquals("mypage:customer:c1:notifications", keys.notifications("c1"));
    assertEquals("mypage:orders", keys.recentOrders());
    assertEquals("mypage:pushes", keys.pushChannel());
    assertEquals("mypage:*", keys.everything());
  }

  @Test
  void aPrefixWithGlobCharactersOnlyMatchesItself() {
    assertEquals("a\\*b\\?\\[c\\]:*", new Keys("a*b?[c]:").everything());
  }

  @Test
  void aBlankPrefixIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Keys(""));
    assertThrows(IllegalArgumentException.class, () -> new Keys("my page:"));
  }

  @Test
  void timesAreFixedWidthSoTextOrderIsTimeOrder() {
    assertEquals("2026-11-21T06:14:28.000Z", Times.format(Instant.parse("2026-11-21T06:14:28Z")));
    assertEquals("2026-11-21T06:14:28.123Z", Times.format(Instant.parse("2026-11-21T06:14:28.123456Z")));
  }
}
