package cafe.order.payment;

import cafe.order.OrderMetrics;
import cafe.order.domain.IllegalTransitionException;
import cafe.order.domain.Order;
import cafe.order.payment.ChargeOutcome.Approved;
import cafe.order.payment.ChargeOutcome.Declined;
import cafe.order.payment.ChargeOutcome.Unsettled;
import cafe.order.store.OrderStore;
import cafe.order.store.OrderStore.PendingCharge;
import cafe.order.domain.Transition;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Charges an order's pending charge and settles the order with payment's answer: approved → PAID
 * with OrderPlaced in the same transaction, declined → REJECTED. Without an answer the order stays
 * PAYMENT_PENDING and its pending charge waits for the retrier.
 */
public final class Checkout {
  private static final Logger LOG = Logger.getLogger(Checkout.class.getName());

  private final OrderStore store;
  private final PaymentClient payment;
  private final OrderMetrics metrics;

  public Checkout(OrderStore store, PaymentClient payment, OrderMetrics metrics) {
    this.store = store;
    this.payment = payment;
    this.metrics = metrics;
  }

  /** Charges and settles; answers the order as it stands afterwards ({@code order} itself when unsettled). */
  public Future<Order> charge(Order order, PendingCharge charge, long timeoutMs, String requestId) {
    return payment.charge(charge.orderId(), charge.customerId(), charge.amount(), charge.card(), charge.bearer(),
            timeoutMs, requestId)
        .compose(outcome -> settle(order, charge.orderId(), outcome, requestId));
  }

  private Future<Order> settle(Order known, UUID orderId, ChargeOutcome outcome, String requestId) {
    if (outcome instanceof Unsettled unsettled) {
      LOG.info("order " + orderId + ": payment unsettled, kept PAYMENT_PENDING (" + unsettled.why() + ") [request "
          + requestId + "]");
      return known != null ? Future.succeededFuture(known)
          : store.find(orderId).map(found -> found.orElse(null));
    }
    Instant now = OrderStore.now();
    boolean approved = outcome instanceof Approved;
    Function<Order, Transition> decide = order -> approved ? order.paymentApproved(now) : order.paymentDeclined(now);
    return decideAndStore(known, orderId, decide)
        .map(t -> {
          metrics.stored(t);
          if (t.changed()) {
            LOG.info("order " + orderId + ": " + t.before().status() + " -> " + t.after().status()
                + (outcome instanceof Declined d ? " (" + d.reason() + ")" : "") + " [request " + requestId + "]");
          }
          return t.after();
        })
        .recover(err -> {
          if (err instanceof IllegalTransitionException) {
            // Payment's answer cannot move the order any more; it stays as it is, and that is logged.
            LOG.warning("order " + orderId + ": payment answered " + (approved ? "approved" : "declined")
                + " but " + err.getMessage());
            return store.find(orderId).map(found -> found.orElse(known));
          }
          return Future.failedFuture(err);
        });
  }

  /**
   * On the request path the order is in hand: its decision is stored with one compare-and-set
   * statement. If the order moved meanwhile (a cancel, the retrier), or is not in hand, it is
   * locked, read and decided again.
   */
  private Future<Transition> decideAndStore(Order known, UUID orderId, Function<Order, Transition> decide) {
    if (known == null) {
      return store.change(orderId, decide);
    }
    Transition t;
    try {
      t = decide.apply(known);
    } catch (IllegalTransitionException e) {
      return store.change(orderId, decide);
    }
    return store.applyIfUnchanged(t).compose(stored -> stored ? Future.succeededFuture(t) : store.change(orderId, decide));
  }
}
