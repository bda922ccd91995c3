package cafe.barista.counter;

import cafe.barista.domain.IllegalMoveException;
import cafe.barista.domain.Ticket;
import cafe.barista.domain.TicketStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Auto mode ({@code CAFE_AUTO_BREW_MS} > 0): the bar starts every queued drink itself and calls it
 * ready after the brew time. A drink this instance queues is started at once; a sweep at start and
 * every {@code CAFE_AUTO_SWEEP_MS} picks up whatever is left QUEUED, or BREWING past its time, after a
 * restart or by an instance that went away (seldom: on the stand-in MongoDB a sweep reads every
 * ticket while holding the collection). Moves are conditional on the status, so several
 * instances sweeping the same tickets still start and complete each drink exactly once.
 */
public final class AutoBrew {
  private static final Logger LOG = Logger.getLogger(AutoBrew.class.getName());
  private static final int SWEEP_BATCH = 100;

  private final Vertx vertx;
  private final Counter counter;
  private final Duration brewTime;
  private final Duration sweepEvery;
  private final Clock clock;
  private final io.micrometer.core.instrument.Counter sweeps;
  private long sweepTimer = -1;
  private boolean sweeping;
  private volatile boolean stopped;

  public AutoBrew(Vertx vertx, Counter counter, Duration brewTime, Duration sweepEvery, Clock clock,
      MeterRegistry metrics) {
    this.sweepEvery = sweepEvery;
    this.vertx = vertx;
    this.sweeps = io.micrometer.core.instrument.Counter.builder("cafe_barista_auto_sweeps")
        .description("auto mode sweeps over tickets left queued or brewing").register(metrics);
    this.counter = counter;
    this.brewTime = brewTime;
    this.clock = clock;
  }

  public void start() {
    counter.onQueued(ticket -> vertx.runOnContext(v -> brew(ticket)));
    vertx.runOnContext(v -> {
      sweepTimer = vertx.setPeriodic(sweepEvery.toMillis(), t -> sweep());
      sweep();
    });
    LOG.info("auto mode: every queued drink is started and ready " + brewTime.toMillis() + " ms later");
  }

  public Future<Void> stop() {
    stopped = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    return Future.succeededFuture();
  }

  /** The ticket as last seen: the move is tried from it, and read again only if it moved meanwhile. */
  private void brew(Ticket queued) {
    if (stopped) {
      return;
    }
    counter.start(queued)
        .onSuccess(brewing -> vertx.setTimer(Math.max(1, brewTime.toMillis()), t -> finish(brewing)))
        .onFailure(err -> quietly("start", queued.orderId(), err));
  }

  private void finish(Ticket brewing) {
    if (stopped) {
      return;
    }
    counter.complete(brewing).onFailure(err -> quietly("complete", brewing.orderId(), err));
  }

  private void sweep() {
    if (sweeping || stopped) {
      return;
    }
    sweeping = true;
    Future<List<Ticket>> queued = counter.board(List.of(TicketStatus.QUEUED), SWEEP_BATCH)
        .onSuccess(tickets -> tickets.forEach(this::brew));
    Future<List<Ticket>> brewing = counter.board(List.of(TicketStatus.BREWING), SWEEP_BATCH)
        .onSuccess(tickets -> tickets.stream()
            .filter(t -> t.brewedFor(brewTime, clock.instant()))
            .forEach(this::finish));
    Future.join(queued, brewing).onComplete(ar -> {
      sweeping = false;
      sweeps.increment();
      if (ar.failed()) {
        LOG.warning("auto mode: sweep failed, will retry: " + ar.cause().getMessage());
      }
    });
  }

  /** Another instance (or a person) moving the same ticket first is expected, not a problem. */
  private static void quietly(String what, String orderId, Throwable err) {
    Level level = err instanceof IllegalMoveException || err instanceof NoSuchTicketException ? Level.FINE : Level.WARNING;
    LOG.log(level, "auto mode: could not " + what + " order " + orderId + ": " + err.getMessage());
  }
}
