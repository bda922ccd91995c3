package cafe.delivery.store;

import cafe.common.store.MongoStore;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.MongoInbox;
import cafe.common.outbox.MongoOutbox;
import cafe.delivery.domain.Delivery;
import cafe.delivery.domain.Delivery.Move;
import cafe.delivery.domain.DeliveryEvent;
import cafe.delivery.domain.DeliveryEvent.DeliveryStarted;
import cafe.delivery.domain.DeliveryEvent.DeliveryWaiting;
import cafe.delivery.domain.DeliveryStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Deliveries, one document per order ({@code _id} = order id) carrying its own outbox and inbox, so
 * a status change, the event announcing it and the id of the event that caused it are one atomic
 * update. Every move is conditional on the status the domain decided from, so two instances (or a
 * rider and auto mode) can never both make the same move.
 */
public final class DeliveryStore {
  public static final String COLLECTION = "deliveries";
  public static final String SOURCE = "delivery";

  private final Vertx vertx;
  private final MongoClient mongo;

  public DeliveryStore(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
  }

  /** A stored delivery and the ids of the events it has applied. */
  public record DeliveryRecord(Delivery delivery, List<String> appliedEvents) {
    public boolean hasApplied(Event event) {
      return appliedEvents.contains(event.id());
    }
  }

  public Future<Void> createIndexes() {
    // Riders list by status, oldest first.
    return mongo.createIndex(COLLECTION, new JsonObject().put("status", 1).put("createdAt", 1));
  }

  public Future<Optional<DeliveryRecord>> find(String orderId) {
    return mongo.findOne(COLLECTION, byId(orderId), new JsonObject().put(MongoOutbox.FIELD, 0))
        .map(doc -> Optional.ofNullable(doc).map(d -> new DeliveryRecord(delivery(d), applied(d))));
  }

  /** Writes a new delivery with its first event; false when the order already has one. */
  public Future<Boolean> insert(Move move, Event cause) {
    Delivery d = move.delivery();
    JsonObject doc = new JsonObject()
        .put("_id", d.orderId())
        .put("customerId", d.customerId())
        .put("address", d.address())
        .put("status", d.status().name())
        .put("createdAt", d.createdAt().toEpochMilli())
        .put("updatedAt", d.updatedAt().toEpochMilli())
        .put(MongoOutbox.FIELD, MongoOutbox.entries(Topics.DELIVERIES, List.of(event(d, move.event()))))
        .put(MongoInbox.FIELD, MongoInbox.appliedBy(cause));
    return mongo.insert(COLLECTION, doc)
        .map(id -> {
          MongoOutbox.wake(vertx, COLLECTION, d.orderId());
          return true;
        })
        .recover(err -> MongoStore.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** Applies a move decided from {@code before}; false when the delivery moved on in the meantime. */
  public Future<Boolean> move(Delivery before, Move move) {
    return update(byStatus(before), move);
  }

  /** Applies a move caused by an event, once per event. */
  public Future<Boolean> move(Delivery before, Move move, Event cause) {
    return update(MongoInbox.notApplied(byStatus(before), cause), move, cause);
  }

  /** Deliveries in these statuses, oldest first. */
  public Future<List<Delivery>> list(Collection<DeliveryStatus> statuses, int limit) {
    JsonArray names = new JsonArray();
    statuses.forEach(s -> names.add(s.name()));
    FindOptions options = new FindOptions()
        .setSort(new JsonObject().put("createdAt", 1).put("_id", 1))
        .setLimit(limit)
        .setFields(new JsonObject().put(MongoOutbox.FIELD, 0).put(MongoInbox.FIELD, 0));
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("status", new JsonObject().put("$in", names)), options)
        .map(docs -> docs.stream().map(DeliveryStore::delivery).toList());
  }

  private Future<Boolean> update(JsonObject filter, Move move) {
    return update(filter, move, null);
  }

  private Future<Boolean> update(JsonObject filter, Move move, Event cause) {
    Delivery after = move.delivery();
    JsonObject set = new JsonObject()
        .put("status", after.status().name())
        .put("updatedAt", after.updatedAt().toEpochMilli());
    if (after.rider() != null) {
      set.put("rider", after.rider());
    }
    if (after.pickedUpAt() != null) {
      set.put("pickedUpAt", after.pickedUpAt().toEpochMilli());
    }
    JsonObject update = MongoOutbox.push(new JsonObject().put("$set", set), Topics.DELIVERIES,
        List.of(event(after, move.event())));
    if (cause != null) {
      MongoInbox.markApplied(update, cause);
    }
    return mongo.updateCollection(COLLECTION, filter, update).map(r -> {
      boolean done = r.getDocMatched() == 1;
      if (done) {
        MongoOutbox.wake(vertx, COLLECTION, after.orderId());
      }
      return done;
    });
  }

  /** The contract's {@code cafe.deliveries} events (docs/events.md). */
  static Event event(Delivery d, DeliveryEvent event) {
    JsonObject data = new JsonObject().put("orderId", d.orderId()).put("customerId", d.customerId());
    if (event instanceof DeliveryWaiting waiting) {
      data.put("address", waiting.address());
    } else if (event instanceof DeliveryStarted started) {
      data.put("rider", started.rider());
    }
    return Event.of(SOURCE, event.type(), d.orderId(), data);
  }

  private static JsonObject byId(String orderId) {
    return new JsonObject().put("_id", orderId);
  }

  private static JsonObject byStatus(Delivery d) {
    return byId(d.orderId()).put("status", d.status().name());
  }

  private static List<String> applied(JsonObject doc) {
    List<String> ids = new ArrayList<>();
    doc.getJsonArray(MongoInbox.FIELD, new JsonArray()).forEach(id -> ids.add(String.valueOf(id)));
    return ids;
  }

  static Delivery delivery(JsonObject doc) {
    Long picked = doc.getLong("pickedUpAt");
    return new Delivery(doc.getString("_id"), doc.getString("customerId"), doc.getString("address"),
        DeliveryStatus.valueOf(doc.getString("status")), doc.getString("rider"),
        Instant.ofEpochMilli(doc.getLong("createdAt")), Instant.ofEpochMilli(doc.getLong("updatedAt")),
        picked == null ? null : Instant.ofEpochMilli(picked));
  }

}
