package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import cafe.testkit.Await;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service listed with two URLs: the gateway shares calls between the instances, keeps away from
 * one that is not ready or refuses connections, and sends a call that never reached an instance
 * (or is safe to repeat) to the other one, so a rolling restart costs callers nothing.
 */
class BalancingIT {
  private static Vertx vertx;
  private static Stub first;
  private static Stub second;
  private static RunningGateway gateway;
  private static final String TOKEN = TestTokens.shared().token("balancing-customer", "customer");

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    first = Stub.start(vertx, "first");
    second = Stub.start(vertx, "second");
    gateway = RunningGateway.start("gateway_balancing_it", Map.of(
        "ORDER_URL", first.url() + "," + second.url(),
        "UPSTREAM_PROBE_MS", "100",
        "BREAKER_MAX_FAILURES", "10",
        "BREAKER_RESET_MS", "1000"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    Await.result(vertx.close());
  }

  @BeforeEach
  void bothUpAndReady() throws Exception {
    for (Stub stub : new Stub[] {first, second}) {
      stub.listen();
      stub.ready = true;
      stub.status = 201;
    }
    // Both back in turn: each has answered a call through the gateway.
    Eventually.await(Duration.ofSeconds(10), () -> {
      int before = first.orders.get() + second.orders.get();
      for (int i = 0; i < 4; i++) {
        assertEquals(200, gateway.http().get("/orders", TOKEN).status());
      }
      return first.orders.get() > 0 && second.orders.get() > 0 && first.orders.get() + second.orders.get() == before + 4;
    });
    first.orders.set(0);
    second.orders.set(0);
  }

  @Test
  void callsAreSharedBetweenTheInstances() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertEquals(201, post(null).status());
    }
    assertEquals(10, first.orders.get(), "first got " + first.orders.get() + ", second " + second.orders.get());
    assertEquals(10, second.orders.get());
  }

  @Test
  void anInstanceThatIsNotReadyGetsNoNewCalls() throws Exception {
    first.ready = false;
    // Once a probe has seen it draining, everything goes to the other instance.
    Eventually.await(Duration.ofSeconds(5), () -> {
      first.orders.set(0);
      for (int i = 0; i < 4; i++) {
        assertEquals(201, post(null).status());
      }
      return first.orders.get() == 0;
    });
    int before = second.orders.get();
    for (int i = 0; i < 10; i++) {
      assertEquals(201, post(null).status());
    }
    assertEquals(0, first.orders.get());
    assertEquals(before + 10, second.orders.get());

    first.ready = true;
    Eventually.await(Duration.ofSeconds(5), () -> {
      assertEquals(201, post(null).status());
      return first.orders.get() > 0;
    });
  }

  @Test
  void aStoppedInstanceCostsNoCallEvenAnOrderWithoutAKey() throws Exception {
    first.close();
    // Refused connections never reached the service: the other instance takes them, keyed or not.
    for (int i = 0; i < 20; i++) {
      Http.Response answer = post(null);
      assertEquals(201, answer.status(), answer.body());
      assertEquals("second", answer.json().getString("instance"));
    }
    assertEquals(20, second.orders.get());

    first.listen();
    Eventually.await(Duration.ofSeconds(5), () -> {
      assertEquals(201, post(null).status());
      return first.orders.get() > 0;
    });
  }

  @Test
  void anUnavailableAnswerIsRepeatedElsewhereOnlyWhenThatIsSafe() throws Exception {
    first.status = 503;
    second.status = 201;
    int withoutKey503 = 0;
    for (int i = 0; i < 2; i++) {
      // Without a key the call may have acted: the answer is passed on, not repeated.
      Http.Response answer = post(null);
      if (answer.status() == 503) {
        withoutKey503++;
        assertEquals("first", answer.json().getString("instance"));
      } else {
        assertEquals(201, answer.status());
      }
    }
    assertEquals(1, withoutKey503, "one of two calls in turn reached the instance answering 503");
    // With an Idempotency-Key the same call is safe to send again, to the other instance.
    first.orders.set(0);
    second.orders.set(0);
    for (int i = 0; i < 2; i++) {
      Http.Response answer = post("key-" + i);
      assertEquals(201, answer.status(), answer.body());
      assertEquals("second", answer.json().getString("instance"));
    }
    assertTrue(first.orders.get() <= 1, "the 503 instance saw " + first.orders.get());
  }

  private static Http.Response post(String idempotencyKey) throws Exception {
    Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
    return gateway.http().send("POST", "/orders", TOKEN, "{\"items\":[]}", headers);
  }

  /** One instance of a service: answers POST /orders with its name, its readiness as told. */
  static final class Stub {
    private final Vertx vertx;
    private final String name;
    private final AtomicInteger orders = new AtomicInteger();
    private volatile boolean ready = true;
    private volatile int status = 201;
    private HttpServer server;
    private int port;

    private Stub(Vertx vertx, String name) {
      this.vertx = vertx;
      this.name = name;
    }

    static Stub start(Vertx vertx, String name) throws Exception {
      Stub stub = new Stub(vertx, name);
      stub.listen();
      return stub;
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    synchronized void listen() throws Exception {
      if (server != null) {
        return;
      }
      server = Await.result(vertx.createHttpServer().requestHandler(request -> {
        if (request.path().equals("/health/ready")) {
          request.response().setStatusCode(ready ? 200 : 503).end();
          return;
        }
        if (request.path().equals("/orders")) {
          orders.incrementAndGet();
        }
        int answer = request.method().name().equals("GET") ? 200 : status;
        request.response().setStatusCode(answer).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("instance", name).encode());
      }).listen(port, "127.0.0.1"));
      port = server.actualPort();
    }

    synchronized void close() throws Exception {
      if (server != null) {
        Await.result(server.close());
        server = null;
      }
    }

  }
}
