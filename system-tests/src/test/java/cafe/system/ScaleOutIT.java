package cafe.system;

import static cafe.system.CafeStack.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.barista.events.OrderEvents;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.RunningService;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two barista instances share the orders topic in one consumer group: every order is brewed once. */
class ScaleOutIT {
  private static final int ORDERS = 40;

  @RegisterExtension
  static final Cafe cafe = Cafe.stack("scaleout", 50, 50);
  private static RunningService second;

  @BeforeAll
  static void secondBarista() {
    second = cafe.stack().addBarista();
    cafe.tap().awaitMembers(OrderEvents.GROUP, 2, WAIT);
  }

  @Test
  void twoBaristasServeEveryOrderExactlyOnce() {
    String alice = cafe.newCustomer();
    int americanos = cafe.stock("americano");
    double firstBefore = handled(cafe.stack().service("barista"));
    double secondBefore = handled(second);

    List<CompletableFuture<Http.Response>> sent = IntStream.range(0, ORDERS)
        .mapToObj(i -> cafe.orderAsync(alice, "americano", 1)).toList();
    List<String> ids = sent.stream().map(CompletableFuture::join).map(Cafe::idOfAccepted).toList();

    Eventually.await(WAIT, "all " + ORDERS + " delivered",
        () -> ids.stream().allMatch(id -> "DELIVERED".equals(cafe.status(alice, id))));
    cafe.awaitQuiet();

    for (String id : ids) {
      assertEquals(1, cafe.tap().events(id, "DrinkQueued").size(), "one ticket for " + id);
      assertEquals(1, cafe.tap().events(id, "DrinkReady").size(), "one drink for " + id);
    }
    Set<String> mine = Set.copyOf(ids);
    assertEquals(ORDERS, cafe.tickets("READY").stream().filter(t -> mine.contains(t.getString("orderId"))).count());
    assertEquals(americanos - ORDERS, cafe.stock("americano"));
    assertTrue(handled(cafe.stack().service("barista")) > firstBefore, "the first barista took its share");
    assertTrue(handled(second) > secondBefore, "the second barista took its share");
  }

  /** Events this instance's barista consumer has handled so far. */
  private static double handled(RunningService barista) {
    Counter counter = barista.runtime().metrics().find("cafe_events_handled").tag("group", OrderEvents.GROUP).counter();
    return counter == null ? 0 : counter.count();
  }
}
