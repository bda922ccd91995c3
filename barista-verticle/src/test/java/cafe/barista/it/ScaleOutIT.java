package cafe.barista.it;

import static cafe.barista.it.Bar.newOrderId;
import static cafe.barista.it.Bar.orderPlaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.testkit.Eventually;
import cafe.testkit.KafkaTap;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Two barista instances in one consumer group, on one database: shared work, no double effects. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static Bar one;
  private static Bar two;
  private static KafkaTap tap;

  @BeforeAll
  static void start() {
    one = Bar.start("barista_scale", Map.of());
    two = Bar.start("barista_scale", Map.of());
    tap = KafkaTap.open(Bar.infra().kafkaBootstrap(), Topics.BARISTA);
    tap.awaitMembers("barista", 2, WAIT);
    tap.awaitCaughtUp("barista", Topics.ORDERS, WAIT);
  }

  @AfterAll
  static void stop() {
    if (tap != null) {
      tap.close();
    }
    for (Bar bar : new Bar[] {one, two}) {
      if (bar != null) {
        bar.close();
      }
    }
  }

  @Test
  @Order(1)
  void theLastTenCroissantsGoToExactlyTenOrders() {
    one.setStock("croissant", 10);
    Set<String> orders = publishOrders(50, "croissant");

    awaitOneAnswerEach(orders);
    assertEquals(10, tap.count(orders, "DrinkQueued"));
    assertEquals(40, tap.count(orders, "OutOfStock"));
    assertEquals(0, one.stock("croissant"));
    assertEquals(0, two.stock("croissant"));
  }

  @Test
  @Order(2)
  void everyOrderGetsExactlyOneTicketAndBothInstancesShareTheWork() {
    one.setStock("latte", 1000);
    double handledByOne = handled(one);
    double handledByTwo = handled(two);
    Set<String> orders = publishOrders(40, "latte");

    awaitOneAnswerEach(orders);
    assertEquals(40, tap.count(orders, "DrinkQueued"));
    assertEquals(960, one.stock("latte"));
    for (String orderId : orders) {
      assertEquals(200, two.ticket(orderId).status());
    }
    assertTrue(handled(one) > handledByOne && handled(two) > handledByTwo,
        "both instances handled orders: " + (handled(one) - handledByOne) + " and " + (handled(two) - handledByTwo));
  }

  @Test
  @Order(3)
  void anInstanceLeavingMidStreamNeitherLosesNorDoublesAnOrder() {
    one.setStock("americano", 1000);
    Set<String> orders = publishOrders(40, "americano");
    two.close();
    two = null;

    awaitOneAnswerEach(orders);
    assertEquals(40, tap.count(orders, "DrinkQueued"));
    assertEquals(960, one.stock("americano"));
  }

  private static Set<String> publishOrders(int count, String item) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String orderId = newOrderId();
      ids.add(orderId);
      tap.publish(Topics.ORDERS, orderPlaced(orderId, item, 1));
    }
    return new HashSet<>(ids);
  }

  /** Every order answered, and no order answered twice (an answer is DrinkQueued or OutOfStock). */
  private static void awaitOneAnswerEach(Set<String> orders) {
    Eventually.await(WAIT, "an answer for each of " + orders.size() + " orders",
        () -> orders.stream().allMatch(id -> answers(id).size() >= 1));
    for (String orderId : orders) {
      assertEquals(1, answers(orderId).size(), "answers for " + orderId + ": " + answers(orderId));
    }
  }

  private static List<Event> answers(String orderId) {
    return tap.events(orderId).stream()
        .filter(e -> e.type().equals("DrinkQueued") || e.type().equals("OutOfStock"))
        .toList();
  }

  private static double handled(Bar bar) {
    Counter counter = bar.runtime.metrics().find("cafe_events_handled").tag("group", "barista").counter();
    return counter == null ? 0 : counter.count();
  }
}
