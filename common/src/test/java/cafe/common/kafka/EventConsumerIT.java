package cafe.common.kafka;

import static cafe.common.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.Eventually;
import cafe.common.KafkaProbe;
import cafe.common.config.Env;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.PgInbox;
import cafe.common.launch.ServiceRuntime;
import cafe.common.store.PgStore;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventConsumerIT {
  static LocalInfra infra;
  static ServiceRuntime runtime;
  static Messaging messaging;
  static Pool pool;

  @BeforeAll
  static void start() throws Exception {
    infra = TestInfra.shared();
    Env env = new Env(Map.of("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap(), "PG_URL", infra.pgUrl("consumer_it"),
        "CONSUMER_MAX_ATTEMPTS", "3", "CONSUMER_RETRY_BACKOFF_MS", "10"));
    runtime = ServiceRuntime.create("consumer-it", env);
    messaging = await(Messaging.start(runtime));
    pool = await(PgStore.from(env, "consumer_it").open(runtime, List.of()));
    await(pool.query("CREATE TABLE IF NOT EXISTS cups (order_id TEXT, n INT)").execute());
  }

  @AfterAll
  static void stop() throws Exception {
    await(runtime.shutdown());
  }

  @Test
  void aPoisonEventIsParkedAndTheEventsBehindItAreHandled() throws Exception {
    String topic = "it.poison." + UUID.randomUUID();
    String key = "order-" + UUID.randomUUID();
    List<String> handled = new CopyOnWriteArrayList<>();
    Event first = Event.of("it", "First", key, new JsonObject());
    Event failing = Event.of("it", "AlwaysFails", key, new JsonObject());
    Event last = Event.of("it", "Last", key, new JsonObject());
    EventPublisher out = messaging.publisher();
    await(out.publish(topic, first));
    await(out.send(topic, key, "{not an event", Map.of()));
    await(out.publish(topic, failing));
    await(out.publish(topic, last));

    await(messaging.consume("poison-" + UUID.randomUUID(), List.of(topic), event -> {
      if (event.type().equals("AlwaysFails")) {
        return Future.failedFuture("cannot apply " + event.id());
      }
      handled.add(event.type());
      return Future.succeededFuture();
    }));

    Eventually.await(Duration.ofSeconds(20), () -> handled.contains("Last"));
    assertEquals(List.of("First", "Last"), handled);
    try (KafkaProbe dlq = new KafkaProbe(infra.kafkaBootstrap(), Topics.dlq(topic))) {
      List<ConsumerRecord<String, String>> parked = dlq.until(Duration.ofSeconds(15), r -> r.size() >= 2);
      assertEquals(2, parked.size());
      assertEquals("{not an event", parked.get(0).value());
      assertTrue(header(parked.get(0), "cafe-error").startsWith("unreadable event"));
      assertEquals(failing.id(), Event.parse(parked.get(1).value()).id());
      assertTrue(header(parked.get(1), "cafe-error").contains("failed 3 times"), header(parked.get(1), "cafe-error"));
    }
  }

  @Test
  void aRedeliveredEventHasOneEffect() throws Exception {
    String topic = "it.dup." + UUID.randomUUID();
    String orderId = "order-" + UUID.randomUUID();
    Event brewed = Event.of("it", "CupPoured", orderId, new JsonObject());
    // Kafka's at-least-once: the same event arrives twice.
    await(messaging.publisher().publish(topic, brewed));
    await(messaging.publisher().publish(topic, brewed));
    List<String> calls = new CopyOnWriteArrayList<>();
    await(messaging.consume("dup-" + UUID.randomUUID(), List.of(topic), event -> {
      calls.add(event.id());
      return PgInbox.once(pool, event, tx -> tx.preparedQuery("INSERT INTO cups VALUES ($1, 1)")
          .execute(Tuple.of(event.orderId())).mapEmpty());
    }));
    Eventually.await(Duration.ofSeconds(20), () -> calls.size() == 2);
    long cups = await(pool.preparedQuery("SELECT count(*) FROM cups WHERE order_id = $1").execute(Tuple.of(orderId)))
        .iterator().next().getLong(0);
    assertEquals(1, cups);
  }

  @Test
  void aConsumerThatWasDownCatchesUpFromItsCommittedOffset() throws Exception {
    String topic = "it.catchup." + UUID.randomUUID();
    String group = "catchup-" + UUID.randomUUID();
    List<String> seen = new CopyOnWriteArrayList<>();
    EventConsumer first = await(messaging.consume(group, List.of(topic), event -> {
      seen.add(event.orderId());
      return Future.succeededFuture();
    }));
    await(messaging.publisher().publish(topic, Event.of("it", "Before", "a", new JsonObject())));
    Eventually.await(Duration.ofSeconds(20), () -> seen.contains("a"));
    await(first.stop());

    await(messaging.publisher().publish(topic, Event.of("it", "While", "b", new JsonObject())));
    await(messaging.publisher().publish(topic, Event.of("it", "While", "c", new JsonObject())));
    await(messaging.consume(group, List.of(topic), event -> {
      seen.add(event.orderId());
      return Future.succeededFuture();
    }));
    Eventually.await(Duration.ofSeconds(20), () -> seen.contains("b") && seen.contains("c"));
    // "a" was committed when the first member stopped, so it is not read again. "b" and "c" have other keys,
    // on other partitions (0 and 2 of 4): Kafka orders a key's events, not events across partitions.
    assertEquals("a", seen.get(0));
    assertEquals(List.of("a", "b", "c"), seen.stream().sorted().toList());
  }

  @Test
  void aPollOfEventsHandledAtOnceDoesNotDeepenTheStack() throws Exception {
    // Most events a service reads are not for it and are done at once; a whole poll of them, each
    // with its own key, once nested a stack frame set per key until the stack overflowed and the
    // consumer stopped for good.
    String topic = "it.instant." + UUID.randomUUID();
    int count = 1000;
    // The first one creates the topic; a burst sent while it was still being created could be refused out of
    // sequence (OUT_OF_ORDER_SEQUENCE_NUMBER) and retried for ever.
    await(messaging.publisher().publish(topic, Event.of("it", "NotForUs", "order-0", new JsonObject())));
    List<Future<Void>> sent = new java.util.ArrayList<>();
    for (int i = 1; i < count; i++) {
      sent.add(messaging.publisher().publish(topic, Event.of("it", "NotForUs", "order-" + i, new JsonObject())));
    }
    await(Future.all(sent));
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger deepest = new AtomicInteger();
    await(messaging.consume("instant-" + UUID.randomUUID(), List.of(topic), event -> {
      handled.incrementAndGet();
      deepest.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
      return Future.succeededFuture();
    }));

    Eventually.await(Duration.ofSeconds(30), () -> handled.get() >= count);
    assertEquals(count, handled.get());
    assertTrue(deepest.get() < 400, "stack depth " + deepest.get() + " grows with the keys of a poll");
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
