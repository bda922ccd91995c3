package cafe.common.outbox;

import cafe.common.kafka.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The MongoDB relay: finds documents with pending events, publishes each document's events in
 * order, then pulls exactly those entries out. Woken by writers in this process over the local
 * event bus; polls for the rest.
 */
public final class MongoOutboxRelay extends OutboxRelay {
  private final MongoClient mongo;
  private final List<String> collections;
  private final EventPublisher publisher;
  private MessageConsumer<Object> wakeups;

  private MongoOutboxRelay(Vertx vertx, MongoClient mongo, List<String> collections, EventPublisher publisher,
      Settings settings, MeterRegistry metrics) {
    super(vertx, settings, metrics, "mongodb");
    this.mongo = mongo;
    this.collections = List.copyOf(collections);
    this.publisher = publisher;
  }

  public static Future<MongoOutboxRelay> start(Vertx vertx, MongoClient mongo, List<String> collections,
      EventPublisher publisher, Settings settings, MeterRegistry metrics) {
    MongoOutboxRelay relay = new MongoOutboxRelay(vertx, mongo, collections, publisher, settings, metrics);
    relay.wakeups = vertx.eventBus().localConsumer(MongoOutbox.WAKE_ADDRESS, msg -> relay.wake());
    return relay.wakeups.completion().map(v -> {
      relay.startPolling();
      return relay;
    });
  }

  /** The relay of a service's collections; it stops before the client and producer close. */
  public static Future<MongoOutboxRelay> start(cafe.common.launch.ServiceRuntime runtime, MongoClient mongo,
      List<String> collections, EventPublisher publisher) {
    return start(runtime.vertx(), mongo, collections, publisher, Settings.from(runtime.env()), runtime.metrics())
        .onSuccess(relay -> runtime.onStop(relay::stop));
  }

  @Override
  protected Future<Integer> publishBatch() {
    List<Future<Integer>> perCollection = new ArrayList<>();
    for (String collection : collections) {
      perCollection.add(publishCollection(collection));
    }
    return Future.all(perCollection).map(all -> {
      int total = 0;
      for (int i = 0; i < all.size(); i++) {
        total += all.<Integer>resultAt(i);
      }
      return total;
    });
  }

  private Future<Integer> publishCollection(String collection) {
    JsonObject pending = new JsonObject().put(MongoOutbox.FIELD + ".0", new JsonObject().put("$exists", true));
    FindOptions options = new FindOptions().setLimit(batchSize)
        .setFields(new JsonObject().put(MongoOutbox.FIELD, 1));
    return mongo.findWithOptions(collection, pending, options).compose(docs -> {
      List<Future<Integer>> perDoc = new ArrayList<>(docs.size());
      for (JsonObject doc : docs) {
        perDoc.add(publishDocument(collection, doc));
      }
      return Future.all(perDoc).map(all -> {
        int total = 0;
        for (int i = 0; i < all.size(); i++) {
          total += all.<Integer>resultAt(i);
        }
        return total;
      });
    });
  }

  private Future<Integer> publishDocument(String collection, JsonObject doc) {
    JsonArray entries = doc.getJsonArray(MongoOutbox.FIELD, new JsonArray());
    List<Future<Void>> sends = new ArrayList<>(entries.size());
    JsonArray ids = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      ids.add(entry.getString("id"));
      sends.add(publisher.send(entry.getString("topic"), entry.getString("key"), entry.getString("event"),
          java.util.Map.of()));
    }
    JsonObject pull = new JsonObject().put("$pull", new JsonObject().put(MongoOutbox.FIELD,
        new JsonObject().put("id", new JsonObject().put("$in", ids))));
    return Future.all(sends)
        .compose(v -> mongo.updateCollection(collection, new JsonObject().put("_id", doc.getValue("_id")), pull))
        .map(v -> ids.size());
  }

  @Override
  protected Future<Void> closeResources() {
    return wakeups == null ? Future.succeededFuture() : wakeups.unregister();
  }
}
