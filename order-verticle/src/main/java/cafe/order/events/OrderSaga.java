package cafe.order.events;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.PgInbox;
import cafe.order.domain.IllegalTransitionException;
import cafe.order.domain.Order;
import cafe.order.domain.OrderStatus;
import cafe.order.domain.Transition;
import cafe.order.store.NoSuchOrderException;
import cafe.order.store.OrderStore;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The order's side of the saga: barista and delivery events move the order's status machine, each
 * applied once (inbox) in the same transaction as the change and the events it causes. An event
 * the order's status does not expect is logged and dropped, never retried.
 */
public final class OrderSaga {
  public static final String GROUP = "order-saga";
  public static final List<String> TOPICS = List.of(Topics.BARISTA, Topics.DELIVERIES);
  private static final Logger LOG = Logger.getLogger(OrderSaga.class.getName());

  private final OrderStore store;

  public OrderSaga(OrderStore store) {
    this.store = store;
  }

  public Future<Void> handle(Event event) {
    Function<Order, Transition> move = move(event, OrderStore.now());
    if (move == null) {
      return Future.succeededFuture();
    }
    UUID orderId;
    try {
      orderId = UUID.fromString(event.orderId());
    } catch (IllegalArgumentException e) {
      LOG.warning(event.type() + " " + event.id() + " dropped: subject " + event.orderId() + " is not an order id");
      return Future.succeededFuture();
    }
    return PgInbox.once(store.pool(), event, tx -> store.change(tx, orderId, move)
        .<Void>map(t -> {
          if (t.changed()) {
            LOG.info("order " + orderId + ": " + event.type() + ": " + describe(t.before()) + " -> " + describe(t.after()));
          }
          return null;
        })
        .recover(err -> {
          if (err instanceof IllegalTransitionException || err instanceof NoSuchOrderException) {
            LOG.warning("order " + orderId + ": " + event.type() + " " + event.id() + " dropped: " + err.getMessage());
            return Future.succeededFuture();
          }
          return Future.failedFuture(err);
        }));
  }

  /** The domain move an event asks for; null for events the order does not follow. */
  private static Function<Order, Transition> move(Event event, Instant now) {
    return switch (event.type()) {
      case "DrinkQueued" -> order -> order.drinkQueued(now);
      case "DrinkStarted" -> order -> order.drinkStarted(now);
      case "DrinkReady" -> order -> order.drinkReady(now);
      case "DrinkCancelled" -> order -> order.drinkCancelled(now);
      case "DrinkCancelRejected" -> order -> order.drinkCancelRejected(reported(event), now);
      case "OutOfStock" -> order -> order.outOfStock(now);
      case "DeliveryStarted" -> order -> order.deliveryStarted(now);
      case "DeliveryCompleted" -> order -> order.deliveryCompleted(now);
      default -> null;
    };
  }

  /** The status DrinkCancelRejected reports (BREWING or READY); anything else leaves it to the stored one. */
  private static OrderStatus reported(Event event) {
    if (!(event.data().getValue("status") instanceof String status)) {
      return null;
    }
    try {
      return OrderStatus.valueOf(status);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String describe(Order order) {
    return order.status() == OrderStatus.CANCEL_REQUESTED
        ? "CANCEL_REQUESTED (from " + order.statusBeforeCancel() + ")" : order.status().name();
  }
}
