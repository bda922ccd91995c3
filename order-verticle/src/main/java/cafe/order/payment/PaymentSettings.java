package cafe.order.payment;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.net.URI;
import java.util.Optional;

/**
 * How order talks to payment. The request-path timeout keeps a whole POST /orders under a second;
 * background retries are off the customer's path and may wait longer.
 */
public record PaymentSettings(URI url, long timeoutMs, long retryTimeoutMs, int breakerMaxFailures,
                              long breakerResetMs, long breakerWindowMs, int poolSize,
                              Optional<String> serviceToken, long retryPollMs, long retryBackoffMs,
                              long retryMaxBackoffMs, int retryBatch) {

  public static PaymentSettings from(Env env) {
    PaymentSettings s = new PaymentSettings(
        env.url("PAYMENT_URL", "http://127.0.0.1:8082", "http", "https"),
        env.millis("PAYMENT_TIMEOUT_MS", 500),
        env.millis("PAYMENT_RETRY_TIMEOUT_MS", 2000),
        env.integer("PAYMENT_BREAKER_MAX_FAILURES", 5),
        env.millis("PAYMENT_BREAKER_RESET_MS", 3000),
        env.millis("PAYMENT_BREAKER_WINDOW_MS", 10_000),
        env.integer("PAYMENT_POOL_SIZE", 64),
        env.optional("PAYMENT_SERVICE_TOKEN"),
        env.millis("PAYMENT_RETRY_POLL_MS", 1000),
        env.millis("PAYMENT_RETRY_BACKOFF_MS", 1000),
        env.millis("PAYMENT_RETRY_MAX_BACKOFF_MS", 30_000),
        env.integer("PAYMENT_RETRY_BATCH", 20));
    positive("PAYMENT_TIMEOUT_MS", s.timeoutMs);
    positive("PAYMENT_RETRY_TIMEOUT_MS", s.retryTimeoutMs);
    positive("PAYMENT_BREAKER_MAX_FAILURES", s.breakerMaxFailures);
    positive("PAYMENT_BREAKER_RESET_MS", s.breakerResetMs);
    positive("PAYMENT_BREAKER_WINDOW_MS", s.breakerWindowMs);
    positive("PAYMENT_POOL_SIZE", s.poolSize);
    positive("PAYMENT_RETRY_POLL_MS", s.retryPollMs);
    positive("PAYMENT_RETRY_BACKOFF_MS", s.retryBackoffMs);
    positive("PAYMENT_RETRY_MAX_BACKOFF_MS", s.retryMaxBackoffMs);
    positive("PAYMENT_RETRY_BATCH", s.retryBatch);
    return s;
  }

  /** How long the retrier leaves a new order's charge to the request that placed it. */
  public long firstRetryAfterMs() {
    return timeoutMs + 2000;
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new ConfigException(name + "=" + value + " must be positive");
    }
  }
}
