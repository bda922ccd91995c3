package cafe.gateway.api;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The front door's outer edge for new orders: at most as many {@code POST /orders} go on to order at once as an
 * adaptive limit allows (AIMD: one more after each answer, a tenth less after each "busy" refusal from order or
 * an answer slower than {@code ORDER_EDGE_TIMEOUT_MS}). The rest are refused here, first thing, before the token
 * check and the rate limit: a refusal must cost the cafe far less than an order, or clients that ask again at once
 * spend its CPU on refusals. A refusal is answered after {@code ORDER_EDGE_REFUSAL_PAUSE_MS} for the same reason.
 */
public final class OrderDoor {
  /** The edge's settings, from the environment (README, "Flow control"). */
  public record Settings(int initialLimit, int minLimit, int maxLimit, long timeoutMs, long refusalPauseMs) {
    public static Settings from(Env env) {
      Settings s = new Settings(
          env.integer("ORDER_EDGE_INITIAL_LIMIT", 64),
          env.integer("ORDER_EDGE_MIN_LIMIT", 4),
          env.integer("ORDER_EDGE_MAX_LIMIT", 256),
          env.millis("ORDER_EDGE_TIMEOUT_MS", 1000),
          env.millis("ORDER_EDGE_REFUSAL_PAUSE_MS", 40));
      if (s.minLimit < 1 || s.initialLimit < s.minLimit || s.maxLimit < s.initialLimit) {
        throw new ConfigException("ORDER_EDGE_MIN_LIMIT=" + s.minLimit + ", ORDER_EDGE_INITIAL_LIMIT="
            + s.initialLimit + ", ORDER_EDGE_MAX_LIMIT=" + s.maxLimit + " must be 1 <= min <= initial <= max");
      }
      if (s.timeoutMs <= 0 || s.refusalPauseMs < 0) {
        throw new ConfigException("ORDER_EDGE_TIMEOUT_MS must be positive, ORDER_EDGE_REFUSAL_PAUSE_MS not negative");
      }
      return s;
    }
  }

  private final Vertx vertx;
  private final Settings settings;
  private final SimpleLimiter<Void> limiter;
  private final Counter refused;

  public OrderDoor(Vertx vertx, Settings settings, MeterRegistry metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.limiter = SimpleLimiter.newBuilder()
        .named("order-edge")
        .limit(AIMDLimit.newBuilder()
            .initialLimit(settings.initialLimit())
            .minLimit(settings.minLimit())
            .maxLimit(settings.maxLimit())
            .timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
            .build())
        .build();
    this.refused = Counter.builder("cafe_order_edge_refused").description("POST /orders refused at the gateway")
        .register(metrics);
    Gauge.builder("cafe_order_edge_limit", limiter, SimpleLimiter::getLimit)
        .description("POST /orders the gateway lets through to order at once (adaptive)").register(metrics);
  }

  void handle(RoutingContext ctx) {
    Optional<Limiter.Listener> slot = limiter.acquire(null);
    if (slot.isEmpty()) {
      refused.increment();
      ProblemException busy = ProblemException.busy(
          "the cafe is taking as many orders as it can; nothing was ordered or charged. Try again in 1 s", 1);
      if (settings.refusalPauseMs() > 0) {
        vertx.setTimer(settings.refusalPauseMs(), t -> Problem.send(ctx, busy));
      } else {
        Problem.send(ctx, busy);
      }
      return;
    }
    Limiter.Listener listener = slot.get();
    ctx.addEndHandler(sent -> {
      int status = ctx.response().getStatusCode();
      if (sent.failed()) {
        listener.onIgnore();
      } else if (status == 503 || status == 504) {
        // Order (or the way to it) is full: let fewer through.
        listener.onDropped();
      } else {
        listener.onSuccess();
      }
    });
    ctx.next();
  }
}
