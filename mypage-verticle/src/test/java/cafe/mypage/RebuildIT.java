package cafe.mypage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.common.events.Topics;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.mypage.Saga.Sent;
import cafe.testkit.Await;
import cafe.testkit.Eventually;
import cafe.testkit.KafkaTap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rebuild from the topics gives the views the live projection built. */
class RebuildIT {
  static final Duration WAIT = Duration.ofSeconds(30);
  static Vertx vertx;
  static Redis redis;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestInfra.shared().redisUrl());
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
    Await.result(vertx.close());
  }

  @Test
  void aRebuildIntoAnEmptyPrefixYieldsTheLiveViews() throws Exception {
    String live = "it-rebuild-live-" + UUID.randomUUID() + ":";
    String customer = "customer-" + UUID.randomUUID();
    String token = TestTokens.shared().token(customer, "customer");
    Map<String, String> expected;
    List<Sent> events = new ArrayList<>();
    String refusedOrder;
    Sent refusedReady;
    try (Mypage mypage = Mypage.start(live); KafkaTap kafka = KafkaTap.open(TestInfra.shared().kafkaBootstrap())) {
      Saga delivered = new Saga(customer);
      events.addAll(List.of(delivered.paymentApproved(), delivered.orderPlaced(), delivered.drinkQueued(),
          delivered.drinkStarted(), delivered.drinkReady(), delivered.deliveryWaiting(), delivered.deliveryStarted(),
          delivered.deliveryCompleted()));
      Saga outOfStock = new Saga(customer, "croissant", "Croissant", 3500);
      events.addAll(List.of(outOfStock.paymentApproved(), outOfStock.orderPlaced(), outOfStock.outOfStock(),
          outOfStock.orderCancelled("OUT_OF_STOCK"), outOfStock.paymentRefunded()));
      Saga refused = new Saga(customer);
      refusedOrder = refused.orderId;
      Sent request = refused.orderCancelRequested("BREWING");
      Sent refusal = refused.drinkCancelRejected("BREWING");
      refusedReady = refused.drinkReady();
      events.addAll(List.of(refused.paymentApproved(), refused.orderPlaced(), refused.drinkQueued(),
          refused.drinkStarted(), refusal, request));
      Saga cancelled = new Saga(customer);
      events.addAll(List.of(cancelled.paymentApproved(), cancelled.orderPlaced(), cancelled.drinkQueued(),
          cancelled.orderCancelRequested("QUEUED"), cancelled.drinkCancelled(), cancelled.orderCancelled("CUSTOMER"),
          cancelled.paymentRefunded()));
      Saga declined = new Saga(customer);
      events.add(declined.paymentDeclined());
      // Every event twice, as redeliveries would bring them.
      for (Sent sent : events) {
        Saga.publish(kafka, sent, sent);
      }

      Map<String, String> finals = Map.of(delivered.orderId, "DELIVERED", outOfStock.orderId, "CANCELLED",
          refused.orderId, "BREWING", cancelled.orderId, "CANCELLED", declined.orderId, "REJECTED");
      Map<String, Integer> steps = Map.of(delivered.orderId, 8, outOfStock.orderId, 5, refused.orderId, 6,
          cancelled.orderId, 7, declined.orderId, 1);
      for (Map.Entry<String, String> order : finals.entrySet()) {
        Eventually.await(WAIT, () -> {
          JsonObject view = mypage.view(order.getKey(), token);
          return view != null && view.getString("status").equals(order.getValue())
              && view.getJsonArray("timeline").size() == steps.get(order.getKey());
        });
      }
      expected = finals;
    }

    String rebuilt = "it-rebuild-new-" + UUID.randomUUID() + ":";
    Rebuild.Summary summary = Await.result(Rebuild.run(vertx, Mypage.env(rebuilt, Map.of()), new Rebuild.Options(false, null)));
    assertTrue(summary.applied() >= events.size(), summary.toString());
    for (String orderId : expected.keySet()) {
      JsonObject liveView = stored(live, orderId);
      JsonObject rebuiltView = stored(rebuilt, orderId);
      assertNotNull(rebuiltView, orderId);
      assertEquals(liveView, rebuiltView, orderId);
      assertEquals(expected.get(orderId), rebuiltView.getString("status"));
    }
    assertEquals(members(live + "customer:" + customer + ":orders"),
        members(rebuilt + "customer:" + customer + ":orders"));

    Throwable notEmpty =
        Await.failure(Rebuild.run(vertx, Mypage.env(rebuilt, Map.of()), new Rebuild.Options(false, null)));
    assertTrue(notEmpty instanceof ConfigException, notEmpty.toString());
    assertTrue(notEmpty.getMessage().contains("MYPAGE_KEY_PREFIX=" + rebuilt));

    // Wiped and rebuilt again, this time handing its offsets to a new group for the service to go on with.
    String group = "it-rebuild-" + UUID.randomUUID();
    Await.result(Rebuild.run(vertx, Mypage.env(rebuilt, Map.of()), new Rebuild.Options(true, group)));
    for (String orderId : expected.keySet()) {
      assertEquals(stored(live, orderId), stored(rebuilt, orderId), orderId);
    }
    Throwable groupInUse =
        Await.failure(Rebuild.run(vertx, Mypage.env(rebuilt, Map.of()), new Rebuild.Options(true, group)));
    assertTrue(groupInUse.getMessage().contains("already has offsets"), groupInUse.toString());
    Await.result(Rebuild.run(vertx, Mypage.env(rebuilt, Map.of()), new Rebuild.Options(true, null)));

    try (Mypage switched = Mypage.start(rebuilt, Map.of("MYPAGE_CONSUMER_GROUP", group)); KafkaTap kafka = KafkaTap.open(TestInfra.shared().kafkaBootstrap())) {
      Saga.publish(kafka, refusedReady);
      Eventually.await(WAIT, () -> "READY".equals(switched.view(refusedOrder, token).getString("status")));
      // The view shows the effect before the handler's count moves; once the group has committed to the
      // topics' ends, whatever it handled (a replay included) is counted.
      kafka.awaitCaughtUp(group, Topics.ALL, WAIT);
      assertEquals(1, switched.handled(), "the service went on where the rebuild stopped, replaying nothing");
    }
  }

  static JsonObject stored(String prefix, String orderId) throws Exception {
    Response r = Await.result(redis.send(Request.cmd(Command.GET).arg(prefix + "order:" + orderId)));
    return r == null ? null : new JsonObject(r.toString());
  }

  static List<String> members(String key) throws Exception {
    Response r = Await.result(redis.send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(-1)));
    List<String> ids = new ArrayList<>();
    r.forEach(id -> ids.add(id.toString()));
    return ids;
  }
}
