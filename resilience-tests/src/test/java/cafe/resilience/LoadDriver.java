package cafe.resilience;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Customers placing orders through the gateway: {@code clients} threads, each starting an order at most
 * every {@code pace}, as alice or bob. Every answer is kept: orders accepted (201 paid, 202 payment
 * pending), declined (402, the declined test card), and every failure with its status or error.
 *
 * <p>One order in ten is paid with the card that is always declined, so the saga's REJECTED end is
 * exercised too; every other order carries an {@code Idempotency-Key}, as the web page sends one.
 */
final class LoadDriver {
  static final String GOOD_CARD = "4242424242424242";
  static final String DECLINED_CARD = "4000000000000002";
  private static final List<String> MENU = List.of("americano", "latte", "cappuccino", "vanilla-latte", "green-tea",
      "croissant");

  /** One call: when it started, how long it took, and how it ended. */
  record Call(int client, long seq, Instant at, long millis, int status, String orderId, boolean declinedCard,
              String error) {
    boolean accepted() {
      return (status == 201 || status == 202) && orderId != null;
    }

    boolean expectedDecline() {
      return status == 402 && declinedCard && orderId != null;
    }

    @Override
    public String toString() {
      return at + " client " + client + " #" + seq + ": " + (status == 0 ? error : status + " " + error) + " after "
          + millis + " ms";
    }
  }

  private final CafeClient cafe;
  private final List<String> tokens;
  private final Duration pace;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final Map<String, Call> accepted = new ConcurrentHashMap<>();
  private final Map<String, Call> declined = new ConcurrentHashMap<>();
  private final AtomicInteger acceptedCount = new AtomicInteger();
  private volatile boolean stopping;

  private LoadDriver(CafeClient cafe, List<String> tokens, Duration pace) {
    this.cafe = cafe;
    this.tokens = List.copyOf(tokens);
    this.pace = pace;
  }

  static LoadDriver start(CafeClient cafe, List<String> customerTokens, int clients, Duration pace) {
    LoadDriver driver = new LoadDriver(cafe, customerTokens, pace);
    for (int i = 0; i < clients; i++) {
      int client = i;
      Thread thread = new Thread(() -> driver.run(client), "customer-" + i);
      thread.setDaemon(true);
      driver.threads.add(thread);
    }
    driver.threads.forEach(Thread::start);
    return driver;
  }

  /** Lets each client finish the call in hand, then stops. */
  LoadDriver stop() {
    stopping = true;
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return this;
  }

  int acceptedCount() {
    return acceptedCount.get();
  }

  /** Accepted orders (201 or 202) by id. */
  Map<String, Call> accepted() {
    return Map.copyOf(accepted);
  }

  /** Orders answered 402 (declined card) by id. */
  Map<String, Call> declined() {
    return Map.copyOf(declined);
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Everything that was neither accepted nor the expected decline. */
  List<Call> failures() {
    return calls.stream().filter(c -> !c.accepted() && !c.expectedDecline())
        .sorted(Comparator.comparing(Call::at)).toList();
  }

  Optional<Call> slowest() {
    return calls.stream().max(Comparator.comparingLong(Call::millis));
  }

  /** E.g. {@code 1234 calls: 201=900, 202=100, 402=120, 503=14, connection error=100}. */
  String summary() {
    Map<String, Long> byOutcome = calls.stream().collect(Collectors.groupingBy(
        c -> c.status() == 0 ? "no answer" : Integer.toString(c.status()), TreeMap::new, Collectors.counting()));
    long[] millis = calls.stream().mapToLong(Call::millis).sorted().toArray();
    String latency = millis.length == 0 ? "" : ", latency p50 " + millis[millis.length / 2] + " ms, p99 "
        + millis[(int) Math.min(millis.length - 1, Math.floor(millis.length * 0.99))] + " ms, max "
        + millis[millis.length - 1] + " ms";
    return calls.size() + " calls: " + byOutcome + latency;
  }

  private void run(int client) {
    String token = tokens.get(client % tokens.size());
    long next = System.nanoTime();
    for (long seq = 0; !stopping; seq++) {
      placeOne(client, seq, token);
      next += pace.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        // Pacing: a customer's think time between two orders, not a wait for a condition.
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime();
      }
    }
  }

  private void placeOne(int client, long seq, String token) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    boolean declinedCard = seq % 10 == 9;
    JsonArray items = new JsonArray().add(new JsonObject()
        .put("menuItemId", MENU.get(random.nextInt(MENU.size()))).put("qty", 1 + random.nextInt(2)));
    String body = new JsonObject()
        .put("items", items)
        .put("card", declinedCard ? DECLINED_CARD : GOOD_CARD)
        .put("address", "Table " + client + ", order " + seq)
        .encode();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cafe.base() + "/orders"))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (seq % 2 == 0) {
      request.header("Idempotency-Key", UUID.randomUUID().toString());
    }
    Instant at = Instant.now();
    long began = System.nanoTime();
    CafeClient.Answer answer = cafe.send(request.build());
    long millis = (System.nanoTime() - began) / 1_000_000;
    String orderId = null;
    String error = answer.error();
    if (answer.status() == 201 || answer.status() == 202 || answer.status() == 402) {
      try {
        JsonObject json = answer.json();
        orderId = answer.status() == 402 ? json.getString("orderId") : json.getString("id");
      } catch (RuntimeException e) {
        error = "unreadable answer: " + answer.body();
      }
    } else if (answer.status() != 0) {
      error = answer.body().length() > 300 ? answer.body().substring(0, 300) : answer.body();
    }
    Call call = new Call(client, seq, at, millis, answer.status(), orderId, declinedCard, error);
    calls.add(call);
    if (call.accepted()) {
      accepted.put(orderId, call);
      acceptedCount.incrementAndGet();
    } else if (call.expectedDecline()) {
      declined.put(orderId, call);
    }
  }
}
