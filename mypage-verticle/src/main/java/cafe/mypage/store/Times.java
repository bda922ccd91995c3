package cafe.mypage.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Event times as fixed-width ISO-8601 UTC text (milliseconds always written), so text order is time order. */
public final class Times {
  private static final DateTimeFormatter FIXED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {
  }

  public static String format(Instant at) {
    return FIXED.format(at);
  }
}
