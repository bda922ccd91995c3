package cafe.system;

import static cafe.system.CafeStack.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The barista and the delivery service are down (a rollout, a crash) while customers keep
 * ordering: the orders are paid and wait on Kafka. Started again (new processes, same databases),
 * the two resume from their committed offsets and serve every order, each exactly once.
 */
class CatchUpIT {
  private static final int ORDERS = 100;

  @RegisterExtension
  static final Cafe cafe = Cafe.stack("catchup", 50, 50, Map.of("CAFE_SEED_STOCK", "1000"));

  @Test
  void ordersPlacedWhileBaristaAndDeliveryAreDownAreAllDeliveredOnce() {
    String alice = cafe.newCustomer();
    int lattes = cafe.stock("latte");
    cafe.stack().stop("barista");
    cafe.stack().stop("delivery");

    List<String> ids = new ArrayList<>();
    for (int batch = 0; batch < ORDERS / 10; batch++) {
      List<CompletableFuture<Http.Response>> sent = IntStream.range(0, 10)
          .mapToObj(i -> cafe.orderAsync(alice, "latte", 1)).toList();
      sent.stream().map(CompletableFuture::join).map(Cafe::idOfAccepted).forEach(ids::add);
    }
    assertEquals(ORDERS, Set.copyOf(ids).size());
    Eventually.await(WAIT, "all " + ORDERS + " paid",
        () -> ids.stream().allMatch(id -> "PAID".equals(cafe.status(alice, id))));
    assertEquals(0, cafe.tap().count(ids, "DrinkQueued"), "nobody brewed while the bar was closed");

    cafe.stack().startBarista();
    cafe.stack().startDelivery();

    Eventually.await(WAIT, "all " + ORDERS + " delivered",
        () -> ids.stream().allMatch(id -> "DELIVERED".equals(cafe.status(alice, id))));
    cafe.awaitQuiet();

    Set<String> mine = Set.copyOf(ids);
    Map<String, Long> tickets = cafe.tickets("READY").stream().map(t -> t.getString("orderId"))
        .filter(mine::contains).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertEquals(mine, tickets.keySet(), "every order has its ticket on the board");
    assertTrue(tickets.values().stream().allMatch(n -> n == 1), "one ticket each: " + tickets);
    Map<String, Long> deliveries = cafe.deliveries("DELIVERED").stream().map(d -> d.getString("orderId"))
        .filter(mine::contains).collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertEquals(mine, deliveries.keySet(), "every order was delivered");
    assertTrue(deliveries.values().stream().allMatch(n -> n == 1), "one delivery each: " + deliveries);
    for (String type : List.of("DrinkQueued", "DrinkReady", "DeliveryStarted", "DeliveryCompleted")) {
      for (String id : ids) {
        assertEquals(1, cafe.tap().events(id, type).size(), type + " of " + id);
      }
    }
    assertEquals(lattes - ORDERS, cafe.stock("latte"), "one latte taken per order, no more");
    JsonObject payment = cafe.payment(ids.get(0));
    assertEquals("APPROVED", payment.getString("status"));
  }
}
