package cafe.delivery.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.delivery.domain.Delivery.Move;
import cafe.delivery.domain.DeliveryEvent.DeliveryCancelled;
import cafe.delivery.domain.DeliveryEvent.DeliveryCompleted;
import cafe.delivery.domain.DeliveryEvent.DeliveryStarted;
import cafe.delivery.domain.DeliveryEvent.DeliveryWaiting;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryTest {
  private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

  private static Delivery waiting() {
    return Delivery.await("o1", "alice", "7 Crema Lane", T0).delivery();
  }

  @Test
  void aReadyDrinkWaitsForARiderAtItsAddress() {
    Move move = Delivery.await("o1", "alice", "7 Crema Lane", T0);
    assertEquals(DeliveryStatus.WAITING, move.delivery().status());
    assertEquals(new DeliveryWaiting("7 Crema Lane"), move.event());
    assertEquals("DeliveryWaiting", move.event().type());
  }

  @Test
  void aDeliveryIsPickedUpThenDelivered() {
    Move picked = waiting().pickUp("rider-1", T0.plusSeconds(10));
    assertEquals(DeliveryStatus.DELIVERING, picked.delivery().status());
    assertEquals("rider-1", picked.delivery().rider());
    assertEquals(T0.plusSeconds(10), picked.delivery().pickedUpAt());
    assertEquals(new DeliveryStarted("rider-1"), picked.event());

    Move done = picked.delivery().complete(T0.plusSeconds(600));
    assertEquals(DeliveryStatus.DELIVERED, done.delivery().status());
    assertEquals(new DeliveryCompleted(), done.event());
    assertEquals("rider-1", done.delivery().rider());
  }

  @Test
  void completingBeforePickupIsRefused() {
    IllegalMoveException e = assertThrows(IllegalMoveException.class, () -> waiting().complete(T0));
    assertEquals(DeliveryStatus.WAITING, e.status());
    assertTrue(e.getMessage().contains("pick it up first"));
  }

  @Test
  void pickingUpTwiceOrAfterTheEndIsRefused() {
    Delivery delivering = waiting().pickUp("rider-1", T0).delivery();
    IllegalMoveException twice = assertThrows(IllegalMoveException.class, () -> delivering.pickUp("rider-2", T0));
    assertTrue(twice.getMessage().contains("rider-1"));
    Delivery delivered = delivering.complete(T0).delivery();
    assertThrows(IllegalMoveException.class, () -> delivered.pickUp("rider-2", T0));
    assertThrows(IllegalMoveException.class, () -> delivered.complete(T0));
    Delivery cancelled = waiting().cancel(T0).orElseThrow().delivery();
    assertThrows(IllegalMoveException.class, () -> cancelled.pickUp("rider-1", T0));
    assertThrows(IllegalMoveException.class, () -> cancelled.complete(T0));
  }

  @Test
  void onlyAWaitingDeliveryIsCancelled() {
    Move cancelled = waiting().cancel(T0).orElseThrow();
    assertEquals(DeliveryStatus.CANCELLED, cancelled.delivery().status());
    assertEquals(new DeliveryCancelled(), cancelled.event());
    Delivery delivering = waiting().pickUp("rider-1", T0).delivery();
    assertTrue(delivering.cancel(T0).isEmpty());
    assertTrue(delivering.complete(T0).delivery().cancel(T0).isEmpty());
    assertTrue(cancelled.delivery().cancel(T0).isEmpty());
  }

  @Test
  void aPickupNeedsARider() {
    assertThrows(IllegalArgumentException.class, () -> waiting().pickUp(" ", T0));
  }

  @Test
  void aDeliveryIsDoneOnceItsRideTimeHasPassed() {
    Delivery delivering = waiting().pickUp("auto-rider", T0).delivery();
    assertTrue(!delivering.onTheRoadFor(Duration.ofSeconds(2), T0.plusMillis(1999)));
    assertTrue(delivering.onTheRoadFor(Duration.ofSeconds(2), T0.plusSeconds(2)));
    assertTrue(!waiting().onTheRoadFor(Duration.ZERO, T0.plusSeconds(5)));
  }
}
