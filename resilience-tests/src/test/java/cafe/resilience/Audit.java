package cafe.resilience;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Checks that orders ended as they should, and once: through the services' own APIs as admin (order,
 * payment, mypage's read model), called directly as another service in the cluster would (the gateway
 * lets only customers read orders and views), and through what was written to Kafka.
 */
final class Audit {
  private static final Logger LOG = Logger.getLogger(Audit.class.getName());
  private static final int SHOWN = 25;

  /** How an order must end: paid and delivered, or rejected because its card was declined. */
  enum End { DELIVERED, REJECTED }

  private static final Set<String> TERMINAL = Set.of("DELIVERED", "REJECTED", "CANCELLED");

  private final CafeClient order;
  private final CafeClient payment;
  private final CafeClient mypage;
  private final String admin;
  private final EventLedger ledger;

  Audit(CafeClient order, CafeClient payment, CafeClient mypage, String adminToken, EventLedger ledger) {
    this.order = order;
    this.payment = payment;
    this.mypage = mypage;
    this.admin = adminToken;
    this.ledger = ledger;
  }

  /** The end each order of the run must reach, from the card it was paid with. */
  static Map<String, End> expectedEnds(LoadDriver load) {
    Map<String, End> ends = new HashMap<>();
    load.accepted().forEach((id, call) -> ends.put(id, call.declinedCard() ? End.REJECTED : End.DELIVERED));
    load.declined().forEach((id, call) -> ends.put(id, End.REJECTED));
    return ends;
  }

  /**
   * Waits until order's API shows every order at its end. Fails naming the orders that are missing
   * (404: lost), stuck, or ended otherwise.
   */
  void awaitOrdersEnded(Map<String, End> orders, Duration timeout) {
    Set<String> pending = new HashSet<>(orders.keySet());
    Map<String, String> lastSeen = new HashMap<>();
    Map<String, String> wrongEnd = new TreeMap<>();
    long began = System.nanoTime();
    try {
      Eventually.await(timeout, Duration.ofMillis(500), "orders ended", () -> {
        List<String> paths = pending.stream().map(id -> "/orders/" + id).toList();
        order.getAll(paths, admin, 8).forEach((path, answer) -> {
          String id = path.substring("/orders/".length());
          String status = answer.ok() ? answer.json().getString("status") : "HTTP " + answer.status() + answer.error();
          lastSeen.put(id, status);
          if (status.equals(orders.get(id).name())) {
            pending.remove(id);
          } else if (TERMINAL.contains(status)) {
            wrongEnd.put(id, status + " (expected " + orders.get(id) + ")");
            pending.remove(id);
          }
        });
        return pending.isEmpty();
      });
    } catch (AssertionError e) {
      Map<String, Long> stuck = pending.stream().collect(Collectors.groupingBy(
          id -> lastSeen.getOrDefault(id, "?"), TreeMap::new, Collectors.counting()));
      throw new AssertionError(pending.size() + " of " + orders.size() + " orders did not reach their end within "
          + timeout.toSeconds() + " s; last seen: " + stuck + "; e.g. " + sample(pending, lastSeen), e);
    }
    LOG.info(orders.size() + " orders at their end in order's API after "
        + (System.nanoTime() - began) / 1_000_000 + " ms");
    if (!wrongEnd.isEmpty()) {
      throw new AssertionError(wrongEnd.size() + " orders ended otherwise than they should: " + first(wrongEnd));
    }
  }

  /**
   * Waits until payment's API, mypage's read model and the topics agree with every order's end: one
   * approved payment and one delivery per delivered order, a declined payment and nothing else for a
   * rejected one, no refund, no dead letter; and across every order in the topics, nothing charged or
   * delivered twice.
   */
  void awaitConsistent(Map<String, End> orders, Duration timeout) {
    Set<String> paymentsOk = new HashSet<>();
    Set<String> viewsOk = new HashSet<>();
    List<String> problems = new ArrayList<>();
    long began = System.nanoTime();
    try {
      Eventually.await(timeout, Duration.ofMillis(500), "services and topics agree", () -> {
        problems.clear();
        checkPayments(orders, paymentsOk, problems);
        checkViews(orders, viewsOk, problems);
        ledger.catchUp();
        checkTopics(orders, problems);
        return problems.isEmpty();
      });
    } catch (AssertionError e) {
      throw new AssertionError(problems.size() + " problems after " + timeout.toSeconds() + " s: "
          + String.join("\n  ", problems.subList(0, Math.min(SHOWN, problems.size()))), e);
    }
    int republished = ledger.trails().values().stream().mapToInt(EventLedger.Trail::republished).sum();
    LOG.info(orders.size() + " orders agree across payment, mypage and the topics after "
        + (System.nanoTime() - began) / 1_000_000 + " ms (" + republished
        + " events were published more than once under the same id, which consumers de-duplicate)");
  }

