package cafe.barista.counter;

import cafe.barista.domain.BaristaEvent.DrinkCancelled;
import cafe.barista.domain.PlacedOrder;
import cafe.barista.domain.Stock;
import cafe.barista.domain.Ticket;
import cafe.barista.domain.Ticket.Move;
import cafe.barista.domain.TicketStatus;
import cafe.barista.store.StockStore;
import cafe.barista.store.StockStore.Decision;
import cafe.barista.store.StockStore.Op;
import cafe.barista.store.StockStore.OpKind;
import cafe.barista.store.TicketStore;
import cafe.barista.store.TicketStore.TicketRecord;
import cafe.common.events.Event;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The bar's work, end to end: orders taken from the stock onto tickets, drinks moved along, and
 * cancellations answered. The domain decides every move; this class reads what it needs, writes the
 * decision with a conditional update and, when another instance got there first, reads again and
 * lets the domain decide anew.
 */
public final class Counter {
  private static final Logger LOG = Logger.getLogger(Counter.class.getName());
  /** Races lost in a row before giving up (the consumer then retries the event later). */
  private static final int MAX_TRIES = 20;

  private final TicketStore tickets;
  private final StockStore stock;
  private final Clock clock;
  private final List<Consumer<Ticket>> queuedListeners = new CopyOnWriteArrayList<>();
  /** The stock's tidied count as last read (-1: not yet), for takes without reading the stock first. */
  private final AtomicLong knownTidied = new AtomicLong(-1);

  public Counter(TicketStore tickets, StockStore stock, Clock clock) {
    this.tickets = tickets;
    this.stock = stock;
    this.clock = clock;
  }

  /** Called with every ticket this instance queues (auto mode starts it). */
  public void onQueued(Consumer<Ticket> listener) {
    queuedListeners.add(listener);
  }

  /** OrderPlaced: takes the stock of every item and queues the drink, or refuses the order; once per order. */
  public Future<Void> takeOrder(PlacedOrder order, Event cause) {
    long tidied = knownTidied.get();
    if (tidied < 0) {
      return takeOrder(order, cause, 1);
    }
    // The usual case, one read fewer: a tidied count seen earlier was seen before this ticket lookup
    // too, so a take guarded by it is as safe; if housekeeping ran since, the take is refused and the
    // stock is read after all. So is it when the items are short or the order was decided before.
    return tickets.find(order.orderId()).compose(found -> {
      if (found.isPresent()) {
        LOG.fine(() -> "order " + order.orderId() + " already has a ticket; " + cause.id() + " changes nothing");
        return Future.succeededFuture();
      }
      return stock.take(order.orderId(), order.needs(), clock.millis(), tidied).compose(taken -> taken
          ? record(order, new Decision(true, List.of()), cause)
          : takeOrder(order, cause, 1));
    });
  }

  /**
   * The stock is read before the ticket is looked at, and the take is made with what that read showed
   * (see {@link StockStore}): an earlier decision found in the stock is only written onto a ticket; a
   * refusal is recorded only if the items are still short at that instant. When the stock changed
   * under us, everything is read again.
   */
  private Future<Void> takeOrder(PlacedOrder order, Event cause, int attempt) {
    Map<String, Integer> needs = order.needs();
    return stock.read().compose(snapshot -> tickets.find(order.orderId()).compose(found -> {
      knownTidied.set(snapshot.tidied());
      if (found.isPresent()) {
        LOG.fine(() -> "order " + order.orderId() + " already has a ticket; " + cause.id() + " changes nothing");
        return Future.succeededFuture();
      }
      Optional<Decision> earlier = snapshot.decisionFor(order.orderId());
      if (earlier.isPresent()) {
        return record(order, earlier.get(), cause);
      }
      long now = clock.millis();
      List<String> missing = Stock.shortages(snapshot.levels(), needs);
      Future<Decision> decided = missing.isEmpty()
          ? stock.take(order.orderId(), needs, now, snapshot.tidied())
              .map(taken -> taken ? new Decision(true, List.of()) : null)
          : stock.refuse(order.orderId(), missing, needs, now)
              .map(refused -> refused ? new Decision(false, missing) : null);
      return decided.compose(decision -> {
        if (decision != null) {
          return record(order, decision, cause);
        }
        if (attempt >= MAX_TRIES) {
          return Future.failedFuture(new IllegalStateException("the stock kept changing while deciding order " + order.orderId()));
        }
        return takeOrder(order, cause, attempt + 1);
      });
    }));
  }

