package cafe.barista.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.barista.domain.BaristaEvent.DrinkCancelRejected;
import cafe.barista.domain.BaristaEvent.DrinkCancelled;
import cafe.barista.domain.BaristaEvent.DrinkQueued;
import cafe.barista.domain.BaristaEvent.DrinkReady;
import cafe.barista.domain.BaristaEvent.DrinkStarted;
import cafe.barista.domain.BaristaEvent.OutOfStock;
import cafe.barista.domain.Ticket.Move;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TicketTest {
  private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
  private static final PlacedOrder ORDER = new PlacedOrder("o1", "alice",
      List.of(new TicketLine("latte", "Latte", 2), new TicketLine("croissant", "Croissant", 1),
          new TicketLine("latte", "Latte", 1)), "12 Bean Street");

  private static Ticket queued() {
    return Ticket.queue(ORDER, T0).ticket();
  }

  @Test
  void aTakenOrderIsQueuedAndAnnouncedWithItsItems() {
    Move move = Ticket.queue(ORDER, T0);
    assertEquals(TicketStatus.QUEUED, move.ticket().status());
    assertEquals(new DrinkQueued(ORDER.items()), move.event());
    assertEquals("DrinkQueued", move.event().type());
    assertEquals(T0, move.ticket().createdAt());
  }

  @Test
  void aRefusedOrderNamesWhatIsMissing() {
    Move move = Ticket.refuse(ORDER, List.of("croissant"), T0);
    assertEquals(TicketStatus.OUT_OF_STOCK, move.ticket().status());
    assertEquals(new OutOfStock(List.of("croissant")), move.event());
    assertThrows(IllegalArgumentException.class, () -> Ticket.refuse(ORDER, List.of(), T0));
  }

  @Test
  void aDrinkGoesQueuedThenBrewingThenReady() {
    Instant t1 = T0.plusSeconds(5);
    Move started = queued().start(t1);
    assertEquals(TicketStatus.BREWING, started.ticket().status());
    assertEquals(new DrinkStarted(), started.event());
    assertEquals(t1, started.ticket().startedAt());

    Move ready = started.ticket().complete(T0.plusSeconds(60));
    assertEquals(TicketStatus.READY, ready.ticket().status());
    assertEquals(new DrinkReady("12 Bean Street"), ready.event());
    assertEquals(t1, ready.ticket().startedAt());
    assertEquals(T0.plusSeconds(60), ready.ticket().updatedAt());
  }

  @Test
  void completingBeforeStartingIsRefused() {
    IllegalMoveException e = assertThrows(IllegalMoveException.class, () -> queued().complete(T0));
    assertEquals(TicketStatus.QUEUED, e.status());
    assertTrue(e.getMessage().contains("start it first"));
  }

  @Test
  void startingTwiceOrAfterReadyIsRefused() {
    Ticket brewing = queued().start(T0).ticket();
    assertThrows(IllegalMoveException.class, () -> brewing.start(T0));
    Ticket ready = brewing.complete(T0).ticket();
    assertThrows(IllegalMoveException.class, () -> ready.start(T0));
    assertThrows(IllegalMoveException.class, () -> ready.complete(T0));
  }

  @Test
  void cancelledAndRefusedTicketsCannotBeBrewed() {
    Ticket cancelled = queued().cancel(T0).orElseThrow().ticket();
    assertThrows(IllegalMoveException.class, () -> cancelled.start(T0));
    assertThrows(IllegalMoveException.class, () -> cancelled.complete(T0));
    Ticket refused = Ticket.refuse(ORDER, List.of("latte"), T0).ticket();
    assertThrows(IllegalMoveException.class, () -> refused.start(T0));
  }

  @Test
  void aQueuedDrinkIsCancelled() {
    Move move = queued().cancel(T0.plusSeconds(1)).orElseThrow();
    assertEquals(TicketStatus.CANCELLED, move.ticket().status());
    assertEquals(new DrinkCancelled(), move.event());
  }

  @Test
  void aDrinkBeingBrewedOrReadyIsNotCancelled() {
    Ticket brewing = queued().start(T0).ticket();
    Move refused = brewing.cancel(T0).orElseThrow();
    assertEquals(brewing, refused.ticket());
    assertEquals(new DrinkCancelRejected(TicketStatus.BREWING), refused.event());
    Ticket ready = brewing.complete(T0).ticket();
    assertEquals(new DrinkCancelRejected(TicketStatus.READY), ready.cancel(T0).orElseThrow().event());
  }

  @Test
  void aCancellationThatFindsNothingToCancelIsNotAnswered() {
    Ticket cancelled = queued().cancel(T0).orElseThrow().ticket();
    assertTrue(cancelled.cancel(T0).isEmpty());
    assertTrue(Ticket.refuse(ORDER, List.of("latte"), T0).ticket().cancel(T0).isEmpty());
  }

  @Test
  void anOrderNeverQueuedIsCancelledAtOnceWithNothingToGiveBack() {
    Move move = Ticket.cancelUnqueued("o9", "bob", T0);
    assertEquals(TicketStatus.CANCELLED, move.ticket().status());
    assertEquals(new DrinkCancelled(), move.event());
    assertTrue(move.ticket().stockTaken().isEmpty());
  }

  @Test
  void theStockATicketTookAddsUpItsLines() {
    assertEquals(Map.of("latte", 3, "croissant", 1), queued().stockTaken());
  }

  @Test
  void aDrinkIsBrewedOnceItsBrewTimeHasPassed() {
    Ticket brewing = queued().start(T0).ticket();
    assertTrue(!brewing.brewedFor(Duration.ofSeconds(3), T0.plusMillis(2999)));
    assertTrue(brewing.brewedFor(Duration.ofSeconds(3), T0.plusSeconds(3)));
    assertTrue(!queued().brewedFor(Duration.ZERO, T0.plusSeconds(10)));
  }

  @Test
  void onlyLiveTicketsAreOnTheBoard() {
    assertTrue(TicketStatus.QUEUED.onTheBoard() && TicketStatus.BREWING.onTheBoard() && TicketStatus.READY.onTheBoard());
    assertTrue(!TicketStatus.CANCELLED.onTheBoard() && !TicketStatus.OUT_OF_STOCK.onTheBoard());
  }
}
