package cafe.delivery.dispatch;

import cafe.common.events.Event;
import cafe.delivery.domain.Delivery;
import cafe.delivery.domain.Delivery.Move;
import cafe.delivery.domain.DeliveryStatus;
import cafe.delivery.store.DeliveryStore;
import cafe.delivery.store.DeliveryStore.DeliveryRecord;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Deliveries end to end: ready drinks put on the shelf for riders, pickups and drop-offs, and
 * cancelled orders taken off the shelf. The domain decides every move; this class writes it with a
 * conditional update and, when someone else got there first, reads again and lets the domain decide anew.
 */
public final class Dispatch {
  private static final Logger LOG = Logger.getLogger(Dispatch.class.getName());
  private static final int MAX_TRIES = 20;

  private final DeliveryStore deliveries;
  private final Clock clock;
  private final List<Consumer<Delivery>> waitingListeners = new CopyOnWriteArrayList<>();

  public Dispatch(DeliveryStore deliveries, Clock clock) {
    this.deliveries = deliveries;
    this.clock = clock;
  }

  /** Called with every delivery this instance puts on the shelf (auto mode picks it up). */
  public void onWaiting(Consumer<Delivery> listener) {
    waitingListeners.add(listener);
  }

  /** DrinkReady: the delivery waits for a rider; once per order. */
  public Future<Void> drinkReady(String orderId, String customerId, String address, Event cause) {
    Move move = Delivery.await(orderId, customerId, address, clock.instant());
    return deliveries.insert(move, cause).map(inserted -> {
      if (inserted) {
        LOG.info("order " + orderId + ": waiting for a rider");
        waitingListeners.forEach(l -> l.accept(move.delivery()));
      } else {
        LOG.fine(() -> "order " + orderId + " already has a delivery; " + cause.id() + " changes nothing");
      }
      return null;
    });
  }

  /** OrderCancelled: a waiting delivery is cancelled; none, or one already on its way, is left as it is. */
  public Future<Void> orderCancelled(String orderId, Event cause) {
    return orderCancelled(orderId, cause, 1);
  }

  private Future<Void> orderCancelled(String orderId, Event cause, int attempt) {
    return deliveries.find(orderId).compose(found -> {
      if (found.isEmpty() || found.get().hasApplied(cause)) {
        return Future.succeededFuture();
      }
      Delivery before = found.get().delivery();
      Optional<Move> cancel = before.cancel(clock.instant());
      if (cancel.isEmpty()) {
        LOG.info("order " + orderId + ": cancellation dropped, the delivery is " + before.status());
        return Future.succeededFuture();
      }
      return deliveries.move(before, cancel.get(), cause).compose(done -> {
        if (done) {
          LOG.info("order " + orderId + ": delivery cancelled");
          return Future.succeededFuture();
        }
        if (attempt >= MAX_TRIES) {
          return Future.failedFuture(new IllegalStateException("delivery " + orderId + " kept changing"));
        }
        return orderCancelled(orderId, cause, attempt + 1);
      });
    });
  }

  /** A rider (or auto mode) takes it: WAITING → DELIVERING. */
  public Future<Delivery> pickUp(String orderId, String rider) {
    return move(orderId, d -> d.pickUp(rider, clock.instant()), 1);
  }

  /** The rider hands it over: DELIVERING → DELIVERED. */
  public Future<Delivery> complete(String orderId) {
    return move(orderId, d -> d.complete(clock.instant()), 1);
  }

  /** WAITING → DELIVERING from a delivery already in hand (auto mode); read again only if it moved meanwhile. */
  public Future<Delivery> pickUp(Delivery seen, String rider) {
    return moveFrom(seen, d -> d.pickUp(rider, clock.instant()));
  }

  /** DELIVERING → DELIVERED from a delivery already in hand (auto mode). */
  public Future<Delivery> complete(Delivery seen) {
    return moveFrom(seen, d -> d.complete(clock.instant()));
  }

  private Future<Delivery> moveFrom(Delivery seen, Function<Delivery, Move> decide) {
    return Future.succeededFuture(seen).compose(before -> {
      Move move = decide.apply(before);
      return deliveries.move(before, move).compose(done -> {
        if (done) {
          LOG.info("order " + before.orderId() + ": " + move.event().type());
          return Future.succeededFuture(move.delivery());
        }
        return move(before.orderId(), decide, 2);
      });
    });
  }

  private Future<Delivery> move(String orderId, Function<Delivery, Move> decide, int attempt) {
    return deliveries.find(orderId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new NoSuchDeliveryException(orderId));
      }
      Delivery before = found.get().delivery();
      Move move = decide.apply(before);
      return deliveries.move(before, move).compose(done -> {
        if (done) {
          LOG.info("order " + orderId + ": " + move.event().type());
          return Future.succeededFuture(move.delivery());
        }
        if (attempt >= MAX_TRIES) {
          return Future.failedFuture(new IllegalStateException("delivery " + orderId + " kept changing"));
        }
        return move(orderId, decide, attempt + 1);
      });
    });
  }

  public Future<List<Delivery>> list(List<DeliveryStatus> statuses, int limit) {
    return deliveries.list(statuses, limit);
  }

  public Future<Optional<Delivery>> delivery(String orderId) {
    return deliveries.find(orderId).map(found -> found.map(DeliveryRecord::delivery));
  }
}
