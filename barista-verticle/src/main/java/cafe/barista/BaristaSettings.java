package cafe.barista;

import cafe.barista.domain.Stock;
import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.time.Duration;

/**
 * The barista's configuration.
 *
 * @param httpPort  {@code HTTP_PORT}, default 8083
 * @param seedStock {@code CAFE_SEED_STOCK}, default 100: the level each menu item starts with when
 *                  the stock has none yet (levels already stored are kept)
 * @param autoBrew  {@code CAFE_AUTO_BREW_MS}, default 0: above 0 the bar starts each queued drink
 *                  itself and calls it ready this long after; 0 leaves both to staff
 * @param autoSweep {@code CAFE_AUTO_SWEEP_MS}, default 30000: how often auto mode looks through the
 *                  tickets for drinks another instance or a crash left queued or brewing
 */
public record BaristaSettings(int httpPort, int seedStock, Duration autoBrew, Duration autoSweep) {
  public static final int DEFAULT_PORT = 8083;

  public static BaristaSettings from(Env env) {
    int seed = env.integer("CAFE_SEED_STOCK", 100);
    if (seed < 0 || seed > Stock.MAX_QUANTITY) {
      throw new ConfigException("CAFE_SEED_STOCK=" + seed + " must be from 0 to " + Stock.MAX_QUANTITY);
    }
    long brew = env.millis("CAFE_AUTO_BREW_MS", 0);
    if (brew < 0) {
      throw new ConfigException("CAFE_AUTO_BREW_MS=" + brew + " must be 0 (staff brew by hand) or more");
    }
    long sweep = env.millis("CAFE_AUTO_SWEEP_MS", 30_000);
    if (sweep < 100) {
      throw new ConfigException("CAFE_AUTO_SWEEP_MS=" + sweep + " must be 100 or more");
    }
    return new BaristaSettings(env.integer("HTTP_PORT", DEFAULT_PORT), seed, Duration.ofMillis(brew),
        Duration.ofMillis(sweep));
  }

  public boolean autoMode() {
    return !autoBrew.isZero();
  }
}
