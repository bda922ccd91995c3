package cafe.common.outbox;

import static cafe.common.Await.await;
import static cafe.common.KafkaProbe.distinctEvents;
import static cafe.common.KafkaProbe.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.Await;
import cafe.common.KafkaProbe;
import cafe.common.config.Env;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceRuntime;
import cafe.common.store.PgStore;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgOutboxIT {
  static LocalInfra infra;
  static ServiceRuntime runtime;
  static PgStore store;
  static Pool pool;
  static Messaging messaging;

  @BeforeAll
  static void start() throws Exception {
    infra = TestInfra.shared();
    Env env = new Env(Map.of("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap(), "PG_URL", infra.pgUrl("outbox_it"),
        "OUTBOX_POLL_MS", "60000"));
    runtime = ServiceRuntime.create("outbox-it", env);
    store = PgStore.from(env, "outbox_it");
    messaging = await(Messaging.start(runtime));
    pool = await(store.open(runtime, List.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(runtime.shutdown());
  }

  @Test
  void committedEventsArePublishedAndRolledBackOnesNever() throws Exception {
    PgOutboxRelay relay = await(PgOutboxRelay.start(runtime, pool, store, messaging.publisher()));
    String rolledBack = "rb-" + UUID.randomUUID();
    String committed = "ok-" + UUID.randomUUID();
    Future<Void> failed = pool.withTransaction(tx -> PgOutbox.add(tx, Topics.ORDERS, placed(rolledBack))
        .compose(v -> Future.failedFuture("the state change failed")));
    Await.failure(failed);
    await(pool.withTransaction(tx -> PgOutbox.add(tx, Topics.ORDERS, placed(committed))));

    try (KafkaProbe probe = new KafkaProbe(infra.kafkaBootstrap(), Topics.ORDERS)) {
      // The wake-up on commit, not the 60 s poll, is what publishes it.
      List<ConsumerRecord<String, String>> seen = probe.until(Duration.ofSeconds(15), hasKey(committed));
      // One event, however often the relay (at least once) published it.
      assertEquals(1, distinctEvents(seen, committed).size());
      assertTrue(seen.stream().noneMatch(r -> rolledBack.equals(r.key())), "a rolled-back event was published");
      assertEquals("OrderPlaced", new JsonObject(seen.stream().filter(r -> committed.equals(r.key()))
          .findFirst().orElseThrow().value()).getString("type"));
    }
    await(relay.stop());
  }

  @Test
  void anEventCommittedWhileTheRelayIsDownIsPublishedWhenItComesBack() throws Exception {
    String orderId = "late-" + UUID.randomUUID();
    PgOutboxRelay first = await(PgOutboxRelay.start(runtime, pool, store, messaging.publisher()));
    await(first.stop());
    await(pool.withTransaction(tx -> PgOutbox.add(tx, Topics.ORDERS, placed(orderId))));
    Object sentAt = await(pool.preparedQuery("SELECT sent_at FROM outbox WHERE event_key = $1")
        .execute(Tuple.of(orderId))).iterator().next().getValue(0);
    assertNull(sentAt, "nothing should publish while the relay is down");

    PgOutboxRelay second = await(PgOutboxRelay.start(runtime, pool, store, messaging.publisher()));
    try (KafkaProbe probe = new KafkaProbe(infra.kafkaBootstrap(), Topics.ORDERS)) {
      probe.until(Duration.ofSeconds(15), hasKey(orderId));
    }
    cafe.common.Eventually.await(Duration.ofSeconds(10), () -> await(pool
        .preparedQuery("SELECT sent_at FROM outbox WHERE event_key = $1").execute(Tuple.of(orderId)))
        .iterator().next().getValue(0) != null);
    await(second.stop());
  }

  @Test
  void oneOrdersEventsKeepTheirOrder() throws Exception {
    PgOutboxRelay relay = await(PgOutboxRelay.start(runtime, pool, store, messaging.publisher()));
    String orderId = "seq-" + UUID.randomUUID();
    for (String type : List.of("OrderPlaced", "OrderCancelRequested", "OrderCancelled")) {
      await(pool.withTransaction(tx -> PgOutbox.add(tx, Topics.ORDERS,
          Event.of("order", type, orderId, new JsonObject()))));
    }
    try (KafkaProbe probe = new KafkaProbe(infra.kafkaBootstrap(), Topics.ORDERS)) {
      // Told apart by id: a copy of an event may follow it (the relay publishes at least once).
      List<String> types = distinctEvents(probe.until(Duration.ofSeconds(15),
              records -> distinctEvents(records, orderId).size() >= 3), orderId)
          .stream().map(Event::type).toList();
      assertEquals(List.of("OrderPlaced", "OrderCancelRequested", "OrderCancelled"), types);
    }
    await(relay.stop());
  }

  static Event placed(String orderId) {
    return Event.of("order", "OrderPlaced", orderId, new JsonObject().put("orderId", orderId));
  }
}
