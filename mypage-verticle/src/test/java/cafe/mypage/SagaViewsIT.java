package cafe.mypage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.mypage.Saga.Sent;
import cafe.mypage.store.Times;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The view, timeline and notifications a customer sees after each branch of the saga, on real Kafka and Redis. */
class SagaViewsIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static Mypage mypage;
  static KafkaTap kafka;
  static final TestTokens TOKENS = TestTokens.shared();

  @BeforeAll
  static void start() throws Exception {
    mypage = Mypage.start("it-saga-" + UUID.randomUUID() + ":");
    kafka = KafkaTap.open(TestInfra.shared().kafkaBootstrap());
  }

  @AfterAll
  static void stop() throws Exception {
    kafka.close();
    mypage.close();
  }

  @Test
  void aDeliveredOrderShowsEveryStepInTimeOrder() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    List<Sent> steps = List.of(saga.paymentApproved(), saga.orderPlaced(), saga.drinkQueued(), saga.drinkStarted(),
        saga.drinkReady(), saga.deliveryWaiting(), saga.deliveryStarted(), saga.deliveryCompleted());

    JsonObject view = applyInTurn(alice, saga, steps);

    assertEquals(saga.orderId, view.getString("id"));
    assertEquals(alice.id, view.getString("customerId"));
    assertEquals("DELIVERED", view.getString("status"));
    assertEquals("APPROVED", view.getString("payment"));
    assertEquals("READY", view.getString("drink"));
    assertEquals("DELIVERED", view.getString("delivery"));
    assertEquals(5000, view.getInteger("total"));
    assertEquals(new JsonArray().add(new JsonObject().put("menuItemId", "latte").put("qty", 1).put("price", 5000)),
        view.getJsonArray("items"));
    assertFalse(view.containsKey("cancelReason"));
    assertEquals(timelineOf(steps), view.getJsonArray("timeline"));
    assertEquals(at(steps.get(0)), view.getString("createdAt"));
    assertEquals(at(steps.get(steps.size() - 1)), view.getString("updatedAt"));
    assertEquals(List.of(
        "Your order was delivered. Enjoy!",
        "Your order is on its way",
        "Your latte is ready",
        "Your latte is being made",
        "Your latte is in the barista's queue",
        "Your payment of \u20a95,000 was approved"), alice.messages(saga.orderId));
  }

  @Test
  void anItemOutOfStockCancelsAndRefundsTheOrder() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id, "croissant", "Croissant", 3500);

    JsonObject view = applyInTurn(alice, saga, List.of(saga.paymentApproved(), saga.orderPlaced(), saga.outOfStock(),
        saga.orderCancelled("OUT_OF_STOCK"), saga.paymentRefunded()));

    assertEquals("CANCELLED", view.getString("status"));
    assertEquals("OUT_OF_STOCK", view.getString("cancelReason"));
    assertEquals("REFUNDED", view.getString("payment"));
    assertEquals("CANCELLED", view.getString("drink"));
    assertNull(view.getString("delivery"));
    assertEquals(List.of(
        "Your payment of \u20a93,500 was refunded to your card",
        "We're out of croissant, so your order was cancelled and refunded",
        "Your payment of \u20a93,500 was approved"), alice.messages(saga.orderId));
  }

  @Test
  void cancellingAQueuedDrinkEndsCancelledAndRefunded() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    applyInTurn(alice, saga, List.of(saga.paymentApproved(), saga.orderPlaced(), saga.drinkQueued()));

    JsonObject asked = applyInTurn(alice, saga, List.of(saga.orderCancelRequested("QUEUED")));
    assertEquals("CANCEL_REQUESTED", asked.getString("status"));

    JsonObject view = applyInTurn(alice, saga, List.of(saga.drinkCancelled(), saga.orderCancelled("CUSTOMER"),
        saga.paymentRefunded()));
    assertEquals("CANCELLED", view.getString("status"));
    assertEquals("CUSTOMER", view.getString("cancelReason"));
    assertEquals("REFUNDED", view.getString("payment"));
    assertEquals("CANCELLED", view.getString("drink"));
    assertEquals(List.of(
        "Your payment of \u20a95,000 was refunded to your card",
        "Your order was cancelled as you asked; your payment of \u20a95,000 will be refunded to your card",
        "We're asking the barista to cancel your order",
        "Your latte is in the barista's queue",
        "Your payment of \u20a95,000 was approved"), alice.messages(saga.orderId));
  }

  @Test
  void aCancelRefusedWhileBrewingReturnsTheOrderToBrewingAndItIsDelivered() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    applyInTurn(alice, saga, List.of(saga.paymentApproved(), saga.orderPlaced(), saga.drinkQueued(),
        saga.drinkStarted()));

    assertEquals("CANCEL_REQUESTED",
        applyInTurn(alice, saga, List.of(saga.orderCancelRequested("BREWING"))).getString("status"));
    JsonObject refused = applyInTurn(alice, saga, List.of(saga.drinkCancelRejected("BREWING")));
    assertEquals("BREWING", refused.getString("status"));
    assertEquals("Sorry, we couldn't cancel: your latte is already being made", alice.messages(saga.orderId).get(0));

    JsonObject view = applyInTurn(alice, saga, List.of(saga.drinkReady(), saga.deliveryWaiting(),
        saga.deliveryStarted(), saga.deliveryCompleted()));
    assertEquals("DELIVERED", view.getString("status"));
    assertFalse(view.containsKey("cancelReason"));
    assertEquals("APPROVED", view.getString("payment"));
  }

  @Test
  void aDeclinedPaymentRejectsTheOrder() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);

    JsonObject view = applyInTurn(alice, saga, List.of(saga.paymentDeclined()));

    assertEquals("REJECTED", view.getString("status"));
    assertEquals("DECLINED", view.getString("payment"));
    assertNull(view.getString("drink"));
    assertEquals(5000, view.getInteger("total"));
    assertEquals(List.of("Your payment of \u20a95,000 was declined (card declined), so we couldn't take your order"),
        alice.messages(saga.orderId));
  }

  @Test
  void aDeliveryCompletedBeforeTheDrinkIsReadyIsNotUndoneByLateOrRepeatedEvents() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    Sent approved = saga.paymentApproved();
    Sent placed = saga.orderPlaced();
    Sent queued = saga.drinkQueued();
    Sent started = saga.drinkStarted();
    Sent ready = saga.drinkReady();
    Sent waiting = saga.deliveryWaiting();
    Sent pickedUp = saga.deliveryStarted();
    Sent completed = saga.deliveryCompleted();
    applyInTurn(alice, saga, List.of(approved, placed, queued, started));
    assertEquals("DELIVERED", applyInTurn(alice, saga, List.of(completed)).getString("status"));

    // The late ones, and every event of the order once more, as a redelivery would bring them.
    List<RecordMetadata> sent = new ArrayList<>();
    for (Sent late : List.of(ready, waiting, pickedUp, approved, placed, queued, started, ready, waiting, pickedUp,
        completed)) {
      sent.add(kafka.publish(late.topic(), late.event()));
    }
    // Handled means committed past each copy: a count of handled events is no proof, as the copies
    // travel on four topics with no order between them, and a redelivery counts twice.
    for (RecordMetadata record : sent) {
      kafka.awaitHandled(MypageConfig.DEFAULT_GROUP, record, WAIT);
    }

    JsonObject view = alice.view(saga.orderId);
    assertEquals("DELIVERED", view.getString("status"));
    assertEquals("READY", view.getString("drink"));
    assertEquals("DELIVERED", view.getString("delivery"));
    assertEquals(timelineOf(List.of(approved, placed, queued, started, ready, waiting, pickedUp, completed)),
        view.getJsonArray("timeline"));
    List<String> messages = alice.messages(saga.orderId);
    assertEquals("Your order was delivered. Enjoy!", messages.get(0));
    assertEquals(1, messages.stream().filter(m -> m.contains("delivered")).count());
    assertFalse(messages.contains("Your latte is ready"), "a late event must not notify: " + messages);
  }

  @Test
  void aRefusalThatOvertakesItsCancelRequestLeavesTheOrderBrewing() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    applyInTurn(alice, saga, List.of(saga.paymentApproved(), saga.orderPlaced(), saga.drinkQueued(),
        saga.drinkStarted()));
    Sent request = saga.orderCancelRequested("BREWING");
    Sent refusal = saga.drinkCancelRejected("BREWING");

    applyInTurn(alice, saga, List.of(refusal));
    JsonObject view = applyInTurn(alice, saga, List.of(request));

    assertEquals("BREWING", view.getString("status"));
    assertEquals(List.of("DrinkStarted", "OrderCancelRequested", "DrinkCancelRejected"),
        view.getJsonArray("timeline").stream().skip(3).map(e -> ((JsonObject) e).getString("event")).toList());
    assertTrue(alice.messages(saga.orderId).contains("Sorry, we couldn't cancel: your latte is already being made"));
  }

  @Test
  void eventsFromOneServiceBeforeTheOrderIsKnownStillBuildTheView() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    Sent approved = saga.paymentApproved();
    Sent placed = saga.orderPlaced();
    Sent queued = saga.drinkQueued();
    Sent started = saga.drinkStarted();
    Sent request = saga.orderCancelRequested("BREWING");
    Sent refusal = saga.drinkCancelRejected("BREWING");
    Sent ready = saga.drinkReady();

    // The barista's topic is read well ahead of the others.
    applyInTurn(alice, saga, List.of(queued, started, refusal, ready, request, placed, approved));

    JsonObject view = alice.view(saga.orderId);
    assertEquals("READY", view.getString("status"));
    assertEquals("APPROVED", view.getString("payment"));
    assertEquals(5000, view.getInteger("total"));
    assertEquals(at(approved), view.getString("createdAt"));
    assertEquals(timelineOf(List.of(approved, placed, queued, started, request, refusal, ready)),
        view.getJsonArray("timeline"));
  }

  @Test
  void aCustomerListsOnlyTheirOwnOrdersNewestFirstAndStaffSeeEveryone() throws Exception {
    Customer alice = new Customer();
    Customer bob = new Customer();
    Saga first = new Saga(alice.id);
    applyInTurn(alice, first, List.of(first.paymentApproved()));
    Saga second = new Saga(alice.id);
    applyInTurn(alice, second, List.of(second.paymentApproved()));
    Saga bobs = new Saga(bob.id);
    applyInTurn(bob, bobs, List.of(bobs.paymentApproved()));

    assertEquals(List.of(second.orderId, first.orderId), ids(mypage.list("/mypage/orders", alice.token)));
    assertEquals(List.of(second.orderId), ids(mypage.list("/mypage/orders?limit=1", alice.token)));
    String page2 = "/mypage/orders?limit=1&before=" + mypage.view(second.orderId, alice.token).getString("createdAt");
    assertEquals(List.of(first.orderId), ids(mypage.list(page2, alice.token)));
    assertEquals(List.of(bobs.orderId), ids(mypage.list("/mypage/orders", bob.token)));

    String barista = TOKENS.token("barista-" + UUID.randomUUID(), "barista");
    List<String> recent = ids(mypage.list("/mypage/orders?limit=100", barista));
    assertTrue(recent.containsAll(List.of(first.orderId, second.orderId, bobs.orderId)), recent.toString());
    assertTrue(recent.indexOf(bobs.orderId) < recent.indexOf(first.orderId), "newest first: " + recent);
    assertEquals(bob.id, mypage.view(bobs.orderId, barista).getString("customerId"));
    assertEquals(0, mypage.list("/mypage/notifications", barista).size());
  }

  @Test
  void anotherCustomersOrderIsNotFound() throws Exception {
    Customer alice = new Customer();
    Customer bob = new Customer();
    Saga saga = new Saga(alice.id);
    applyInTurn(alice, saga, List.of(saga.paymentApproved()));

    Http.Response response = mypage.get("/mypage/orders/" + saga.orderId, bob.token);
    assertEquals(404, response.status());
    assertEquals("application/problem+json", response.contentType());
    assertFalse(response.body().contains(alice.id));
    assertEquals(404, mypage.get("/mypage/orders/order-" + UUID.randomUUID(), alice.token).status());
    assertTrue(mypage.list("/mypage/notifications", bob.token).isEmpty());
  }

  @Test
  void withoutAValidTokenNothingIsShown() throws Exception {
    for (String path : List.of("/mypage/orders", "/mypage/orders/x", "/mypage/notifications")) {
      Http.Response none = mypage.get(path, null);
      assertEquals(401, none.status(), path);
      assertEquals("application/problem+json", none.contentType());
      assertEquals(401, mypage.get(path, TOKENS.tokenSignedByAnotherKey("alice", "customer")).status(), path);
      assertEquals(401, mypage.get(path, TOKENS.expiredToken("alice", "customer")).status(), path);
      // A good token in the URL is read on the live socket's handshake alone.
      assertEquals(401, mypage.get(path + "?access_token=" + TOKENS.token("alice", "customer"), null).status(), path);
    }
  }

  @Test
  void aScriptRedisHasForgottenIsSentAgainInFull() throws Exception {
    Customer alice = new Customer();
    Saga saga = new Saga(alice.id);
    applyInTurn(alice, saga, List.of(saga.paymentApproved()));
    try (Socket redis = redisSocket()) {
      redis.getOutputStream().write("SCRIPT FLUSH\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("+OK", new java.io.BufferedReader(new java.io.InputStreamReader(redis.getInputStream(),
          StandardCharsets.US_ASCII)).readLine());
    }

    JsonObject view = applyInTurn(alice, saga, List.of(saga.orderPlaced(), saga.drinkQueued()));
    assertEquals("QUEUED", view.getString("status"));
  }

  static Socket redisSocket() throws Exception {
    java.net.URI url = java.net.URI.create(cafe.infra.TestInfra.shared().redisUrl());
    Socket socket = new Socket(url.getHost(), url.getPort());
    socket.setSoTimeout(5000);
    return socket;
  }

  @Test
  void aBadLimitIsABadRequest() throws Exception {
    String token = new Customer().token;
    for (String query : List.of("limit=0", "limit=101", "limit=ten", "before=yesterday")) {
      Http.Response response = mypage.get("/mypage/orders?" + query, token);
      assertEquals(400, response.status(), query);
      assertTrue(new JsonObject(response.body()).getString("detail").matches(".*(limit|before).*"), response.body());
    }
    assertEquals(400, mypage.get("/mypage/notifications?limit=0", token).status());
  }

  /** Publishes each event and waits until the view shows it, as the saga's steps follow one another. */
  static JsonObject applyInTurn(Customer customer, Saga saga, List<Sent> events) throws Exception {
    JsonObject view = null;
    for (Sent sent : events) {
      Saga.publish(kafka, sent);
      JsonObject entry = new JsonObject().put("event", sent.event().type()).put("at", at(sent));
      view = Eventually.value(WAIT, () -> customer.view(saga.orderId),
          v -> v.getJsonArray("timeline").contains(entry));
    }
    return view;
  }

  static JsonArray timelineOf(List<Sent> events) {
    List<Sent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(s -> s.event().time()));
    JsonArray timeline = new JsonArray();
    sorted.forEach(s -> timeline.add(new JsonObject().put("event", s.event().type()).put("at", at(s))));
    return timeline;
  }

  static String at(Sent sent) {
    return Times.format(sent.event().time());
  }

  static List<String> ids(JsonArray views) {
    return views.stream().map(v -> ((JsonObject) v).getString("id")).toList();
  }

  /** A customer of its own for each test, so tests never see each other's orders. */
  static final class Customer {
    final String id = "customer-" + UUID.randomUUID();
    final String token = TOKENS.token(id, "customer");

    JsonObject view(String orderId) throws Exception {
      return mypage.view(orderId, token);
    }

    List<String> messages(String orderId) throws Exception {
      return mypage.list("/mypage/notifications?limit=100", token).stream()
          .map(n -> (JsonObject) n)
          .filter(n -> orderId.equals(n.getString("orderId")))
          .map(n -> n.getString("message"))
          .toList();
    }
  }
}
