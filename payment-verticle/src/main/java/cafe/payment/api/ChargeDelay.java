package cafe.payment.api;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code PAYMENT_DELAY_MS}: a delay added before answering each charge, to reproduce a slow
 * payment provider. A single number ("500") or a range ("400-610", picked at random per charge).
 */
public record ChargeDelay(long minMs, long maxMs) {
  public static final ChargeDelay NONE = new ChargeDelay(0, 0);

  public static ChargeDelay from(Env env) {
    return env.optional("PAYMENT_DELAY_MS").map(ChargeDelay::parse).orElse(NONE);
  }

  public static ChargeDelay parse(String raw) {
    String value = raw.trim();
    try {
      int dash = value.indexOf('-', 1);
      long min = Long.parseLong((dash < 0 ? value : value.substring(0, dash)).trim());
      long max = dash < 0 ? min : Long.parseLong(value.substring(dash + 1).trim());
      if (min < 0 || max < min) {
        throw new NumberFormatException();
      }
      return new ChargeDelay(min, max);
    } catch (NumberFormatException e) {
      throw new ConfigException("PAYMENT_DELAY_MS=" + raw + " must be milliseconds (500) or a range (400-610)");
    }
  }

  /** The delay for the next charge. */
  public long next() {
    return minMs == maxMs ? minMs : ThreadLocalRandom.current().nextLong(minMs, maxMs + 1);
  }
}
