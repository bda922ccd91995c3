package cafe.common.outbox;

import static cafe.common.Await.await;
import static cafe.common.KafkaProbe.distinctEvents;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cafe.common.Eventually;
import cafe.common.KafkaProbe;
import cafe.common.config.Env;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.MongoInbox;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceRuntime;
import cafe.common.store.MongoStore;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MongoOutboxIT {
  static LocalInfra infra;
  static ServiceRuntime runtime;
  static MongoClient mongo;
  static Messaging messaging;

  @BeforeAll
  static void start() throws Exception {
    infra = TestInfra.shared();
    Env env = new Env(Map.of("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap(),
        "MONGO_URL", infra.mongoUrl("outbox_it"), "OUTBOX_POLL_MS", "60000"));
    runtime = ServiceRuntime.create("mongo-outbox-it", env);
    messaging = await(Messaging.start(runtime));
    mongo = await(MongoStore.from(env, "outbox_it").open(runtime));
    await(MongoOutboxRelay.start(runtime, mongo, List.of("tickets"), messaging.publisher()));
  }

  @AfterAll
  static void stop() throws Exception {
    await(runtime.shutdown());
  }

  @Test
  void eventsInTheDocumentArePublishedInOrderAndLeaveIt() throws Exception {
    String orderId = UUID.randomUUID().toString();
    Event queued = Event.of("barista", "DrinkQueued", orderId, new JsonObject());
    Event started = Event.of("barista", "DrinkStarted", orderId, new JsonObject());
    await(mongo.insert("tickets", new JsonObject().put("_id", orderId).put("status", "QUEUED")
        .put(MongoOutbox.FIELD, MongoOutbox.entries(Topics.BARISTA, List.of(queued)))));
    await(mongo.updateCollection("tickets", new JsonObject().put("_id", orderId),
        MongoOutbox.push(new JsonObject().put("$set", new JsonObject().put("status", "BREWING")),
            Topics.BARISTA, List.of(started))));
    MongoOutbox.wake(runtime.vertx());

    try (KafkaProbe probe = new KafkaProbe(infra.kafkaBootstrap(), Topics.BARISTA)) {
      // The relay publishes at least once: a copy of an event may follow it, so events are told apart by id.
      List<String> types = distinctEvents(probe.until(Duration.ofSeconds(15),
              r -> distinctEvents(r, orderId).size() >= 2), orderId)
          .stream().map(Event::type).toList();
      assertEquals(List.of("DrinkQueued", "DrinkStarted"), types);
    }
    Eventually.await(Duration.ofSeconds(10), () -> await(mongo.findOne("tickets",
        new JsonObject().put("_id", orderId), null)).getJsonArray(MongoOutbox.FIELD).isEmpty());
  }

  @Test
  void manyDocumentsNamedByTheirWritersAreAllPublishedAndEmptied() throws Exception {
    List<String> orderIds = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String orderId = UUID.randomUUID().toString();
      orderIds.add(orderId);
      await(mongo.insert("tickets", new JsonObject().put("_id", orderId).put("status", "QUEUED")
          .put(MongoOutbox.FIELD, MongoOutbox.entries(Topics.BARISTA,
              List.of(Event.of("barista", "DrinkQueued", orderId, new JsonObject()))))));
      MongoOutbox.wake(runtime.vertx(), "tickets", orderId);
    }

    try (KafkaProbe probe = new KafkaProbe(infra.kafkaBootstrap(), Topics.BARISTA)) {
      probe.until(Duration.ofSeconds(15), r -> r.stream().map(x -> x.key()).filter(orderIds::contains).distinct().count() == 30);
    }
    for (String orderId : orderIds) {
      Eventually.await(Duration.ofSeconds(10), () -> await(mongo.findOne("tickets",
          new JsonObject().put("_id", orderId), null)).getJsonArray(MongoOutbox.FIELD).isEmpty());
    }
  }

  @Test
  void theDocumentInboxAppliesAnEventOnce() throws Exception {
    String orderId = UUID.randomUUID().toString();
    await(mongo.insert("tickets", new JsonObject().put("_id", orderId).put("cups", 0)));
    Event poured = Event.of("it", "CupPoured", orderId, new JsonObject());
    for (int i = 0; i < 2; i++) {
      await(mongo.updateCollection("tickets",
          MongoInbox.notApplied(new JsonObject().put("_id", orderId), poured),
          MongoInbox.markApplied(new JsonObject().put("$inc", new JsonObject().put("cups", 1)), poured)));
    }
    JsonObject ticket = await(mongo.findOne("tickets", new JsonObject().put("_id", orderId), null));
    assertEquals(1, ticket.getInteger("cups"));
    assertEquals(true, MongoInbox.hasApplied(ticket, poured));
  }
}
