package cafe.order.api;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Who may place an order now. The cafe takes an order only when it can finish it in time:
 * <ul>
 *   <li>at most as many orders are being placed at once as an adaptive limit allows (Netflix's
 *       Gradient2: it grows while answers stay as fast as the fastest seen, and shrinks when they slow
 *       down, which is when our own CPU queue grows);</li>
 *   <li>no more while the saga's backlog (orders accepted and not finished) is over what the saga finishes in
 *       {@code ORDER_BACKLOG_SECONDS} at its measured pace: a bar that is full stops taking orders until drinks
 *       go out.</li>
 * </ul>
 * An order that cannot go in at once waits its turn, first come first served, as long as its expected wait
 * (those ahead of it over the pace at which orders go in) is within {@code ADMISSION_MAX_WAIT_MS}; beyond that
 * it is refused at once with 503 and {@code Retry-After}, before anything is stored. A closed-loop load therefore
 * meets a steady pace instead of a growing backlog.
 */
public final class FrontDoor {
  private static final Logger LOG = Logger.getLogger(FrontDoor.class.getName());
  private static final String TICKET = "cafe.frontDoor.ticket";
  /** Admissions are counted in buckets of this length; the pace is the last {@link #BUCKETS} of them. */
  private static final long BUCKET_NANOS = 250_000_000L;
  private static final int BUCKETS = 4;

  /**
   * Orders placed at once at most, by default: with the retrier's 8 it fills payment's 64 charges in flight
   * (PAYMENT_MAX_CONCURRENT_CHARGES) and no more, so an order let in is never left unsettled for want of a slot.
   */
  public static final int DEFAULT_MAX_LIMIT = 56;

  /** The front door's settings, from the environment (README, "Flow control"). */
  public record Settings(int initialLimit, int minLimit, int maxLimit, long maxWaitMs, int maxQueue,
                         long refusalPauseMs, long backlogLimit, long backlogMin, long backlogSeconds,
                         long backlogPollMs) {
    public static Settings from(Env env) {
      Settings s = new Settings(
          env.integer("ADMISSION_INITIAL_LIMIT", DEFAULT_MAX_LIMIT),
          env.integer("ADMISSION_MIN_LIMIT", 8),
          env.integer("ADMISSION_MAX_LIMIT", DEFAULT_MAX_LIMIT),
          env.millis("ADMISSION_MAX_WAIT_MS", 800),
          env.integer("ADMISSION_MAX_QUEUE", 1000),
          env.millis("ADMISSION_REFUSAL_PAUSE_MS", 30),
          env.integer("ORDER_BACKLOG_LIMIT", 3000),
          env.integer("ORDER_BACKLOG_MIN", 200),
          env.integer("ORDER_BACKLOG_SECONDS", 20),
          env.millis("ORDER_BACKLOG_POLL_MS", 250));
      if (s.minLimit < 1 || s.initialLimit < s.minLimit || s.maxLimit < s.initialLimit) {
        throw new ConfigException("ADMISSION_MIN_LIMIT=" + s.minLimit + ", ADMISSION_INITIAL_LIMIT=" + s.initialLimit
            + ", ADMISSION_MAX_LIMIT=" + s.maxLimit + " must be 1 <= min <= initial <= max");
      }
      if (s.maxWaitMs < 0 || s.maxQueue < 0 || s.refusalPauseMs < 0) {
        throw new ConfigException(
            "ADMISSION_MAX_WAIT_MS, ADMISSION_MAX_QUEUE and ADMISSION_REFUSAL_PAUSE_MS must not be negative");
      }
      if (s.backlogLimit <= 0 || s.backlogMin <= 0 || s.backlogSeconds <= 0 || s.backlogPollMs <= 0) {
        throw new ConfigException(
            "ORDER_BACKLOG_LIMIT, ORDER_BACKLOG_MIN, ORDER_BACKLOG_SECONDS and ORDER_BACKLOG_POLL_MS must be positive");
      }
      return s;
    }
  }

