package cafe.order.domain;

import static cafe.order.domain.OrderStatus.BREWING;
import static cafe.order.domain.OrderStatus.CANCELLED;
import static cafe.order.domain.OrderStatus.CANCEL_REQUESTED;
import static cafe.order.domain.OrderStatus.DELIVERED;
import static cafe.order.domain.OrderStatus.DELIVERING;
import static cafe.order.domain.OrderStatus.PAID;
import static cafe.order.domain.OrderStatus.PAYMENT_PENDING;
import static cafe.order.domain.OrderStatus.QUEUED;
import static cafe.order.domain.OrderStatus.READY;
import static cafe.order.domain.OrderStatus.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.order.domain.OrderEvent.OrderCancelRequested;
import cafe.order.domain.OrderEvent.OrderCancelled;
import cafe.order.domain.OrderEvent.OrderPlaced;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderTest {
  private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
  private static final Instant T1 = T0.plusSeconds(1);

  private static Order placed() {
    return Order.place(UUID.randomUUID(), "alice", MenuTest.MENU,
        List.of(new LineRequest("latte", 2), new LineRequest("croissant", 1)), "1 Main St", T0);
  }

  /** An order driven to {@code status} through the machine itself. */
  private static Order at(OrderStatus status) {
    Order o = placed();
    return switch (status) {
      case PAYMENT_PENDING -> o;
      case PAID -> o.paymentApproved(T1).after();
      case REJECTED -> o.paymentDeclined(T1).after();
      case QUEUED -> at(PAID).drinkQueued(T1).after();
      case BREWING -> at(QUEUED).drinkStarted(T1).after();
      case READY -> at(BREWING).drinkReady(T1).after();
      case DELIVERING -> at(READY).deliveryStarted(T1).after();
      case DELIVERED -> at(DELIVERING).deliveryCompleted(T1).after();
      case CANCEL_REQUESTED -> at(QUEUED).requestCancel(T1).after();
      case CANCELLED -> at(CANCEL_REQUESTED).drinkCancelled(T1).after();
    };
  }

  @Test
  void aNewOrderWaitsForItsPaymentWithThePricesOfTheMenu() {
    Order o = placed();
    assertEquals(PAYMENT_PENDING, o.status());
    assertEquals(13_500, o.total());
    assertEquals(T0, o.createdAt());
    assertEquals(T0, o.updatedAt());
  }

  @Test
  void approvalPaysTheOrderAndPlacesIt() {
    Transition t = placed().paymentApproved(T1);
    assertEquals(PAID, t.after().status());
    assertEquals(T1, t.after().updatedAt());
    assertEquals(1, t.events().size());
    assertInstanceOf(OrderPlaced.class, t.events().get(0));
  }

  @Test
  void aSecondApprovalChangesNothing() {
    Transition again = at(PAID).paymentApproved(T1);
    assertFalse(again.changed());
    assertTrue(again.events().isEmpty());
  }

  @Test
  void declineRejectsTheOrderWithoutAnEvent() {
    Transition t = placed().paymentDeclined(T1);
    assertEquals(REJECTED, t.after().status());
    assertTrue(t.events().isEmpty());
    assertFalse(t.after().paymentDeclined(T1).changed());
    assertThrows(IllegalTransitionException.class, () -> t.after().paymentApproved(T1));
    assertThrows(IllegalTransitionException.class, () -> at(PAID).paymentDeclined(T1));
  }

  @Test
  void theHappyPathRunsToDelivered() {
    Order o = at(PAID);
    for (Function<Order, Transition> step : List.<Function<Order, Transition>>of(
        x -> x.drinkQueued(T1), x -> x.drinkStarted(T1), x -> x.drinkReady(T1),
        x -> x.deliveryStarted(T1), x -> x.deliveryCompleted(T1))) {
      Transition t = step.apply(o);
      assertTrue(t.changed());
      assertTrue(t.events().isEmpty());
      o = t.after();
    }
    assertEquals(DELIVERED, o.status());
  }

  @Test
  void outOfOrderDrinkEventsAreRefused() {
    assertThrows(IllegalTransitionException.class, () -> at(PAID).drinkStarted(T1));
    assertThrows(IllegalTransitionException.class, () -> at(PAID).drinkReady(T1));
    assertThrows(IllegalTransitionException.class, () -> at(QUEUED).drinkReady(T1));
    assertThrows(IllegalTransitionException.class, () -> at(PAYMENT_PENDING).drinkQueued(T1));
    assertThrows(IllegalTransitionException.class, () -> at(REJECTED).drinkQueued(T1));
    assertThrows(IllegalTransitionException.class, () -> at(CANCELLED).drinkStarted(T1));
  }

  @Test
  void aStepTheOrderHasAlreadyPassedIsLateNewsNotAnError() {
    assertFalse(at(BREWING).drinkQueued(T1).changed());
    assertFalse(at(DELIVERED).drinkStarted(T1).changed());
    assertFalse(at(DELIVERED).deliveryStarted(T1).changed());
    assertEquals(DELIVERED, at(DELIVERED).drinkReady(T1).after().status());
  }

  @Test
  void deliveryNeedsAPaidOrder() {
    assertThrows(IllegalTransitionException.class, () -> at(PAYMENT_PENDING).deliveryStarted(T1));
    assertThrows(IllegalTransitionException.class, () -> at(REJECTED).deliveryCompleted(T1));
    assertThrows(IllegalTransitionException.class, () -> at(CANCELLED).deliveryCompleted(T1));
  }

  /** The saga reads two topics: under lag the delivery's events can arrive before even DrinkQueued. */
  @Test
  void aDeliveryEventOvertakingEveryDrinkEventStillMovesTheOrderOn() {
    assertEquals(DELIVERING, at(PAID).deliveryStarted(T1).after().status());
    Order delivered = at(PAID).deliveryCompleted(T1).after();
    assertEquals(DELIVERED, delivered.status());
    assertFalse(delivered.drinkQueued(T1).changed(), "a late DrinkQueued changes nothing");
  }

  @Test
  void aDeliveryEventOvertakingDrinkReadyStillMovesTheOrderOn() {
    Order delivering = at(BREWING).deliveryStarted(T1).after();
    assertEquals(DELIVERING, delivering.status());
    // The late DrinkReady is old news: absorbed without a change, never a step back.
    assertFalse(delivering.drinkReady(T1).changed());
    assertEquals(DELIVERING, delivering.drinkReady(T1).after().status());
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"PAID", "QUEUED", "BREWING", "READY"})
  void aPaidOrderNotYetOnItsWayMayAskToCancel(OrderStatus from) {
    Transition t = at(from).requestCancel(T1);
    assertEquals(CANCEL_REQUESTED, t.after().status());
    assertEquals(from, t.after().statusBeforeCancel());
    OrderCancelRequested e = assertInstanceOf(OrderCancelRequested.class, t.events().get(0));
    assertEquals(from, e.previousStatus());
  }

  @ParameterizedTest
  @EnumSource(value = OrderStatus.class, names = {"DELIVERING", "DELIVERED", "CANCELLED", "REJECTED", "CANCEL_REQUESTED"})
  void cancellingTooLateOrTwiceIsRefused(OrderStatus from) {
    IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> at(from).requestCancel(T1));
    assertEquals(from, e.status());
  }

  @Test
  void anOrderStillWaitingForPaymentIsCancelledAtOnce() {
    Transition t = placed().requestCancel(T1);
    assertEquals(CANCELLED, t.after().status());
    assertEquals(CancelReason.CUSTOMER, t.after().cancelReason());
    OrderCancelled e = assertInstanceOf(OrderCancelled.class, t.events().get(0));
    assertEquals(CancelReason.CUSTOMER, e.reason());
    // Payment's approval arriving after that leaves it cancelled (payment refunds on OrderCancelled).
    assertFalse(t.after().paymentApproved(T1).changed());
    assertFalse(t.after().paymentDeclined(T1).changed());
  }

  @Test
  void drinkCancelledEndsARequestedCancellation() {
    Transition t = at(CANCEL_REQUESTED).drinkCancelled(T1);
    assertEquals(CANCELLED, t.after().status());
    assertEquals(CancelReason.CUSTOMER, t.after().cancelReason());
    assertNull(t.after().statusBeforeCancel());
    assertInstanceOf(OrderCancelled.class, t.events().get(0));
    assertThrows(IllegalTransitionException.class, () -> at(QUEUED).drinkCancelled(T1));
    assertThrows(IllegalTransitionException.class, () -> t.after().drinkCancelled(T1));
  }

  @Test
  void aRefusedCancellationReturnsToTheStatusTheBaristaReports() {
    Order requested = at(QUEUED).requestCancel(T1).after();
    Transition t = requested.drinkCancelRejected(BREWING, T1);
    assertEquals(BREWING, t.after().status());
    assertNull(t.after().statusBeforeCancel());
    assertTrue(t.events().isEmpty());
    assertEquals(READY, at(READY).requestCancel(T1).after().drinkCancelRejected(null, T1).after().status());
    assertThrows(IllegalTransitionException.class, () -> at(BREWING).drinkCancelRejected(BREWING, T1));
  }

  @Test
  void workGoingOnWhileACancellationIsPendingIsRemembered() {
    Order requested = at(QUEUED).requestCancel(T1).after();
    Order started = requested.drinkStarted(T1).after();
    assertEquals(CANCEL_REQUESTED, started.status());
    assertEquals(BREWING, started.statusBeforeCancel());
    Order ready = started.drinkReady(T1).after();
    assertEquals(READY, ready.statusBeforeCancel());
    // The barista's refusal says BREWING (it was when it decided), but the order is READY by now.
    assertEquals(READY, ready.drinkCancelRejected(BREWING, T1).after().status());
    // And a rider may pick it up before the refusal arrives.
    Order pickedUp = ready.deliveryStarted(T1).after();
    assertEquals(CANCEL_REQUESTED, pickedUp.status());
    assertEquals(DELIVERING, pickedUp.drinkCancelRejected(READY, T1).after().status());
    assertThrows(IllegalTransitionException.class, () -> requested.drinkReady(T1));
  }

  @Test
  void outOfStockCancelsAPaidOrderForThatReason() {
    Transition t = at(PAID).outOfStock(List.of("croissant"), T1);
    assertEquals(CANCELLED, t.after().status());
    assertEquals(CancelReason.OUT_OF_STOCK, t.after().cancelReason());
    OrderCancelled e = assertInstanceOf(OrderCancelled.class, t.events().get(0));
    assertEquals(CancelReason.OUT_OF_STOCK, e.reason());
    assertEquals(List.of("croissant"), e.missing(), "the cancellation names what ran out");
    Order requestedWhilePaid = at(PAID).requestCancel(T1).after();
    assertEquals(CancelReason.OUT_OF_STOCK, requestedWhilePaid.outOfStock(List.of(), T1).after().cancelReason());
    assertThrows(IllegalTransitionException.class, () -> at(QUEUED).outOfStock(List.of(), T1));
    assertThrows(IllegalTransitionException.class, () -> at(CANCELLED).outOfStock(List.of(), T1));
  }

  @Test
  void movesNeverChangeTheOrderTheyStartFrom() {
    Order paid = at(PAID);
    Order copy = new Order(paid.id(), paid.customerId(), paid.status(), paid.statusBeforeCancel(),
        paid.cancelReason(), paid.lines(), paid.total(), paid.address(), paid.createdAt(), paid.updatedAt());
    paid.drinkQueued(T1);
    paid.requestCancel(T1);
    assertEquals(copy, paid);
  }
}
