package cafe.order.events;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.PgInbox;
import cafe.order.OrderMetrics;
import cafe.order.domain.IllegalTransitionException;
import cafe.order.domain.Order;
import cafe.order.domain.OrderEvent;
import cafe.order.domain.OrderStatus;
import cafe.order.domain.Transition;
import cafe.order.store.NoSuchOrderException;
import cafe.order.store.OrderStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
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
  private final OrderMetrics metrics;

  public OrderSaga(OrderStore store, OrderMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
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
    AtomicReference<Transition> stored = new AtomicReference<>();
    return PgInbox.once(store.pool(), event, tx -> store.change(tx, orderId, move)
        .<Void>map(t -> {
          stored.set(t);
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
        }))
        .onSuccess(v -> {
          // Committed: the step is reached.
          if (stored.get() != null) {
            metrics.stored(stored.get());
          }
        });
  }

  /**
   * A whole poll at once, in one transaction: one inbox claim for all its events, the orders they are
   * about locked together, each order's moves applied in the events' order and stored once. An event
   * the order's status does not expect is dropped as in {@link #handle}. Any failure rolls the batch
   * back, and the consumer then hands the events over one at a time.
   */
  public Future<Void> handleAll(List<Event> events) {
    Instant now = OrderStore.now();
    List<Step> steps = new ArrayList<>();
    for (Event event : events) {
      Function<Order, Transition> move = move(event, now);
      if (move != null) {
        try {
          steps.add(new Step(event, UUID.fromString(event.orderId()), move));
        } catch (IllegalArgumentException e) {
          LOG.warning(event.type() + " " + event.id() + " dropped: subject " + event.orderId() + " is not an order id");
        }
      }
    }
    if (steps.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Transition> reached = new ArrayList<>();
    return store.pool().withTransaction(tx -> PgInbox.claimAll(tx, steps.stream().map(Step::event).toList())
        .compose(claimed -> {
          List<Step> fresh = new ArrayList<>();
          for (Step step : steps) {
            // Each claimed id once: an event published twice may sit twice in one poll.
            if (claimed.remove(step.event().id())) {
              fresh.add(step);
            }
          }
          Set<UUID> ids = new LinkedHashSet<>();
          fresh.forEach(step -> ids.add(step.orderId()));
          return store.lockAll(tx, ids).compose(orders -> {
            Map<UUID, Transition> byOrder = new LinkedHashMap<>();
            for (Step step : fresh) {
              Order current = orders.get(step.orderId());
              if (current == null) {
                LOG.warning("order " + step.orderId() + ": " + step.event().type() + " " + step.event().id()
                    + " dropped: " + new NoSuchOrderException(step.orderId()).getMessage());
                continue;
              }
              Transition t;
              try {
                t = step.move().apply(current);
              } catch (IllegalTransitionException e) {
                LOG.warning("order " + step.orderId() + ": " + step.event().type() + " " + step.event().id()
                    + " dropped: " + e.getMessage());
                continue;
              }
              if (!t.changed()) {
                continue;
              }
              LOG.info("order " + step.orderId() + ": " + step.event().type() + ": " + describe(t.before()) + " -> "
                  + describe(t.after()));
              reached.add(t);
              orders.put(step.orderId(), t.after());
              Transition earlier = byOrder.get(step.orderId());
              List<OrderEvent> caused = new ArrayList<>();
              if (earlier != null) {
                caused.addAll(earlier.events());
              }
              caused.addAll(t.events());
              byOrder.put(step.orderId(), new Transition(earlier == null ? t.before() : earlier.before(), t.after(),
                  caused));
            }
            return store.saveAll(tx, byOrder.values());
          });
        }))
        .onSuccess(v -> reached.forEach(metrics::stored));
  }

  private record Step(Event event, UUID orderId, Function<Order, Transition> move) {
  }

  /** The domain move an event asks for; null for events the order does not follow. */
  private static Function<Order, Transition> move(Event event, Instant now) {
    return switch (event.type()) {
      case "DrinkQueued" -> order -> order.drinkQueued(now);
      case "DrinkStarted" -> order -> order.drinkStarted(now);
      case "DrinkReady" -> order -> order.drinkReady(now);
      case "DrinkCancelled" -> order -> order.drinkCancelled(now);
      case "DrinkCancelRejected" -> order -> order.drinkCancelRejected(reported(event), now);
      case "OutOfStock" -> order -> order.outOfStock(missing(event), now);
      case "DeliveryStarted" -> order -> order.deliveryStarted(now);
      case "DeliveryCompleted" -> order -> order.deliveryCompleted(now);
      default -> null;
    };
  }

  /** The items OutOfStock names; anything that is not a name is left out. */
  private static List<String> missing(Event event) {
    List<String> missing = new ArrayList<>();
    if (event.data().getValue("missing") instanceof JsonArray items) {
      items.forEach(item -> {
        if (item instanceof String name) {
          missing.add(name);
        }
      });
    }
    return missing;
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