  private void checkPayments(Map<String, End> orders, Set<String> ok, List<String> problems) {
    List<String> paths = orders.keySet().stream().filter(id -> !ok.contains(id)).map(id -> "/payments/" + id).toList();
    payment.getAll(paths, admin, 8).forEach((path, answer) -> {
      String id = path.substring("/payments/".length());
      String expected = orders.get(id) == End.DELIVERED ? "APPROVED" : "DECLINED";
      String status = answer.ok() ? answer.json().getString("status") : "HTTP " + answer.status() + answer.error();
      if (expected.equals(status)) {
        ok.add(id);
      } else {
        problems.add("payment of " + orders.get(id) + " order " + id + " is " + status + ", expected " + expected);
      }
    });
  }

  private void checkViews(Map<String, End> orders, Set<String> ok, List<String> problems) {
    List<String> paths = orders.keySet().stream().filter(id -> !ok.contains(id)).map(id -> "/mypage/orders/" + id)
        .toList();
    mypage.getAll(paths, admin, 8).forEach((path, answer) -> {
      String id = path.substring("/mypage/orders/".length());
      End end = orders.get(id);
      if (!answer.ok()) {
        problems.add("mypage has no view of " + end + " order " + id + ": HTTP " + answer.status() + answer.error());
        return;
      }
      JsonObject view = answer.json();
      long completed = timelineCount(view.getJsonArray("timeline"), "DeliveryCompleted");
      long expectedCompleted = end == End.DELIVERED ? 1 : 0;
      if (end.name().equals(view.getString("status")) && completed == expectedCompleted) {
        ok.add(id);
      } else {
        problems.add("mypage shows " + end + " order " + id + " as " + view.getString("status") + " with "
            + completed + " DeliveryCompleted in its timeline");
      }
    });
  }

  private void checkTopics(Map<String, End> orders, List<String> problems) {
    Map<String, List<String>> deadLetters = ledger.deadLetters();
    orders.forEach((id, end) -> {
      EventLedger.Trail trail = ledger.trail(id);
      boolean delivered = end == End.DELIVERED;
      expect(problems, id, end, trail, "OrderPlaced", delivered ? 1 : 0);
      expect(problems, id, end, trail, "PaymentApproved", delivered ? 1 : 0);
      expect(problems, id, end, trail, "PaymentDeclined", delivered ? 0 : 1);
      expect(problems, id, end, trail, "PaymentRefunded", 0);
      expect(problems, id, end, trail, "DrinkReady", delivered ? 1 : 0);
      expect(problems, id, end, trail, "DeliveryCompleted", delivered ? 1 : 0);
      expect(problems, id, end, trail, "OrderCancelled", 0);
      if (deadLetters.containsKey(id)) {
        problems.add(end + " order " + id + " has events on a dead-letter topic: " + deadLetters.get(id));
      }
    });
    // Every order in the topics, accepted by a client or not (a 504 may still have placed one).
    ledger.trails().forEach((id, trail) -> {
      for (String type : List.of("OrderPlaced", "PaymentApproved", "PaymentDeclined", "PaymentRefunded",
          "DeliveryCompleted")) {
        if (trail.count(type) > 1) {
          problems.add("order " + id + " has " + trail.count(type) + " distinct " + type + " events");
        }
      }
      if (trail.count("PaymentApproved") > 0 && trail.count("PaymentDeclined") > 0) {
        problems.add("order " + id + " was both approved and declined");
      }
    });
    ledger.unreadable().forEach(record -> problems.add("unreadable event " + record));
  }

  private static void expect(List<String> problems, String id, End end, EventLedger.Trail trail, String type,
                             int expected) {
    int seen = trail.count(type);
    if (seen != expected) {
      problems.add(end + " order " + id + ": " + seen + " " + type + " in the topics, expected " + expected
          + " (seen: " + trail.types() + ")");
    }
  }

  private static long timelineCount(JsonArray timeline, String event) {
    if (timeline == null) {
      return 0;
    }
    return timeline.stream().filter(e -> e instanceof JsonObject entry && event.equals(entry.getString("event")))
        .count();
  }

  private static String sample(Set<String> ids, Map<String, String> lastSeen) {
    return ids.stream().limit(5).map(id -> id + "=" + lastSeen.getOrDefault(id, "?"))
        .collect(Collectors.joining(", "));
  }

  private static String first(Map<String, String> map) {
    return map.entrySet().stream().limit(SHOWN).map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
