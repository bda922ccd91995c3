package cafe.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.logging.Logger;

/**
 * Moves committed outbox events to Kafka. A run publishes batches until the outbox is empty; a
 * wake-up during a run schedules one more run, so bursts of writes share batches. A slow poll
 * catches anything a lost wake-up missed.
 */
public abstract class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());

  protected final Vertx vertx;
  /**
   * The one context the relay's state lives on. wake() comes from every event loop that writes (each HTTP verticle
   * instance, each consumer): run on the caller's context, two of them could each see the relay idle, or one
   * could miss the other's "again" and leave an event waiting for the next poll.
   */
  private final Context context;
  protected final int batchSize;
  private final long pollMs;
  private final Counter published;
  private final io.micrometer.core.instrument.Timer lag;
  private boolean running;
  private boolean again;
  private boolean stopping;
  private long pollTimer = -1;
  private Promise<Void> idle;

  protected OutboxRelay(Vertx vertx, Settings settings, MeterRegistry metrics, String store) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.batchSize = settings.batchSize();
    this.pollMs = settings.pollMs();
    this.published = Counter.builder("cafe_outbox_published").tag("store", store).register(metrics);
    this.lag = io.micrometer.core.instrument.Timer.builder("cafe_outbox_lag")
        .description("time from an event's write to its publication to Kafka")
        .tag("store", store).register(metrics);
  }

  /** How big a batch is and how often the outbox is looked at without a wake-up. */
  public record Settings(int batchSize, long pollMs) {
    public static Settings from(cafe.common.config.Env env) {
      return new Settings(env.integer("OUTBOX_BATCH_SIZE", 200), env.millis("OUTBOX_POLL_MS", 1000));
    }
  }

  /** Publishes up to {@link #batchSize} events and marks them sent; answers how many it published. */
  protected abstract Future<Integer> publishBatch();

  /** The periodic poll is due (before its wake-up); a relay that needs to look further than usual notes it. */
  protected void polled() {
  }

  /** How long a published event waited in the outbox, from its write to its publication. */
  protected final void waited(long writtenAtMillis) {
    lag.record(Math.max(0, System.currentTimeMillis() - writtenAtMillis), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Starts the poll; subclasses call it once their wake-up source is listening. */
  protected void startPolling() {
    context.runOnContext(v -> {
      pollTimer = vertx.setPeriodic(pollMs, t -> {
        polled();
        wake();
      });
      wake();
    });
  }

  /** Asks for a run soon; cheap to call on every write. */
  public final void wake() {
    context.runOnContext(v -> {
      if (stopping) {
        return;
      }
      if (running) {
        again = true;
        return;
      }
      running = true;
      drain();
    });
  }

  private void drain() {
    publishBatch().onComplete(ar -> {
      if (ar.succeeded()) {
        published.increment(ar.result());
      } else {
        LOG.warning("outbox relay: batch not published, will retry: " + ar.cause().getMessage());
      }
      boolean full = ar.succeeded() && ar.result() >= batchSize;
      if (!stopping && (full || again)) {
        again = false;
        drain();
      } else {
        running = false;
        if (idle != null) {
          idle.tryComplete();
        }
      }
    });
  }

  /** Stops after the batch in hand (a crash here is fine too: unsent events stay in the store). */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      if (pollTimer >= 0) {
        vertx.cancelTimer(pollTimer);
      }
      if (running) {
        idle = done;
      } else {
        done.complete();
      }
    });
    return done.future().compose(v -> closeResources());
  }

  protected Future<Void> closeResources() {
    return Future.succeededFuture();
  }
}
