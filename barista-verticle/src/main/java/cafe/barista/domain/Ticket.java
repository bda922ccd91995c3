package cafe.barista.domain;

import cafe.barista.domain.BaristaEvent.DrinkCancelRejected;
import cafe.barista.domain.BaristaEvent.DrinkCancelled;
import cafe.barista.domain.BaristaEvent.DrinkQueued;
import cafe.barista.domain.BaristaEvent.DrinkReady;
import cafe.barista.domain.BaristaEvent.DrinkStarted;
import cafe.barista.domain.BaristaEvent.OutOfStock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A drink ticket: one per order, keyed by the order id. Every move returns the ticket after it and
 * the event it causes; a move the status does not allow throws {@link IllegalMoveException}.
 */
public record Ticket(String orderId, String customerId, List<TicketLine> items, String address,
    TicketStatus status, Instant createdAt, Instant updatedAt, Instant startedAt) {

  public Ticket {
    items = List.copyOf(items);
  }

  /** A ticket after a move, and what the move tells the cafe. */
  public record Move(Ticket ticket, BaristaEvent event) {
  }

  /** The order's stock was taken: the drink joins the queue. */
  public static Move queue(PlacedOrder order, Instant now) {
    Ticket ticket = new Ticket(order.orderId(), order.customerId(), order.items(), order.address(),
        TicketStatus.QUEUED, now, now, null);
    return new Move(ticket, new DrinkQueued(order.items()));
  }

  /** Some items are short: nothing is taken and the order is refused. */
  public static Move refuse(PlacedOrder order, List<String> missing, Instant now) {
    if (missing.isEmpty()) {
      throw new IllegalArgumentException("an order is refused only for missing items");
    }
    Ticket ticket = new Ticket(order.orderId(), order.customerId(), order.items(), order.address(),
        TicketStatus.OUT_OF_STOCK, now, now, null);
    return new Move(ticket, new OutOfStock(List.copyOf(missing)));
  }

  /**
   * A cancellation for an order the bar never queued (its order was never placed here): there is
   * nothing to brew and no stock to return, so it is cancelled at once. The ticket stays as a
   * record, so an order that turns up later is not brewed.
   */
  public static Move cancelUnqueued(String orderId, String customerId, Instant now) {
    Ticket ticket = new Ticket(orderId, customerId, List.of(), null, TicketStatus.CANCELLED, now, now, null);
    return new Move(ticket, new DrinkCancelled());
  }

  public Move start(Instant now) {
    if (status != TicketStatus.QUEUED) {
      throw new IllegalMoveException(status, switch (status) {
        case BREWING -> "the drink of order " + orderId + " is already being brewed";
        case READY -> "the drink of order " + orderId + " is already ready";
        default -> "order " + orderId + " is " + status + ": there is no drink to start";
      });
    }
    return new Move(moved(TicketStatus.BREWING, now, now), new DrinkStarted());
  }

  public Move complete(Instant now) {
    if (status != TicketStatus.BREWING) {
      throw new IllegalMoveException(status, switch (status) {
        case QUEUED -> "the drink of order " + orderId + " has not been started yet: start it first";
        case READY -> "the drink of order " + orderId + " is already ready";
        default -> "order " + orderId + " is " + status + ": there is no drink to complete";
      });
    }
    return new Move(moved(TicketStatus.READY, now, startedAt), new DrinkReady(address));
  }

  /**
   * The answer to a cancellation request: a queued drink is cancelled (its stock goes back); one
   * being brewed or ready is refused with its status; a ticket already cancelled or refused
   * expects no cancellation, so there is no answer (empty).
   */
  public Optional<Move> cancel(Instant now) {
    return switch (status) {
      case QUEUED -> Optional.of(new Move(moved(TicketStatus.CANCELLED, now, startedAt), new DrinkCancelled()));
      case BREWING, READY -> Optional.of(new Move(this, new DrinkCancelRejected(status)));
      case CANCELLED, OUT_OF_STOCK -> Optional.empty();
    };
  }

  /** The stock this ticket took from the shelf. */
  public Map<String, Integer> stockTaken() {
    return Stock.needs(items);
  }

  /** In auto mode: has this drink brewed long enough to be called ready? */
  public boolean brewedFor(Duration brewTime, Instant now) {
    return status == TicketStatus.BREWING && startedAt != null && !startedAt.plus(brewTime).isAfter(now);
  }

  private Ticket moved(TicketStatus to, Instant now, Instant started) {
    return new Ticket(orderId, customerId, items, address, to, createdAt, now, started);
  }
}
