package cafe.barista.it;

import static cafe.barista.it.Bar.newOrderId;
import static cafe.barista.it.Bar.orderPlaced;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cafe.common.events.Topics;
import cafe.testkit.Eventually;
import cafe.testkit.KafkaTap;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A barista that was down takes the orders it missed, each exactly once. */
class CatchUpIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static KafkaTap tap;
  private static Bar bar;

  @BeforeAll
  static void start() {
    tap = KafkaTap.open(Bar.infra().kafkaBootstrap(), Topics.BARISTA);
  }

  @AfterAll
  static void stop() {
    tap.close();
    if (bar != null) {
      bar.close();
    }
  }

  @Test
  void ordersPlacedWhileTheBarWasDownAreAllQueuedOnceWhenItIsBack() {
    Bar before = Bar.start("barista_catchup", Map.of());
    tap.awaitCaughtUp("barista", Topics.ORDERS, WAIT);
    before.setStock("cappuccino", 500);
    before.close();

    Set<String> orders = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      String orderId = newOrderId();
      orders.add(orderId);
      tap.publish(Topics.ORDERS, orderPlaced(orderId, "cappuccino", 2));
    }

    bar = Bar.start("barista_catchup", Map.of());
    Eventually.await(WAIT, "a queued drink for each missed order",
        () -> orders.stream().allMatch(id -> !tap.events(id, "DrinkQueued").isEmpty()));
    tap.awaitCaughtUp("barista", Topics.ORDERS, WAIT);
    for (String orderId : orders) {
      assertEquals(1, tap.events(orderId, "DrinkQueued").size(), orderId);
      assertEquals("QUEUED", bar.ticket(orderId).json().getString("status"));
    }
    assertEquals(450, bar.stock("cappuccino"));
  }
}
