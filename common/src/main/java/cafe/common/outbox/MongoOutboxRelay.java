package cafe.common.outbox;

import cafe.common.kafka.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MongoDB relay: finds documents with pending events, publishes each document's events in
 * order, then pulls exactly those entries out, one bulk write for the batch. Woken by writers in
 * this process over the local event bus, with the document they wrote: those documents are read by
 * id, which costs the same however large the collection is. Looking through a whole collection for
 * pending events happens only at start, on every tenth periodic poll and on a wake-up that names no
 * document (anything a crash or a lost wake-up left behind).
 */
public final class MongoOutboxRelay extends OutboxRelay {
  private final MongoClient mongo;
  private final List<String> collections;
  private final EventPublisher publisher;
  private MessageConsumer<Object> wakeups;
  /** Documents named by wake-ups and not published yet, per collection, oldest first. */
  private final Map<String, Set<Object>> named = new LinkedHashMap<>();
  private boolean sweepDue = true;
  private long polls;
  private static final int POLLS_PER_SWEEP = 10;

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
    relay.wakeups = vertx.eventBus().localConsumer(MongoOutbox.WAKE_ADDRESS, msg -> {
      relay.noted(msg.body());
      relay.wake();
    });
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

  private void noted(Object body) {
    synchronized (named) {
      if (body instanceof JsonObject doc && collections.contains(doc.getString("collection"))
          && doc.getValue("id") != null) {
        named.computeIfAbsent(doc.getString("collection"), c -> new LinkedHashSet<>()).add(doc.getValue("id"));
      } else {
        sweepDue = true;
      }
    }
  }

  /**
   * Every {@link #POLLS_PER_SWEEP}th poll looks through the collections: writers in this process name
   * their documents, so the look is only for what a crash left behind, and on a store without
   * secondary indexes (the local stand-in) it reads every document while holding the collection.
   */
  @Override
  protected void polled() {
    synchronized (named) {
      if (++polls % POLLS_PER_SWEEP == 0) {
        sweepDue = true;
      }
    }
  }

  @Override
  protected Future<Integer> publishBatch() {
    Map<String, List<Object>> ids = new LinkedHashMap<>();
    boolean sweep;
    synchronized (named) {
      sweep = sweepDue;
      sweepDue = false;
      // A look through everything leaves the named documents for the next run, which reads them by id.
      if (!sweep) {
        for (Map.Entry<String, Set<Object>> e : named.entrySet()) {
          List<Object> taken = new ArrayList<>();
          for (Iterator<Object> it = e.getValue().iterator(); it.hasNext() && taken.size() < batchSize; ) {
            taken.add(it.next());
            it.remove();
          }
          if (!taken.isEmpty()) {
            ids.put(e.getKey(), taken);
          }
        }
      }
    }
    List<Future<Integer>> perCollection = new ArrayList<>();
    for (String collection : collections) {
      List<Object> wanted = ids.get(collection);
      if (sweep) {
        perCollection.add(publishCollection(collection, null));
      } else if (wanted != null) {
        perCollection.add(publishCollection(collection, wanted).onFailure(err -> again(collection, wanted)));
      }
    }
    return Future.all(perCollection).map(all -> {
      int total = 0;
      for (int i = 0; i < all.size(); i++) {
        total += all.<Integer>resultAt(i);
      }
      return total;
    }).onComplete(ar -> {
      boolean more;
      synchronized (named) {
        if (sweep && (ar.failed() || ar.result() >= batchSize)) {
          // Not finished: the next run looks through everything again.
          sweepDue = true;
        }
        more = named.values().stream().anyMatch(set -> !set.isEmpty());
      }
      if (more) {
        wake();
      }
    });
  }

  /** Named documents whose publication failed are tried again with the next run. */
  private void again(String collection, List<Object> ids) {
    synchronized (named) {
      named.computeIfAbsent(collection, c -> new LinkedHashSet<>()).addAll(ids);
    }
  }

  /** Publishes the pending events of the given documents, or of any documents when {@code ids} is null. */
  private Future<Integer> publishCollection(String collection, List<Object> ids) {
    // By id the filter names _id alone, so any store answers it from the _id index.
    JsonObject pending = ids == null
        ? new JsonObject().put(MongoOutbox.FIELD + ".0", new JsonObject().put("$exists", true))
        : new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(ids)));
    FindOptions options = new FindOptions().setLimit(batchSize)
        .setFields(new JsonObject().put(MongoOutbox.FIELD, 1));
    return mongo.findWithOptions(collection, pending, options).compose(docs -> {
      List<JsonObject> withEvents = new ArrayList<>(docs.size());
      List<Future<JsonArray>> published = new ArrayList<>(docs.size());
      for (JsonObject doc : docs) {
        if (!doc.getJsonArray(MongoOutbox.FIELD, new JsonArray()).isEmpty()) {
          withEvents.add(doc);
          published.add(publishDocument(doc));
        }
      }
      return Future.join(published).transform(ignored -> pullPublished(collection, withEvents, published));
    });
  }

  /** Sends a document's events in order; the ids of its entries once Kafka has them all. */
  private Future<JsonArray> publishDocument(JsonObject doc) {
    JsonArray entries = doc.getJsonArray(MongoOutbox.FIELD, new JsonArray());
    List<Future<Void>> sends = new ArrayList<>(entries.size());
    JsonArray ids = new JsonArray();
    List<Long> written = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      ids.add(entry.getString("id"));
      if (entry.getValue("at") instanceof Number at) {
        written.add(at.longValue());
      }
      sends.add(publisher.send(entry.getString("topic"), entry.getString("key"), entry.getString("event"),
          java.util.Map.of()));
    }
    return Future.all(sends)
        .onSuccess(v -> written.forEach(this::waited))
        .map(v -> ids);
  }

  /**
   * Pulls the sent entries out of every document whose events all went out, in one bulk write; a
   * document whose sends failed keeps its entries for the next run, and the run reports the failure.
   */
  private Future<Integer> pullPublished(String collection, List<JsonObject> docs, List<Future<JsonArray>> published) {
    List<BulkOperation> pulls = new ArrayList<>(docs.size());
    int sent = 0;
    Throwable failure = null;
    for (int i = 0; i < docs.size(); i++) {
      Future<JsonArray> ids = published.get(i);
      if (ids.failed()) {
        failure = failure == null ? ids.cause() : failure;
        continue;
      }
      sent += ids.result().size();
      pulls.add(BulkOperation.createUpdate(new JsonObject().put("_id", docs.get(i).getValue("_id")),
          new JsonObject().put("$pull", new JsonObject().put(MongoOutbox.FIELD,
              new JsonObject().put("id", new JsonObject().put("$in", ids.result()))))));
    }
    int total = sent;
    Throwable failed = failure;
    Future<Integer> pulled = pulls.isEmpty()
        ? Future.succeededFuture(0)
        : mongo.bulkWriteWithOptions(collection, pulls, new BulkWriteOptions(false)).map(r -> total);
    return failed == null ? pulled : pulled.transform(ar -> Future.failedFuture(failed));
  }

  @Override
  protected Future<Void> closeResources() {
    return wakeups == null ? Future.succeededFuture() : wakeups.unregister();
  }
}