  private Future<Void> record(PlacedOrder order, Decision decision, Event cause) {
    Instant now = clock.instant();
    Move move = decision.taken() ? Ticket.queue(order, now) : Ticket.refuse(order, decision.missing(), now);
    return tickets.insert(move, cause).map(inserted -> {
      if (inserted) {
        if (decision.taken()) {
          LOG.info("order " + order.orderId() + ": stock taken, drink queued");
          queuedListeners.forEach(l -> l.accept(move.ticket()));
        } else {
          LOG.info("order " + order.orderId() + ": out of stock " + decision.missing());
        }
      }
      return null;
    });
  }

  /**
   * OrderCancelRequested: a queued drink is cancelled and its stock returned; one being brewed or
   * ready is refused with its status; a ticket already cancelled or refused expects no cancellation,
   * so the request is logged and dropped.
   */
  public Future<Void> cancel(String orderId, String customerId, Event cause) {
    return cancel(orderId, customerId, cause, 1);
  }

  private Future<Void> cancel(String orderId, String customerId, Event cause, int attempt) {
    Instant now = clock.instant();
    return tickets.find(orderId).compose(found -> {
      if (found.isEmpty()) {
        // cafe.orders keeps one order's events in order, so OrderPlaced was handled before this:
        // no ticket means the bar never took the order and has nothing to brew or give back.
        Move move = Ticket.cancelUnqueued(orderId, customerId, now);
        return tickets.insert(move, cause).compose(inserted -> {
          if (inserted) {
            LOG.info("order " + orderId + ": cancelled before any drink was queued");
            return Future.succeededFuture();
          }
          return cancelAgain(orderId, customerId, cause, attempt);
        });
      }
      TicketRecord stored = found.get();
      if (stored.hasApplied(cause)) {
        // A redelivery; finish the stock return if a crash cut it short.
        return stored.stockOwed() ? giveBack(orderId) : Future.succeededFuture();
      }
      Optional<Move> answer = stored.ticket().cancel(now);
      if (answer.isEmpty()) {
        LOG.info("order " + orderId + ": cancellation dropped, the ticket is " + stored.ticket().status());
        return Future.succeededFuture();
      }
      Move move = answer.get();
      if (move.event() instanceof DrinkCancelled) {
        return tickets.cancelQueued(stored.ticket(), move, cause).compose(done -> done
            ? giveBack(orderId)
            : cancelAgain(orderId, customerId, cause, attempt));
      }
      return tickets.answer(stored.ticket(), move.event(), cause).compose(done -> {
        if (done) {
          LOG.info("order " + orderId + ": cancellation refused, the drink is " + stored.ticket().status());
          return Future.succeededFuture();
        }
        return cancelAgain(orderId, customerId, cause, attempt);
      });
    });
  }

  private Future<Void> cancelAgain(String orderId, String customerId, Event cause, int attempt) {
    if (attempt >= MAX_TRIES) {
      return Future.failedFuture(new IllegalStateException("ticket " + orderId + " kept changing during cancellation"));
    }
    return cancel(orderId, customerId, cause, attempt + 1);
  }

  /** Puts a cancelled ticket's stock back (once, whoever gets here first) and then announces it. */
  private Future<Void> giveBack(String orderId) {
    return giveBack(orderId, 1);
  }

  private Future<Void> giveBack(String orderId, int attempt) {
    // As when taking: the stock is read before the ticket, and the return made with what it showed.
    return stock.read().compose(snapshot -> tickets.find(orderId).compose(found -> {
      if (found.isEmpty() || !found.get().stockOwed()) {
        return Future.succeededFuture();
      }
      Ticket cancelled = found.get().ticket();
      Future<Boolean> returned = snapshot.has(OpKind.RETURN, orderId)
          ? Future.succeededFuture(true)
          : stock.giveBack(orderId, cancelled.stockTaken(), clock.millis(), snapshot.tidied());
      return returned.compose(done -> {
        if (done) {
          return settle(cancelled);
        }
        if (attempt >= MAX_TRIES) {
          return Future.failedFuture(new IllegalStateException("the stock kept changing while returning order " + orderId));
        }
        return giveBack(orderId, attempt + 1);
      });
    }));
  }

