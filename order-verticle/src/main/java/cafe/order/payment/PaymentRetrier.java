package cafe.order.payment;

import cafe.order.store.OrderStore;
import cafe.order.store.OrderStore.PendingCharge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Charges PAYMENT_PENDING orders in the background until payment approves or declines them. The
 * work list is the database (pending_charges), so it survives restarts; each replica leases due
 * charges with FOR UPDATE SKIP LOCKED, so replicas never charge the same order at the same time
 * (and if they did, payment takes a charge once per order id).
 *
 * <p>It yields to the orders being placed: it holds at most {@code PAYMENT_RETRY_CONCURRENCY} charges at a time
 * (the rest of {@code PAYMENT_MAX_CONCURRENT_CHARGES} stays for live orders), sends at most
 * {@code PAYMENT_RETRY_PER_SECOND}, and waits while the payment circuit is open. A backlog (after an outage)
 * is drained round after round at that pace, not one round per poll.
 */
public final class PaymentRetrier {
  private static final Logger LOG = Logger.getLogger(PaymentRetrier.class.getName());

  private final Vertx vertx;
  private final OrderStore store;
  private final Checkout checkout;
  private final PaymentClient payment;
  private final PaymentSettings settings;
  private long timer = -1;
  private boolean running;
  private boolean stopping;
  private Promise<Void> idle;

  public PaymentRetrier(Vertx vertx, OrderStore store, Checkout checkout, PaymentClient payment,
      PaymentSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.checkout = checkout;
    this.payment = payment;
    this.settings = settings;
  }

  public synchronized void start() {
    timer = vertx.setPeriodic(settings.retryPollMs(), t -> tick());
  }

  private void tick() {
    synchronized (this) {
      // While the circuit is open a charge would fail at once: leave the leases alone until it half-opens.
      if (running || stopping || payment.circuitOpen()) {
        return;
      }
      running = true;
    }
    round();
  }

  /** One round; a full one means a backlog (after an outage), so the next follows as soon as the pace allows. */
  private void round() {
    // A half-open circuit lets one probe through: claim one charge, not a round that would fail at once.
    int limit = payment.circuitHalfOpen() ? 1 : settings.retryConcurrency();
    long began = System.nanoTime();
    store.claimDueCharges(limit, settings.retryBackoffMs(), settings.retryMaxBackoffMs())
        .compose(due -> chargeAll(due).map(due.size()))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warning("payment retrier: round failed, next in " + settings.retryPollMs() + " ms: "
                + ar.cause().getMessage());
          }
          boolean backlog = ar.succeeded() && ar.result() >= limit && limit > 1;
          boolean again;
          Promise<Void> done = null;
          synchronized (this) {
            again = backlog && !stopping && !payment.circuitOpen();
            if (!again) {
              running = false;
              done = idle;
            }
          }
          if (again) {
            // PAYMENT_RETRY_PER_SECOND: a round of n charges takes at least n / rate seconds.
            long spentMs = (System.nanoTime() - began) / 1_000_000;
            long pauseMs = ar.result() * 1000L / settings.retryPerSecond() - spentMs;
            if (pauseMs > 0) {
              vertx.setTimer(pauseMs, t -> afterPause());
            } else {
              round();
            }
          } else if (done != null) {
            done.tryComplete();
          }
        });
  }

  private void afterPause() {
    Promise<Void> done;
    synchronized (this) {
      if (!stopping) {
        done = null;
      } else {
        running = false;
        done = idle;
      }
    }
    if (done == null) {
      round();
    } else {
      done.tryComplete();
    }
  }

  private Future<Void> chargeAll(List<PendingCharge> due) {
    List<Future<?>> charges = new ArrayList<>(due.size());
    for (PendingCharge charge : due) {
      LOG.fine(() -> "order " + charge.orderId() + ": retrying its charge (attempt " + charge.attempts() + ")");
      charges.add(checkout.charge(null, charge, settings.retryTimeoutMs(), "retry-" + charge.orderId()));
    }
    return Future.join(charges).mapEmpty();
  }

  /** Stops after the round in hand; unsettled charges stay in the database for the next start. */
  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    synchronized (this) {
      stopping = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      if (running) {
        idle = done;
      } else {
        done.complete();
      }
    }
    return done.future();
  }
}