  /** One order let in: it holds its place in the limit until its answer has gone. */
  private record Ticket(Limiter.Listener listener) {
  }

  private record Waiter(Context context, Promise<Ticket> promise, long timer) {
  }

  private final Vertx vertx;
  private final Settings settings;
  private final SimpleLimiter<Void> limiter;
  private final Supplier<Future<Long>> readBacklog;
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private final long[] admittedPerBucket = new long[BUCKETS];
  private final Counter refusedFull;
  private final Counter refusedBacklog;
  private final long pollTimer;
  private long bucket;
  private volatile long backlog;
  private long admittedSinceRead;
  private boolean reading;
  private long lastReadNanos;
  /** Orders finished per second, as the backlog's reads show (smoothed). */
  private double drainRate;

  public FrontDoor(Vertx vertx, Settings settings, Supplier<Future<Long>> readBacklog, MeterRegistry metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.readBacklog = readBacklog;
    this.limiter = SimpleLimiter.newBuilder()
        .named("orders")
        .limit(Gradient2Limit.newBuilder()
            .initialLimit(settings.initialLimit())
            .minLimit(settings.minLimit())
            .maxConcurrency(settings.maxLimit())
            .build())
        .build();
    this.refusedFull = refused(metrics, "busy");
    this.refusedBacklog = refused(metrics, "backlog");
    Gauge.builder("cafe_admission_limit", limiter, SimpleLimiter::getLimit)
        .description("orders that may be placed at once (adaptive)").register(metrics);
    Gauge.builder("cafe_admission_placing", limiter, SimpleLimiter::getInflight)
        .description("orders being placed now").register(metrics);
    Gauge.builder("cafe_admission_waiting", this, FrontDoor::waitingCount)
        .description("orders waiting at the front door").register(metrics);
    Gauge.builder("cafe_orders_in_flight", this, door -> door.backlog)
        .description("orders accepted and not finished (the saga's backlog), as last read").register(metrics);
    Gauge.builder("cafe_orders_in_flight_limit", this, FrontDoor::currentBacklogLimit)
        .description("the backlog the front door takes orders up to, from the saga's pace").register(metrics);
    Gauge.builder("cafe_orders_finished_per_second", this, door -> door.drainRate)
        .description("the saga's pace: orders finished per second, as the backlog's reads show").register(metrics);
    this.pollTimer = vertx.setPeriodic(0, settings.backlogPollMs(), t -> refreshBacklog());
  }

  private static Counter refused(MeterRegistry metrics, String reason) {
    return Counter.builder("cafe_admission_refused").tag("reason", reason)
        .description("orders refused at the front door with 503").register(metrics);
  }

  /** The route step: lets the order in (now or after its wait) or answers 503 busy; nothing is stored before. */
  public void admit(RoutingContext ctx) {
    enter().onComplete(ar -> {
      if (ar.failed()) {
        refuse(ctx, (ProblemException) ar.cause());
        return;
      }
      Ticket ticket = ar.result();
      ctx.put(TICKET, ticket);
      ctx.addEndHandler(sent -> leave(ticket, sent.succeeded() ? ctx.response().getStatusCode() : -1));
      ctx.next();
    });
  }

  /**
   * Answers a refusal after {@code ADMISSION_REFUSAL_PAUSE_MS}: a client that ignores Retry-After and asks again at
   * once (a load generator does) would otherwise spend the cafe's CPU on refusals instead of on orders.
   */
  private void refuse(RoutingContext ctx, ProblemException refusal) {
    if (settings.refusalPauseMs() <= 0) {
      Problem.send(ctx, refusal);
    } else {
      vertx.setTimer(settings.refusalPauseMs(), t -> Problem.send(ctx, refusal));
    }
  }

