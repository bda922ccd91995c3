package cafe.gateway.limit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Requests per caller per window, counted in Redis so every gateway replica shares one budget.
 * When Redis cannot answer, traffic passes (fail open): a missing limiter must not stop the cafe.
 */
public final class RateLimiter {
  private static final Logger LOG = Logger.getLogger(RateLimiter.class.getName());
  private static final String KEY_PREFIX = "gateway:rate:";
  /** Longer than a healthy Redis ever takes, short enough that an unreachable one costs little. */
  private static final long REDIS_TIMEOUT_MS = 250;
  private static final String SCRIPT = script();

  private final Redis redis;
  private final long windowMs;
  private final AtomicBoolean failingOpen = new AtomicBoolean();

  /** What the limiter says about one request. */
  public record Verdict(boolean allowed, int limit, int remaining, int retryAfterSeconds) {
    static Verdict unlimited(int limit) {
      return new Verdict(true, limit, limit, 0);
    }
  }

  public RateLimiter(Redis redis, int windowSeconds) {
    this.redis = redis;
    this.windowMs = windowSeconds * 1000L;
  }

  /** Counts one request of {@code caller} against {@code limit} (0 = no limit); never fails. */
  public Future<Verdict> take(String caller, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(Verdict.unlimited(limit));
    }
    Request eval = Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(KEY_PREFIX + caller).arg(windowMs);
    return redis.send(eval)
        .timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(answer -> verdict(answer, limit))
        .otherwise(err -> {
          if (failingOpen.compareAndSet(false, true)) {
            LOG.warning("rate limits are off until Redis answers again (letting traffic through): " + err.getMessage());
          }
          return Verdict.unlimited(limit);
        });
  }

  private Verdict verdict(Response answer, int limit) {
    if (failingOpen.compareAndSet(true, false)) {
      LOG.info("Redis answers again: rate limits are back on");
    }
    long count = answer.get(0).toLong();
    long ttlMs = Math.max(1, answer.get(1).toLong());
    int remaining = (int) Math.max(0, limit - count);
    int retryAfter = (int) Math.max(1, (ttlMs + 999) / 1000);
    return new Verdict(count <= limit, limit, remaining, retryAfter);
  }

  private static String script() {
    try (InputStream in = RateLimiter.class.getClassLoader().getResourceAsStream("gateway/rate-limit.lua")) {
      if (in == null) {
        throw new IllegalStateException("gateway/rate-limit.lua is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
