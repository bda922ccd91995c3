package cafe.delivery.dispatch;

import cafe.delivery.domain.Delivery;
import cafe.delivery.domain.DeliveryStatus;
import cafe.delivery.domain.IllegalMoveException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Auto mode ({@code CAFE_AUTO_DELIVER_MS} > 0): a rider of the cafe's own picks up every waiting
 * delivery and hands it over after the ride time. A delivery this instance puts on the shelf is
 * picked up at once; a sweep at start and every {@code CAFE_AUTO_SWEEP_MS} picks up whatever is left
 * WAITING, or DELIVERING past its time, after a restart or by an instance that went away (seldom: on
 * the stand-in MongoDB a sweep reads every delivery while holding the collection). Moves are
 * conditional on the status, so several instances never move the same delivery twice.
 */
public final class AutoRider {
  public static final String RIDER = "auto-rider";
  private static final Logger LOG = Logger.getLogger(AutoRider.class.getName());
  private static final int SWEEP_BATCH = 100;

  private final Vertx vertx;
  private final Dispatch dispatch;
  private final Duration rideTime;
  private final Duration sweepEvery;
  private final Clock clock;
  private final Counter sweeps;
  private long sweepTimer = -1;
  private boolean sweeping;
  private volatile boolean stopped;

  public AutoRider(Vertx vertx, Dispatch dispatch, Duration rideTime, Duration sweepEvery, Clock clock,
      MeterRegistry metrics) {
    this.sweepEvery = sweepEvery;
    this.vertx = vertx;
    this.dispatch = dispatch;
    this.rideTime = rideTime;
    this.clock = clock;
    this.sweeps = Counter.builder("cafe_delivery_auto_sweeps")
        .description("auto mode sweeps over deliveries left waiting or on the road").register(metrics);
  }

  public void start() {
    dispatch.onWaiting(delivery -> vertx.runOnContext(v -> ride(delivery)));
    vertx.runOnContext(v -> {
      sweepTimer = vertx.setPeriodic(sweepEvery.toMillis(), t -> sweep());
      sweep();
    });
    LOG.info("auto mode: every waiting delivery is picked up and delivered " + rideTime.toMillis() + " ms later");
  }

  public Future<Void> stop() {
    stopped = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    return Future.succeededFuture();
  }

  /** The delivery as last seen: the move is tried from it, and read again only if it moved meanwhile. */
  private void ride(Delivery waiting) {
    if (stopped) {
      return;
    }
    dispatch.pickUp(waiting, RIDER)
        .onSuccess(onTheRoad -> vertx.setTimer(Math.max(1, rideTime.toMillis()), t -> handOver(onTheRoad)))
        .onFailure(err -> quietly("pick up", waiting.orderId(), err));
  }

  private void handOver(Delivery onTheRoad) {
    if (stopped) {
      return;
    }
    dispatch.complete(onTheRoad).onFailure(err -> quietly("deliver", onTheRoad.orderId(), err));
  }

  private void sweep() {
    if (sweeping || stopped) {
      return;
    }
    sweeping = true;
    Future<List<Delivery>> waiting = dispatch.list(List.of(DeliveryStatus.WAITING), SWEEP_BATCH)
        .onSuccess(list -> list.forEach(this::ride));
    Future<List<Delivery>> onTheRoad = dispatch.list(List.of(DeliveryStatus.DELIVERING), SWEEP_BATCH)
        .onSuccess(list -> list.stream()
            .filter(d -> d.onTheRoadFor(rideTime, clock.instant()))
            .forEach(this::handOver));
    Future.join(waiting, onTheRoad).onComplete(ar -> {
      sweeping = false;
      sweeps.increment();
      if (ar.failed()) {
        LOG.warning("auto mode: sweep failed, will retry: " + ar.cause().getMessage());
      }
    });
  }

  /** Another instance (or a person) moving the same delivery first is expected, not a problem. */
  private static void quietly(String what, String orderId, Throwable err) {
    Level level = err instanceof IllegalMoveException || err instanceof NoSuchDeliveryException ? Level.FINE : Level.WARNING;
    LOG.log(level, "auto mode: could not " + what + " order " + orderId + ": " + err.getMessage());
  }
}