  /** Stops reading the backlog; waiting orders are refused. */
  public Future<Void> close() {
    vertx.cancelTimer(pollTimer);
    Deque<Waiter> left;
    synchronized (this) {
      left = new ArrayDeque<>(waiting);
      waiting.clear();
    }
    for (Waiter waiter : left) {
      vertx.cancelTimer(waiter.timer());
      waiter.context().runOnContext(v -> waiter.promise().tryFail(busy(1, "the cafe is closing")));
    }
    return Future.succeededFuture();
  }

  Future<Ticket> enter() {
    Context context = vertx.getOrCreateContext();
    ProblemException refusal;
    synchronized (this) {
      if (waiting.isEmpty()) {
        Ticket ticket = tryTicket();
        if (ticket != null) {
          return Future.succeededFuture(ticket);
        }
      }
      refusal = refusalForNewWaiter();
      if (refusal == null) {
        Promise<Ticket> promise = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, settings.maxWaitMs()), t -> giveUp(promise));
        waiting.addLast(new Waiter(context, promise, timer));
        return promise.future();
      }
    }
    (backlogFull() ? refusedBacklog : refusedFull).increment();
    return Future.failedFuture(refusal);
  }

  /** A ticket when both the limit and the backlog allow one now; else null. Called holding the lock. */
  private Ticket tryTicket() {
    if (backlogFull()) {
      return null;
    }
    Optional<Limiter.Listener> listener = limiter.acquire(null);
    if (listener.isEmpty()) {
      return null;
    }
    admittedSinceRead++;
    count();
    return new Ticket(listener.get());
  }

  private boolean backlogFull() {
    return backlog + admittedSinceRead >= backlogLimit();
  }

  /**
   * The backlog the cafe may hold: what the saga finishes in {@code ORDER_BACKLOG_SECONDS} at the pace it has
   * been finishing orders, at least {@code ORDER_BACKLOG_MIN} (so a quiet cafe can take a rush and find its
   * pace) and at most {@code ORDER_BACKLOG_LIMIT}. Every order taken is then done within about that time after
   * a load ends, on a fast machine or a slow one. Called holding the lock.
   */
  private long backlogLimit() {
    long paced = (long) (drainRate * settings.backlogSeconds());
    return Math.min(settings.backlogLimit(), Math.max(settings.backlogMin(), paced));
  }

  /**
   * Null when one more may wait: the queue has room, and the newcomer would be in within the longest wait — at
   * the pace orders go in now, or, while the bar is full, at the pace the backlog drains. Else the 503 to answer.
   * Called holding the lock.
   */
  private ProblemException refusalForNewWaiter() {
    int ahead = waiting.size();
    boolean inTime;
    if (backlogFull()) {
      long over = backlog + admittedSinceRead - backlogLimit() + ahead + 1;
      inTime = drainRate > 0 && over / drainRate * 1000 <= settings.maxWaitMs();
    } else {
      double pace = pace();
      // Before the first orders have gone in there is no pace yet: the queue's length alone decides.
      inTime = pace <= 0 || (ahead + 1) / pace * 1000 <= settings.maxWaitMs();
    }
    return inTime && ahead < settings.maxQueue() && settings.maxWaitMs() > 0 ? null : refusal(ahead);
  }

  /** The 503 for an order that cannot go in, with the wait to come back after. Called holding the lock. */
  private ProblemException refusal(int ahead) {
    if (backlogFull()) {
      long over = backlog + admittedSinceRead - backlogLimit() + ahead + 1;
      int seconds = drainRate > 0 ? (int) Math.ceil(over / drainRate) : 5;
      return busy(seconds, "the cafe is making " + backlog + " orders, as many as it can finish in time");
    }
    double pace = pace();
    int seconds = pace > 0 ? (int) Math.ceil((ahead + 1) / pace) : 1;
    return busy(seconds, "the cafe is taking as many orders as it can");
  }

  private static ProblemException busy(int seconds, String why) {
    int retryAfter = Math.max(1, Math.min(30, seconds));
    return ProblemException.busy(why + "; nothing was ordered or charged. Try again in " + retryAfter + " s",
        retryAfter);
  }

  private void giveUp(Promise<Ticket> promise) {
    boolean removed;
    synchronized (this) {
      removed = waiting.removeIf(w -> w.promise() == promise);
    }
    if (removed) {
      ProblemException refusal;
      synchronized (this) {
        refusal = refusal(waiting.size());
      }
      (backlogFull() ? refusedBacklog : refusedFull).increment();
      promise.tryFail(refusal);
    }
  }

  /** The answer has gone: the limit learns how long it took, and the next in line may go in. */
  private void leave(Ticket ticket, int status) {
    if (status < 0) {
      // The caller went away before its answer: nothing learnt.
      ticket.listener().onIgnore();
    } else if (status >= 500) {
      ticket.listener().onDropped();
    } else if (status >= 400 && status != 402) {
      // Refused input is answered at once and says nothing about how busy the cafe is.
      ticket.listener().onIgnore();
    } else {
      ticket.listener().onSuccess();
    }
    letWaitersIn();
  }

  private void letWaitersIn() {
    while (true) {
      Waiter next;
      Ticket ticket;
      synchronized (this) {
        next = waiting.peekFirst();
        if (next == null) {
          return;
        }
        ticket = tryTicket();
        if (ticket == null) {
          return;
        }
        waiting.pollFirst();
      }
      vertx.cancelTimer(next.timer());
      Waiter admitted = next;
      admitted.context().runOnContext(v -> {
        if (!admitted.promise().tryComplete(ticket)) {
          // Timed out meanwhile: the place goes back at once.
          ticket.listener().onIgnore();
          letWaitersIn();
        }
      });
    }
  }

  private void refreshBacklog() {
    synchronized (this) {
      if (reading) {
        return;
      }
      reading = true;
    }
    readBacklog.get().onComplete(ar -> {
      synchronized (this) {
        reading = false;
        if (ar.succeeded()) {
          long now = System.nanoTime();
          if (lastReadNanos != 0) {
            // Finished since the last read: what there was, plus what went in, minus what there is.
            double drained = Math.max(0, backlog + admittedSinceRead - ar.result());
            double rate = drained * 1e9 / Math.max(1, now - lastReadNanos);
            // Smoothed over a few seconds of reads: one read apart finds the saga's bursts, not its pace.
            drainRate = drainRate == 0 ? rate : drainRate * 0.9 + rate * 0.1;
          }
          lastReadNanos = now;
          backlog = ar.result();
          admittedSinceRead = 0;
        }
      }
      if (ar.failed()) {
        LOG.fine(() -> "the backlog could not be read: " + ar.cause().getMessage());
      }
      letWaitersIn();
    });
  }

  /** Counts one admission in the current bucket. Called holding the lock. */
  private void count() {
    long now = System.nanoTime() / BUCKET_NANOS;
    rotate(now);
    admittedPerBucket[(int) (now % BUCKETS)]++;
  }

  private void rotate(long now) {
    if (now - bucket >= BUCKETS) {
      java.util.Arrays.fill(admittedPerBucket, 0);
    } else {
      for (long b = bucket + 1; b <= now; b++) {
        admittedPerBucket[(int) (b % BUCKETS)] = 0;
      }
    }
    bucket = Math.max(bucket, now);
  }

  /** Orders let in per second over the last second. Called holding the lock. */
  private double pace() {
    rotate(System.nanoTime() / BUCKET_NANOS);
    long sum = 0;
    for (long n : admittedPerBucket) {
      sum += n;
    }
    return sum * 1_000_000_000.0 / (BUCKET_NANOS * BUCKETS);
  }

  private synchronized long currentBacklogLimit() {
    return backlogLimit();
  }

  private synchronized int waitingCount() {
    return waiting.size();
  }
}
