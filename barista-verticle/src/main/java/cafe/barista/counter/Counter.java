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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
  /**
   * How long a stock op outlives its ticket: far longer than any instance takes between reading "no
   * ticket yet" and its stock update, yet short, because the stock document carries every op younger
   * than this (at 300 orders/s about 3,000 small entries) and every take rewrites it.
   */
  static final Duration OP_GRACE = Duration.ofSeconds(10);

  private final TicketStore tickets;
  private final StockStore stock;
  private final Clock clock;
  private final List<Consumer<Ticket>> queuedListeners = new CopyOnWriteArrayList<>();

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
    return tickets.find(order.orderId()).compose(found -> {
      if (found.isPresent()) {
        LOG.fine(() -> "order " + order.orderId() + " already has a ticket; " + cause.id() + " changes nothing");
        return Future.succeededFuture();
      }
      return decide(order, 1).compose(decision -> record(order, decision, cause));
    });
  }

  /**
   * Takes the stock, or finds out why not: the order was decided before (a redelivery, or another
   * instance handling it at the same moment), or something is short. A refusal is recorded only if
   * the items are still short at that instant; otherwise the stock changed under us and we try again.
   */
  private Future<Decision> decide(PlacedOrder order, int attempt) {
    Map<String, Integer> needs = order.needs();
    long now = clock.millis();
    return stock.take(order.orderId(), needs, now).compose(taken -> {
      if (taken) {
        return Future.succeededFuture(new Decision(true, List.of()));
      }
      return stock.read().compose(snapshot -> {
        Optional<Decision> earlier = snapshot.decisionFor(order.orderId());
        if (earlier.isPresent()) {
          return Future.succeededFuture(earlier.get());
        }
        List<String> missing = Stock.shortages(snapshot.levels(), needs);
        if (missing.isEmpty()) {
          return decideAgain(order, attempt);
        }
        return stock.refuse(order.orderId(), missing, needs, now).compose(refused -> refused
            ? Future.succeededFuture(new Decision(false, missing))
            : decideAgain(order, attempt));
      });
    });
  }

  private Future<Decision> decideAgain(PlacedOrder order, int attempt) {
    if (attempt >= MAX_TRIES) {
      return Future.failedFuture(new IllegalStateException("the stock kept changing while deciding order " + order.orderId()));
    }
    return decide(order, attempt + 1);
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
        return stored.stockOwed() ? giveBack(stored.ticket()) : Future.succeededFuture();
      }
      Optional<Move> answer = stored.ticket().cancel(now);
      if (answer.isEmpty()) {
        LOG.info("order " + orderId + ": cancellation dropped, the ticket is " + stored.ticket().status());
        return Future.succeededFuture();
      }
      Move move = answer.get();
      if (move.event() instanceof DrinkCancelled) {
        return tickets.cancelQueued(stored.ticket(), move, cause).compose(done -> done
            ? giveBack(move.ticket())
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
  private Future<Void> giveBack(Ticket cancelled) {
    return stock.giveBack(cancelled.orderId(), cancelled.stockTaken(), clock.millis())
        .compose(v -> tickets.settleCancelled(cancelled, new DrinkCancelled()))
        .map(settled -> {
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
   * Housekeeping: finishes stock returns a crash interrupted, then forgets stock ops whose outcome
   * the tickets carry (take/refuse: the ticket exists; return: the ticket owes nothing) and that are
   * older than {@link #OP_GRACE}. An op without a ticket is kept: its order is still being handled.
   */
  public Future<Void> tidy() {
    return tickets.owingStock(100)
        .compose(owing -> {
          Future<Void> chain = Future.succeededFuture();
          for (Ticket ticket : owing) {
            chain = chain.compose(v -> giveBack(ticket));
          }
          return chain;
        })
        .compose(v -> stock.read())
        .compose(snapshot -> {
          long cutoff = clock.millis() - OP_GRACE.toMillis();
          List<Op> old = snapshot.ops().stream().filter(op -> op.at() < cutoff).toList();
          return tickets.owing(old.stream().map(Op::orderId).distinct().toList())
              .compose(owing -> stock.forget(old.stream().filter(op -> settled(op, owing)).toList()));
        });
  }

  /** The ticket shows the op's outcome: it exists, and after a return it owes no stock any more. */
  private static boolean settled(Op op, Map<String, Boolean> owingByOrder) {
    Boolean owing = owingByOrder.get(op.orderId());
    return owing != null && !(op.kind() == OpKind.RETURN && owing);
  }
}
