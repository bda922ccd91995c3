package cafe.order.payment;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.net.URI;
import java.util.Optional;

/**
 * How order talks to payment (README, "Flow control"). A charge's timeout counts from when it is sent; the
 * circuit opens on payment's failure or slow-answer rate over a minimum of calls; at most
 * {@code maxConcurrentCharges} charges are in flight, of which the retrier may hold {@code retryConcurrency}.
 */
public record PaymentSettings(URI url, long timeoutMs, long retryTimeoutMs, int breakerMinCalls,
                              int breakerFailurePercent, long slowCallMs, int slowCallPercent,
                              long breakerResetMs, long breakerWindowMs, int poolSize, int maxConcurrentCharges,
                              Optional<String> serviceToken, long retryPollMs, long retryBackoffMs,
                              long retryMaxBackoffMs, int retryConcurrency, int retryPerSecond) {

  public static PaymentSettings from(Env env) {
    int pool = env.integer("PAYMENT_POOL_SIZE", 64);
    PaymentSettings s = new PaymentSettings(
        env.url("PAYMENT_URL", "http://127.0.0.1:8082", "http", "https"),
        env.millis("PAYMENT_TIMEOUT_MS", 500),
        env.millis("PAYMENT_RETRY_TIMEOUT_MS", 2000),
        env.integer("PAYMENT_BREAKER_MIN_CALLS", 20),
        env.integer("PAYMENT_BREAKER_FAILURE_PERCENT", 50),
        env.millis("PAYMENT_SLOW_CALL_MS", 300),
        env.integer("PAYMENT_SLOW_CALL_PERCENT", 80),
        env.millis("PAYMENT_BREAKER_RESET_MS", 3000),
        env.millis("PAYMENT_BREAKER_WINDOW_MS", 10_000),
        pool,
        env.integer("PAYMENT_MAX_CONCURRENT_CHARGES", pool),
        env.optional("PAYMENT_SERVICE_TOKEN"),
        env.millis("PAYMENT_RETRY_POLL_MS", 1000),
        env.millis("PAYMENT_RETRY_BACKOFF_MS", 1000),
        env.millis("PAYMENT_RETRY_MAX_BACKOFF_MS", 30_000),
        env.integer("PAYMENT_RETRY_CONCURRENCY", 8),
        env.integer("PAYMENT_RETRY_PER_SECOND", 100));
    positive("PAYMENT_TIMEOUT_MS", s.timeoutMs);
    positive("PAYMENT_RETRY_TIMEOUT_MS", s.retryTimeoutMs);
    positive("PAYMENT_BREAKER_MIN_CALLS", s.breakerMinCalls);
    percent("PAYMENT_BREAKER_FAILURE_PERCENT", s.breakerFailurePercent);
    positive("PAYMENT_SLOW_CALL_MS", s.slowCallMs);
    percent("PAYMENT_SLOW_CALL_PERCENT", s.slowCallPercent);
    positive("PAYMENT_BREAKER_RESET_MS", s.breakerResetMs);
    positive("PAYMENT_BREAKER_WINDOW_MS", s.breakerWindowMs);
    positive("PAYMENT_POOL_SIZE", s.poolSize);
    positive("PAYMENT_MAX_CONCURRENT_CHARGES", s.maxConcurrentCharges);
    positive("PAYMENT_RETRY_POLL_MS", s.retryPollMs);
    positive("PAYMENT_RETRY_BACKOFF_MS", s.retryBackoffMs);
    positive("PAYMENT_RETRY_MAX_BACKOFF_MS", s.retryMaxBackoffMs);
    positive("PAYMENT_RETRY_CONCURRENCY", s.retryConcurrency);
    positive("PAYMENT_RETRY_PER_SECOND", s.retryPerSecond);
    if (s.retryConcurrency >= s.maxConcurrentCharges) {
      throw new ConfigException("PAYMENT_RETRY_CONCURRENCY=" + s.retryConcurrency
          + " must be below PAYMENT_MAX_CONCURRENT_CHARGES=" + s.maxConcurrentCharges
          + ": the retrier must leave room for the orders being placed");
    }
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

  private static void percent(String name, int value) {
    if (value <= 0 || value > 100) {
      throw new ConfigException(name + "=" + value + " must be 1..100");
    }
  }
}
