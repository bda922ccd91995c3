package cafe.payment.events;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.PgInbox;
import cafe.payment.store.PaymentStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/** On OrderCancelled: refund the order's approved payment once, or void an order nobody charged yet. */
public final class RefundOnCancel {
  public static final String GROUP = "payment-refunds";
  public static final List<String> TOPICS = List.of(Topics.ORDERS);
  private static final Logger LOG = Logger.getLogger(RefundOnCancel.class.getName());

  private final PaymentStore store;

  public RefundOnCancel(PaymentStore store) {
    this.store = store;
  }

  public Future<Void> handle(Event event) {
    if (!"OrderCancelled".equals(event.type())) {
      return Future.succeededFuture();
    }
    UUID orderId;
    try {
      orderId = UUID.fromString(event.orderId());
    } catch (IllegalArgumentException e) {
      LOG.warning("OrderCancelled " + event.id() + " dropped: subject " + event.orderId() + " is not an order id");
      return Future.succeededFuture();
    }
    String customerId = event.data().getValue("customerId") instanceof String c ? c : "unknown";
    long total = event.data().getValue("total") instanceof Number n ? n.longValue() : 0;
    return PgInbox.once(store.pool(), event, tx -> store.refundOrVoid(tx, orderId, customerId, total)
        .<Void>map(decision -> {
          if (decision.changed()) {
            LOG.info("order " + orderId + ": cancelled, refunded " + decision.payment().amount());
          } else {
            LOG.info("order " + orderId + ": cancelled, nothing to refund (" + decision.payment().status() + ")");
          }
          return null;
        }));
  }
}
