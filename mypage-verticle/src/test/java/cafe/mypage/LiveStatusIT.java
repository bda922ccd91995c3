package cafe.mypage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.mypage.Saga.Sent;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live status over WebSockets, with two my page instances sharing the consumer group and Redis. */
class LiveStatusIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final TestTokens TOKENS = TestTokens.shared();
  static final Map<String, String> FAST_PINGS = Map.of("MYPAGE_WS_PING_MS", "400");
  static String prefix;
  static Mypage one;
  static Mypage two;
  static KafkaTap kafka;

  @BeforeAll
  static void start() throws Exception {
    prefix = "it-live-" + UUID.randomUUID() + ":";
    one = Mypage.start(prefix, FAST_PINGS);
    two = Mypage.start(prefix, FAST_PINGS);
    kafka = KafkaTap.open(TestInfra.shared().kafkaBootstrap());
    // Both instances must hold partitions before a test can tell who projected what.
    Eventually.await(Duration.ofSeconds(60), () -> {
      double before1 = one.handled();
      double before2 = two.handled();
      for (int i = 0; i < 8; i++) {
        Saga warmUp = new Saga("warm-up");
        Saga.publish(kafka, warmUp.paymentApproved());
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < deadline && (one.handled() <= before1 || two.handled() <= before2)) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
      }
      return one.handled() > before1 && two.handled() > before2;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
    two.close();
    one.close();
  }

  @Test
  void aSocketOnOneInstanceGetsTheChangesTheOtherProjectedAndOnlyItsCustomersOwn() throws Exception {
    String alice = "customer-" + UUID.randomUUID();
    String bob = "customer-" + UUID.randomUUID();
    try (LiveClient aliceOnOne = LiveClient.connect(one.port, TOKENS.token(alice, "customer"));
         LiveClient aliceOnTwo = LiveClient.connect(two.port, TOKENS.token(alice, "customer"));
         LiveClient bobOnTwo = LiveClient.connect(two.port, TOKENS.token(bob, "customer"));
         LiveClient staffOnOne = LiveClient.connect(one.port, TOKENS.token("barista-1", "barista"))) {
      double handledByOne = one.handled();
      double handledByTwo = two.handled();
      List<String> alices = new ArrayList<>();
      List<String> bobs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Saga aliceOrder = new Saga(alice);
        Saga bobOrder = new Saga(bob);
        Saga.publish(kafka, bobOrder.paymentApproved(), aliceOrder.paymentApproved());
        alices.add(aliceOrder.orderId);
        bobs.add(bobOrder.orderId);
      }
      List<String> everyone = new ArrayList<>(alices);
      everyone.addAll(bobs);

      Eventually.await(WAIT, () -> staffOnOne.orderIds().containsAll(everyone)
          && aliceOnOne.orderIds().containsAll(alices) && aliceOnTwo.orderIds().containsAll(alices)
          && bobOnTwo.orderIds().containsAll(bobs));

      assertTrue(one.handled() > handledByOne && two.handled() > handledByTwo,
          "each instance projected some of the events, so each socket got pushes projected by the other");
      assertTrue(Collections.disjoint(aliceOnOne.orderIds(), bobs), "alice must never see bob's orders");
      assertTrue(Collections.disjoint(aliceOnTwo.orderIds(), bobs), "alice must never see bob's orders");
      assertTrue(Collections.disjoint(bobOnTwo.orderIds(), alices), "bob must never see alice's orders");
      assertEquals(8, aliceOnOne.pushes.size());
      JsonObject push = aliceOnOne.pushes.get(0);
      assertEquals(java.util.Set.of("orderId", "status", "event", "at"), push.fieldNames());
      assertEquals("PAID", push.getString("status"));
      assertEquals("PaymentApproved", push.getString("event"));
    }
  }

  @Test
  void everyChangeOfTheSagaIsPushedInOrder() throws Exception {
    String alice = "customer-" + UUID.randomUUID();
    try (LiveClient socket = LiveClient.connectWithQueryToken(two.port, TOKENS.token(alice, "customer"))) {
      Saga saga = new Saga(alice);
      List<Sent> steps = List.of(saga.paymentApproved(), saga.orderPlaced(), saga.drinkQueued(), saga.drinkStarted(),
          saga.drinkReady());
      for (Sent step : steps) {
        int seen = socket.pushes.size();
        Saga.publish(kafka, step);
        Eventually.await(WAIT, () -> socket.pushes.size() > seen);
      }
      assertEquals(List.of("PAID", "PAID", "QUEUED", "BREWING", "READY"),
          socket.pushes.stream().map(p -> p.getString("status")).toList());
      assertEquals(steps.stream().map(s -> s.event().type()).toList(),
          socket.pushes.stream().map(p -> p.getString("event")).toList());
    }
  }

  @Test
  void aLostSubscriptionIsMadeAgainAndPushesResume() throws Exception {
    String alice = "customer-" + UUID.randomUUID();
    try (LiveClient socket = LiveClient.connect(one.port, TOKENS.token(alice, "customer"));
         Socket redis = SagaViewsIT.redisSocket()) {
      redis.getOutputStream().write("CLIENT KILL TYPE pubsub\r\n".getBytes(StandardCharsets.US_ASCII));
      String killed = new java.io.BufferedReader(new java.io.InputStreamReader(redis.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      assertTrue(killed.matches(":[1-9][0-9]*"), "both instances' subscriptions were cut: " + killed);

      // Changes made while no one listens are not pushed; the first one after the new subscription is.
      long[] lastSent = {0};
      Eventually.await(WAIT, () -> {
        if (System.nanoTime() - lastSent[0] > 200_000_000L) {
          Saga.publish(kafka, new Saga(alice).paymentApproved());
          lastSent[0] = System.nanoTime();
        }
        return socket.pushes.size() > 0;
      });
      Eventually.await(WAIT, () -> one.get("/health/ready", null).status() == 200
          && two.get("/health/ready", null).status() == 200);
    }
  }

  @Test
  void withoutAValidTokenThereIsNoUpgrade() throws Exception {
    String none = handshake(one.port, "/ws/orders", null);
    assertTrue(none.startsWith("HTTP/1.1 401"), none);
    assertTrue(none.toLowerCase().contains("content-type: application/problem+json"), none);
    assertFalse(none.toLowerCase().contains("upgrade: websocket"), none);

    String forged = handshake(one.port, "/ws/orders", "Bearer " + TOKENS.tokenSignedByAnotherKey("alice", "customer"));
    assertTrue(forged.startsWith("HTTP/1.1 401"), forged);
    String expired = handshake(two.port, "/ws/orders?access_token=" + TOKENS.expiredToken("alice", "customer"), null);
    assertTrue(expired.startsWith("HTTP/1.1 401"), expired);

    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> LiveClient.connect(one.port, "not-a-token"));
    assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
    assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
  }

  @Test
  void aPlainRequestIsAskedToUpgrade() throws Exception {
    Http.Response response = one.get("/ws/orders", TOKENS.token("alice", "customer"));
    assertEquals(426, response.status());
    assertEquals("application/problem+json", response.contentType());
  }

  @Test
  void anIdleSocketIsPinged() throws Exception {
    try (LiveClient socket = LiveClient.connect(one.port, TOKENS.token("customer-" + UUID.randomUUID(), "customer"))) {
      // Two pings 400 ms apart; the deadline is for a loaded machine, not a measure of the interval.
      Eventually.await(WAIT, () -> socket.pings.get() >= 2);
      assertFalse(socket.closed.isDone(), "a socket that answers its pings stays open");
    }
  }

  @Test
  void stoppingAnInstanceClosesItsSocketsSoClientsReconnect() throws Exception {
    // A drain that waited for the socket would hold it for the whole SHUTDOWN_TIMEOUT_MS.
    try (Mypage third = Mypage.start(prefix, Map.of("SHUTDOWN_TIMEOUT_MS", "30000"))) {
      LiveClient socket = LiveClient.connect(third.port, TOKENS.token("customer-" + UUID.randomUUID(), "customer"));
      long began = System.nanoTime();
      // Stopped beside this thread: what is timed is the socket's goodbye, not the rest of the drain (its
      // consumer may still be joining the group, and leaves it only after that).
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(third::close);
      assertEquals(1001, socket.closed.get(20, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - began < Duration.ofSeconds(15).toNanos(), "the server did not wait for the socket");
      stopping.get(60, TimeUnit.SECONDS);
    }
  }

  /** Not a check: measures how long an event takes from Kafka to a customer's socket, and prints the median. */
  @Test
  void measuresPushLatency() throws Exception {
    String alice = "customer-" + UUID.randomUUID();
    List<Double> millis = new ArrayList<>();
    try (LiveClient socket = LiveClient.connect(one.port, TOKENS.token(alice, "customer"))) {
      for (int i = 0; i < 100; i++) {
        Saga saga = new Saga(alice);
        Sent approved = saga.paymentApproved();
        int seen = socket.pushes.size();
        long sent = System.nanoTime();
        Saga.publish(kafka, approved);
        Eventually.await(WAIT, () -> socket.pushes.size() > seen);
        millis.add((socket.arrivals.get(seen) - sent) / 1e6);
      }
    }
    Collections.sort(millis);
    System.out.printf("push latency, Kafka publish to WebSocket push, %d events: median %.1f ms, p90 %.1f ms, "
        + "max %.1f ms%n", millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() * 9 / 10),
        millis.get(millis.size() - 1));
  }

  /** A WebSocket handshake written by hand, so what comes back before any upgrade can be read as it is. */
  static String handshake(int port, String target, String authorization) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      String request = "GET " + target + " HTTP/1.1\r\n"
          + "Host: 127.0.0.1:" + port + "\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
          + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.US_ASCII);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }
}
