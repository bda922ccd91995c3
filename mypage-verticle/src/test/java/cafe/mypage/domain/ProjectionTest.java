package cafe.mypage.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectionTest {

  @Test
  void aSingleItemIsCalledByItsNameAndAnythingBiggerIsAnOrder() {
    assertEquals("latte", Projection.what(List.of(new Item("latte", "Latte", 1, 5000L))));
    assertEquals("vanilla latte", Projection.what(List.of(new Item("vanilla-latte", null, 1, null))));
    assertEquals("order", Projection.what(List.of(new Item("latte", "Latte", 2, 5000L))));
    assertEquals("order", Projection.what(List.of(new Item("latte", "Latte", 1, 5000L),
        new Item("croissant", "Croissant", 1, 3500L))));
    assertNull(Projection.what(List.of()));
  }

  @Test
  void theCustomerIsToldWhatRanOut() {
    assertEquals("We're out of croissant, so your order was cancelled and refunded",
        Projection.outOfStock(List.of("croissant")).message());
    assertEquals("We're out of croissant, green tea and vanilla latte, so your order was cancelled and refunded",
        Projection.outOfStock(List.of("croissant", "green-tea", "vanilla-latte")).message());
    assertEquals("We're out of something you ordered, so your order was cancelled and refunded",
        Projection.outOfStock(List.of()).message());
    // The order's own cancellation may arrive first; it names the items too.
    assertEquals("We're out of croissant, so your order was cancelled and refunded",
        Projection.orderCancelled("OUT_OF_STOCK", 5000L, List.of("croissant")).message());
    assertEquals("We're out of something you ordered, so your order was cancelled and refunded",
        Projection.orderCancelled("OUT_OF_STOCK", 5000L, List.of()).message());
  }

  @Test
  void moneyIsShownInWon() {
    assertEquals("Your payment of \u20a912,500 was approved", Projection.paymentApproved(12_500L).message());
    assertEquals("Your payment was approved", Projection.paymentApproved(null).message());
    assertEquals("Your payment of \u20a94,500 was refunded to your card", Projection.paymentRefunded(4500L).message());
  }

  @Test
  void aRefusalAlwaysTellsWhyAndNamesWhereTheDrinkIs() {
    Change brewing = Projection.drinkCancelRejected(OrderStatus.BREWING);
    assertTrue(brewing.alwaysNotify());
    assertEquals(OrderStatus.BREWING, brewing.status());
    assertEquals(Drink.BREWING, brewing.drink());
    assertEquals("Sorry, we couldn't cancel: your {what} is already being made", brewing.message());
    Change ready = Projection.drinkCancelRejected(OrderStatus.READY);
    assertEquals(OrderStatus.READY, ready.status());
    assertEquals("Sorry, we couldn't cancel: your {what} is already made", ready.message());
  }

  @Test
  void aCancelRequestRemembersWhereTheOrderStood() {
    assertEquals(OrderStatus.QUEUED, Projection.orderCancelRequested(OrderStatus.QUEUED).status());
    assertEquals(OrderStatus.PAID, Projection.orderCancelRequested(null).status());
    assertEquals(Effect.CANCEL_REQUEST, Projection.orderCancelRequested(OrderStatus.BREWING).effect());
  }

  @Test
  void onlyTheOrderServiceSpeaksFirsthandOfTheOrder() {
    assertTrue(Projection.orderPlaced(List.of(new Item("latte", "Latte", 1, 5000L)), 5000L).facts().firsthand());
    assertTrue(Projection.orderCancelled("CUSTOMER", 5000L, List.of()).facts().firsthand());
    assertFalse(Projection.paymentApproved(5000L).facts().firsthand());
    assertFalse(Projection.drinkQueued(List.of(new Item("latte", null, 1, null))).facts().firsthand());
    assertEquals("OUT_OF_STOCK", Projection.outOfStock(List.of("croissant")).facts().cancelReason());
  }

  @Test
  void theHappyPathRanksInOrderAndCancellingStopsAtTheDoor() {
    OrderStatus[] path = {OrderStatus.PAID, OrderStatus.QUEUED, OrderStatus.BREWING, OrderStatus.READY,
        OrderStatus.DELIVERING, OrderStatus.DELIVERED};
    for (int i = 1; i < path.length; i++) {
      assertTrue(path[i].rank() > path[i - 1].rank(), path[i].name());
    }
    assertTrue(OrderStatus.READY.cancellable());
    assertFalse(OrderStatus.DELIVERING.cancellable());
    assertTrue(OrderStatus.CANCELLED.terminal() && OrderStatus.REJECTED.terminal());
    assertTrue(Payment.REFUNDED.rank() > Payment.APPROVED.rank());
    assertTrue(Drink.CANCELLED.rank() > Drink.QUEUED.rank());
  }
}
