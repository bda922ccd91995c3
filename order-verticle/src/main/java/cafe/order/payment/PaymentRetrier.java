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

  /** One batch; a full batch means a backlog (after an outage), so the next follows at once. */
  private void round() {
    // A half-open circuit lets one probe through: claim one charge, not a batch that would fail at once.
    int limit = payment.circuitHalfOpen() ? 1 : settings.retryBatch();
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
            round();
          } else if (done != null) {
            done.tryComplete();
          }
        });
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