  private Future<Void> settle(Ticket cancelled) {
    return tickets.settleCancelled(cancelled, new DrinkCancelled()).map(settled -> {
      if (settled) {
        LOG.info("order " + cancelled.orderId() + ": drink cancelled, stock returned");
      }
      return null;
    });
  }

  /** Staff (or auto mode): QUEUED → BREWING. */
  public Future<Ticket> start(String orderId) {
    return move(orderId, ticket -> ticket.start(clock.instant()), 1);
  }

  /** Staff (or auto mode): BREWING → READY. */
  public Future<Ticket> complete(String orderId) {
    return move(orderId, ticket -> ticket.complete(clock.instant()), 1);
  }

  /** QUEUED → BREWING from a ticket already in hand (auto mode); read again only if it moved meanwhile. */
  public Future<Ticket> start(Ticket seen) {
    return moveFrom(seen, ticket -> ticket.start(clock.instant()));
  }

  /** BREWING → READY from a ticket already in hand (auto mode). */
  public Future<Ticket> complete(Ticket seen) {
    return moveFrom(seen, ticket -> ticket.complete(clock.instant()));
  }

  private Future<Ticket> moveFrom(Ticket seen, Function<Ticket, Move> decide) {
    return Future.succeededFuture(seen).compose(before -> {
      Move move = decide.apply(before);
      return tickets.move(before, move).compose(done -> {
        if (done) {
          LOG.info("order " + before.orderId() + ": " + move.event().type());
          return Future.succeededFuture(move.ticket());
        }
        return move(before.orderId(), decide, 2);
      });
    });
  }

  private Future<Ticket> move(String orderId, Function<Ticket, Move> decide, int attempt) {
    return tickets.find(orderId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new NoSuchTicketException(orderId));
      }
      Ticket before = found.get().ticket();
      Move move = decide.apply(before);
      return tickets.move(before, move).compose(done -> {
        if (done) {
          LOG.info("order " + orderId + ": " + move.event().type());
          return Future.succeededFuture(move.ticket());
        }
        if (attempt >= MAX_TRIES) {
          return Future.failedFuture(new IllegalStateException("ticket " + orderId + " kept changing"));
        }
        // Someone else moved it first; decide again from what is there now.
        return move(orderId, decide, attempt + 1);
      });
    });
  }

  public Future<List<Ticket>> board(List<TicketStatus> statuses, int limit) {
    return tickets.list(statuses, limit);
  }

  public Future<Optional<Ticket>> ticket(String orderId) {
    return tickets.find(orderId).map(found -> found.map(TicketRecord::ticket));
  }

  /**
   * Housekeeping: finishes stock returns a crash interrupted, then forgets stock ops whose outcome the
   * tickets carry (take/refuse: the ticket exists; return: the ticket owes nothing). An op without a
   * ticket is kept: its order is still being handled.
   */
  public Future<Void> tidy() {
    return finishReturns().compose(v -> forgetSettledOps());
  }

  /** Stock returns a crash cut short are finished (a look through the tickets). */
  public Future<Void> finishReturns() {
    return tickets.owingStock(100).compose(owing -> {
      Future<Void> chain = Future.succeededFuture();
      for (Ticket ticket : owing) {
        chain = chain.compose(v -> giveBack(ticket.orderId()));
      }
      return chain;
    });
  }

  /** Stock ops whose tickets show their outcome are forgotten (the tickets are read by id). */
  public Future<Void> forgetSettledOps() {
    return stock.read()
        .compose(snapshot -> tickets.owing(snapshot.ops().stream().map(Op::orderId).distinct().toList())
            .compose(owing -> stock.forget(snapshot.ops().stream().filter(op -> settled(op, owing)).toList())));
  }

  /** The ticket shows the op's outcome: it exists, and after a return it owes no stock any more. */
  private static boolean settled(Op op, Map<String, Boolean> owingByOrder) {
    Boolean owing = owingByOrder.get(op.orderId());
    return owing != null && !(op.kind() == OpKind.RETURN && owing);
  }
}
