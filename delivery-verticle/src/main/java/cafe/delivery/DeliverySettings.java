package cafe.delivery;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.time.Duration;

/**
 * Delivery's configuration.
 *
 * @param httpPort    {@code HTTP_PORT}, default 8084
 * @param autoDeliver {@code CAFE_AUTO_DELIVER_MS}, default 0: above 0 the cafe's own rider picks up
 *                    each waiting delivery and hands it over this long after; 0 leaves both to riders
 * @param autoSweep   {@code CAFE_AUTO_SWEEP_MS}, default 30000: how often auto mode looks through the
 *                    deliveries for ones another instance or a crash left waiting or on the road
 */
public record DeliverySettings(int httpPort, Duration autoDeliver, Duration autoSweep) {
  public static final int DEFAULT_PORT = 8084;

  public static DeliverySettings from(Env env) {
    long ride = env.millis("CAFE_AUTO_DELIVER_MS", 0);
    if (ride < 0) {
      throw new ConfigException("CAFE_AUTO_DELIVER_MS=" + ride + " must be 0 (riders deliver by hand) or more");
    }
    long sweep = env.millis("CAFE_AUTO_SWEEP_MS", 30_000);
    if (sweep < 100) {
      throw new ConfigException("CAFE_AUTO_SWEEP_MS=" + sweep + " must be 100 or more");
    }
    return new DeliverySettings(env.integer("HTTP_PORT", DEFAULT_PORT), Duration.ofMillis(ride), Duration.ofMillis(sweep));
  }

  public boolean autoMode() {
    return !autoDeliver.isZero();
  }
}
