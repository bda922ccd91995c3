package cafe.system;

import static cafe.system.CafeStack.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cafe.common.events.Event;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline's own latency, measured and reported, never asserted: from POST /orders to the order
 * showing DELIVERED, with barista and rider taking no time to speak of (1 ms: 0 would mean "by
 * hand"). Orders go one at a time, so each measures the hops, not a queue. The figures go to the
 * log and to target/latency.txt.
 */
class LatencyIT {
  private static final Logger LOG = Logger.getLogger(LatencyIT.class.getName());
  private static final int WARM_UP = 5;
  private static final int ORDERS = 50;
  /** The hops, each from the event (or moment) before it. */
  private static final List<String> HOPS = List.of("PaymentApproved", "OrderPlaced", "DrinkQueued", "DrinkStarted",
      "DrinkReady", "DeliveryWaiting", "DeliveryStarted", "DeliveryCompleted");

  @RegisterExtension
  static final Cafe cafe = Cafe.stack("latency", 1, 1, Map.of("CAFE_SEED_STOCK", "1000"));

  @Test
  void measuresPostToDelivered() throws IOException {
    String alice = cafe.newCustomer();
    for (int i = 0; i < WARM_UP; i++) {
      cafe.awaitStatus(alice, cafe.paidOrder(alice, "latte", 1), "DELIVERED");
    }

    List<Long> total = new ArrayList<>();
    Map<String, List<Long>> hops = new LinkedHashMap<>();
    HOPS.forEach(h -> hops.put(h, new ArrayList<>()));
    hops.put("order DELIVERED", new ArrayList<>());
    for (int i = 0; i < ORDERS; i++) {
      Instant posted = Instant.now();
      String id = cafe.paidOrder(alice, "latte", 1);
      JsonObject delivered = cafe.awaitStatus(alice, id, "DELIVERED");
      // The order's own clock says when it became DELIVERED; the poll's interval adds nothing.
      Instant done = Instant.parse(delivered.getString("updatedAt"));
      total.add(Duration.between(posted, done).toMillis());
      Instant before = posted;
      for (String type : HOPS) {
        Event event = cafe.tap().awaitEvent(id, type, WAIT);
        hops.get(type).add(Duration.between(before, event.time()).toMillis());
        before = event.time();
      }
      hops.get("order DELIVERED").add(Duration.between(before, done).toMillis());
    }

    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "POST /orders -> DELIVERED over %d sequential orders (auto brew and deliver 1 ms): "
            + "median %d ms, p90 %d ms, max %d ms%n",
        ORDERS, percentile(total, 50), percentile(total, 90), percentile(total, 100)));
    report.append("hop medians (from the step before, by the events' own times):\n");
    hops.forEach((hop, millis) -> report.append(String.format(Locale.ROOT, "  %-18s %5d ms  (p90 %d)%n",
        hop, percentile(millis, 50), percentile(millis, 90))));
    LOG.info(report.toString());
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "latency.txt"), report.toString());
    assertEquals(ORDERS, total.size());
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
