package cafe.order.domain;

import cafe.order.domain.OrderEvent.OrderCancelRequested;
import cafe.order.domain.OrderEvent.OrderCancelled;
import cafe.order.domain.OrderEvent.OrderPlaced;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An order and its status machine. Every move answers a {@link Transition} (the order after it
 * and the events it causes) or throws {@link IllegalTransitionException}; an order is never
 * changed in place.
 *
 * @param statusBeforeCancel while CANCEL_REQUESTED: where the order stood (and has moved on to
 *                           since, as the barista and delivery kept working) so a refused
 *                           cancellation can return it there
 */
public record Order(UUID id, String customerId, OrderStatus status, OrderStatus statusBeforeCancel,
                    CancelReason cancelReason, List<OrderLine> lines, long total, String address,
                    Instant createdAt, Instant updatedAt) {

  /** Statuses from which a customer may ask to cancel and the barista decides. */
  private static final Set<OrderStatus> CANCELLABLE =
      EnumSet.of(OrderStatus.PAID, OrderStatus.QUEUED, OrderStatus.BREWING, OrderStatus.READY);

  public Order {
    lines = List.copyOf(lines);
  }

  /** A new order, priced from the menu, waiting for its payment. */
  public static Order place(UUID id, String customerId, Menu menu, List<LineRequest> requested, String address,
      Instant now) {
    List<OrderLine> lines = menu.price(requested);
    return new Order(id, customerId, OrderStatus.PAYMENT_PENDING, null, null, lines, Menu.total(lines), address,
        now, now);
  }

  // Payment ------------------------------------------------------------------------------------

  /** Payment approved the charge. A second answer, or one for an order cancelled meanwhile, changes nothing. */
  public Transition paymentApproved(Instant now) {
    return switch (status) {
      case PAYMENT_PENDING -> {
        Order paid = moveTo(OrderStatus.PAID, now);
        yield new Transition(this, paid, List.of(new OrderPlaced(paid)));
      }
      // Cancelled while the charge was in flight: payment refunds it when it sees OrderCancelled.
      case REJECTED -> throw new IllegalTransitionException(status, "approve the payment of");
      default -> Transition.none(this);
    };
  }

  /** Payment declined the charge. */
  public Transition paymentDeclined(Instant now) {
    return switch (status) {
      case PAYMENT_PENDING -> new Transition(this, moveTo(OrderStatus.REJECTED, now), List.of());
      case REJECTED, CANCELLED -> Transition.none(this);
      default -> throw new IllegalTransitionException(status, "decline the payment of");
    };
  }

  // The customer --------------------------------------------------------------------------------

  /**
   * The customer asks to cancel. Nothing was charged yet for a PAYMENT_PENDING order, so it is
   * cancelled at once (a charge still in flight is refunded by payment on OrderCancelled); once
   * paid, the barista decides.
   */
  public Transition requestCancel(Instant now) {
    if (status == OrderStatus.PAYMENT_PENDING) {
      return cancel(CancelReason.CUSTOMER, now);
    }
    if (!CANCELLABLE.contains(status)) {
      throw new IllegalTransitionException(status, "cancel");
    }
    Order requested = new Order(id, customerId, OrderStatus.CANCEL_REQUESTED, status, null, lines, total, address,
        createdAt, now);
    return new Transition(this, requested, List.of(new OrderCancelRequested(requested, status)));
  }

  // The barista -----------------------------------------------------------------------------------

  public Transition drinkQueued(Instant now) {
    return advance(OrderStatus.QUEUED, EnumSet.of(OrderStatus.PAID), "queue", now);
  }

  public Transition drinkStarted(Instant now) {
    return advance(OrderStatus.BREWING, EnumSet.of(OrderStatus.QUEUED), "start brewing", now);
  }

  public Transition drinkReady(Instant now) {
    return advance(OrderStatus.READY, EnumSet.of(OrderStatus.BREWING), "make ready", now);
  }

  /** The barista cancelled the ticket (it was only queued) and put the stock back. */
  public Transition drinkCancelled(Instant now) {
    if (status != OrderStatus.CANCEL_REQUESTED) {
      throw new IllegalTransitionException(status, "confirm the cancellation of");
    }
    return cancel(CancelReason.CUSTOMER, now);
  }

  /**
   * The barista had already started: the order returns to where it stood. That is the status the
   * barista reports or, if the order has moved further since (delivery picked it up), that one.
   */
  public Transition drinkCancelRejected(OrderStatus reported, Instant now) {
    if (status != OrderStatus.CANCEL_REQUESTED) {
      throw new IllegalTransitionException(status, "refuse the cancellation of");
    }
    OrderStatus back = OrderStatus.furthest(statusBeforeCancel,
        reported != null && reported.isFulfilment() ? reported : null);
    if (back == null) {
      back = OrderStatus.PAID;
    }
    return new Transition(this, new Order(id, customerId, back, null, null, lines, total, address, createdAt, now),
        List.of());
  }

  /** Nothing was taken from stock ({@code missing} ran out): the order ends here and payment refunds it. */
  public Transition outOfStock(List<String> missing, Instant now) {
    boolean paid = status == OrderStatus.PAID
        || (status == OrderStatus.CANCEL_REQUESTED && statusBeforeCancel == OrderStatus.PAID);
    if (!paid) {
      throw new IllegalTransitionException(status, "report out of stock for");
    }
    return cancel(CancelReason.OUT_OF_STOCK, missing, now);
  }

  // Delivery ------------------------------------------------------------------------------------

  /**
   * A rider picked the order up. Delivery only does so after DrinkReady, but barista and delivery
   * events travel on different topics and may reach us in either order (a lagging consumer may
   * read the delivery first, even before DrinkQueued), so a drink not yet READY here is taken as READY.
   */
  public Transition deliveryStarted(Instant now) {
    return advance(OrderStatus.DELIVERING,
        EnumSet.of(OrderStatus.READY, OrderStatus.QUEUED, OrderStatus.BREWING, OrderStatus.PAID), "start delivering",
        now);
  }

  public Transition deliveryCompleted(Instant now) {
    return advance(OrderStatus.DELIVERED,
        EnumSet.of(OrderStatus.DELIVERING, OrderStatus.READY, OrderStatus.QUEUED, OrderStatus.BREWING,
            OrderStatus.PAID),
        "complete the delivery of", now);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A step along the fulfilment line. While a cancellation is pending the barista and delivery may
   * still move on: the step then updates the status the order would return to.
   */
  private Transition advance(OrderStatus target, Set<OrderStatus> from, String move, Instant now) {
    // Barista and delivery events travel on different topics: a step that arrives after the order
    // has already passed it (DrinkReady after DeliveryStarted) is late news, not an error.
    OrderStatus standing = status == OrderStatus.CANCEL_REQUESTED ? statusBeforeCancel : status;
    if (standing != null && standing.isFulfilment() && OrderStatus.furthest(standing, target) == standing) {
      return Transition.none(this);
    }
    if (status == OrderStatus.CANCEL_REQUESTED && from.contains(statusBeforeCancel)) {
      return new Transition(this, new Order(id, customerId, status, target, null, lines, total, address,
          createdAt, now), List.of());
    }
    if (!from.contains(status)) {
      throw new IllegalTransitionException(status, move);
    }
    return new Transition(this, moveTo(target, now), List.of());
  }

  private Transition cancel(CancelReason reason, Instant now) {
    return cancel(reason, List.of(), now);
  }

  private Transition cancel(CancelReason reason, List<String> missing, Instant now) {
    Order cancelled = new Order(id, customerId, OrderStatus.CANCELLED, null, reason, lines, total, address,
        createdAt, now);
    return new Transition(this, cancelled, List.of(new OrderCancelled(cancelled, reason, missing)));
  }

  private Order moveTo(OrderStatus next, Instant now) {
    return new Order(id, customerId, next, null, cancelReason, lines, total, address, createdAt, now);
  }

  public boolean isOwnedBy(String customer) {
    return customerId.equals(customer);
  }
}
