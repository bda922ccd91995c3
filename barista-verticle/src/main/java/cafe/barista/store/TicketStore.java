package cafe.barista.store;

import cafe.common.store.MongoStore;

import cafe.barista.domain.BaristaEvent;
import cafe.barista.domain.Ticket;
import cafe.barista.domain.Ticket.Move;
import cafe.barista.domain.TicketLine;
import cafe.barista.domain.TicketStatus;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.inbox.MongoInbox;
import cafe.common.outbox.MongoOutbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tickets, one document per order ({@code _id} = order id) carrying its own outbox and inbox, so a
 * status change, the event announcing it and the id of the event that caused it are one atomic
 * update. Every move is conditional on the status the domain decided from, so two instances (or
 * staff and auto mode) can never both make the same move.
 */
public final class TicketStore {
  public static final String COLLECTION = "tickets";
  /** Set while a cancelled ticket's stock is still on its way back to the shelf. */
  private static final String STOCK_OWED = "stockOwed";
  private static final JsonObject WITHOUT_OUTBOX = new JsonObject().put(MongoOutbox.FIELD, 0);

  private final Vertx vertx;
  private final MongoClient mongo;

  public TicketStore(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
  }

  /** A stored ticket with the bookkeeping around it. */
  public record TicketRecord(Ticket ticket, List<String> appliedEvents, boolean stockOwed) {
    public boolean hasApplied(Event event) {
      return appliedEvents.contains(event.id());
    }
  }

  public Future<Void> createIndexes() {
    // The board lists by status, oldest first.
    return mongo.createIndex(COLLECTION, new JsonObject().put("status", 1).put("createdAt", 1));
  }

  public Future<Optional<TicketRecord>> find(String orderId) {
    return mongo.findOne(COLLECTION, byId(orderId), WITHOUT_OUTBOX)
        .map(doc -> Optional.ofNullable(doc).map(TicketStore::record));
  }

  /** Writes a new ticket with its first event; false when the order already has one. */
  public Future<Boolean> insert(Move move, Event cause) {
    Ticket t = move.ticket();
    JsonObject doc = new JsonObject()
        .put("_id", t.orderId())
        .put("customerId", t.customerId())
        .put("items", TicketEvents.lines(t.items()))
        .put("address", t.address())
        .put("status", t.status().name())
        .put("createdAt", t.createdAt().toEpochMilli())
        .put("updatedAt", t.updatedAt().toEpochMilli())
        .put(MongoOutbox.FIELD, MongoOutbox.entries(Topics.BARISTA, List.of(TicketEvents.of(t, move.event()))))
        .put(MongoInbox.FIELD, new JsonArray().add(cause.id()));
    return mongo.insert(COLLECTION, doc)
        .map(id -> {
          MongoOutbox.wake(vertx, COLLECTION, t.orderId());
          return true;
        })
        .recover(err -> MongoStore.isDuplicateKey(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  /** Applies a move decided from {@code before}; false when the ticket moved on in the meantime. */
  public Future<Boolean> move(Ticket before, Move move) {
    Ticket after = move.ticket();
    JsonObject set = new JsonObject()
        .put("status", after.status().name())
        .put("updatedAt", after.updatedAt().toEpochMilli());
    if (after.startedAt() != null) {
      set.put("startedAt", after.startedAt().toEpochMilli());
    }
    JsonObject update = MongoOutbox.push(new JsonObject().put("$set", set), Topics.BARISTA,
        List.of(TicketEvents.of(after, move.event())));
    return updated(byStatus(before), update);
  }

  /**
   * First step of cancelling a queued drink: the ticket is CANCELLED and owes its stock back. The
   * DrinkCancelled event is written by {@link #settleCancelled} once the stock is back, so nobody
   * hears "cancelled, stock returned" before it is true.
   */
  public Future<Boolean> cancelQueued(Ticket before, Move move, Event cause) {
    JsonObject filter = MongoInbox.notApplied(byStatus(before), cause);
    JsonObject update = new JsonObject().put("$set", new JsonObject()
        .put("status", move.ticket().status().name())
        .put("updatedAt", move.ticket().updatedAt().toEpochMilli())
        .put(STOCK_OWED, true));
    return updated(filter, MongoInbox.markApplied(update, cause));
  }

  /** Second step: the stock is back, so the cancellation is announced. */
  public Future<Boolean> settleCancelled(Ticket ticket, BaristaEvent cancelled) {
    JsonObject filter = byId(ticket.orderId()).put(STOCK_OWED, true);
    JsonObject update = MongoOutbox.push(new JsonObject().put("$set", new JsonObject().put(STOCK_OWED, false)),
        Topics.BARISTA, List.of(TicketEvents.of(ticket, cancelled)));
    return updated(filter, update);
  }

  /** Records an answer that leaves the ticket as it is (a refused cancellation), once per cause. */
  public Future<Boolean> answer(Ticket ticket, BaristaEvent event, Event cause) {
    JsonObject filter = MongoInbox.notApplied(byStatus(ticket), cause);
    JsonObject update = MongoOutbox.push(new JsonObject(), Topics.BARISTA, List.of(TicketEvents.of(ticket, event)));
    return updated(filter, MongoInbox.markApplied(update, cause));
  }

  /** Tickets in these statuses, oldest first. */
  public Future<List<Ticket>> list(Collection<TicketStatus> statuses, int limit) {
    JsonArray names = new JsonArray();
    statuses.forEach(s -> names.add(s.name()));
    FindOptions options = new FindOptions()
        .setSort(new JsonObject().put("createdAt", 1).put("_id", 1))
        .setLimit(limit)
        .setFields(new JsonObject().put(MongoOutbox.FIELD, 0).put(MongoInbox.FIELD, 0));
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("status", new JsonObject().put("$in", names)), options)
        .map(docs -> docs.stream().map(TicketStore::ticket).toList());
  }

  /** Cancelled tickets whose stock has not been put back yet (a crash between the two steps). */
  public Future<List<Ticket>> owingStock(int limit) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put(STOCK_OWED, true),
            new FindOptions().setLimit(limit).setFields(WITHOUT_OUTBOX))
        .map(docs -> docs.stream().map(TicketStore::ticket).toList());
  }

  /** For each of these orders that has a ticket: whether it still owes stock. */
  public Future<Map<String, Boolean>> owing(Collection<String> orderIds) {
    if (orderIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    JsonObject filter = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(orderIds))));
    return mongo.findWithOptions(COLLECTION, filter, new FindOptions().setFields(new JsonObject().put(STOCK_OWED, 1)))
        .map(docs -> {
          Map<String, Boolean> owing = new HashMap<>();
          docs.forEach(d -> owing.put(d.getString("_id"), d.getBoolean(STOCK_OWED, false)));
          return owing;
        });
  }

  private Future<Boolean> updated(JsonObject filter, JsonObject update) {
    return mongo.updateCollection(COLLECTION, filter, update).map(r -> {
      boolean done = r.getDocMatched() == 1;
      if (done && update.containsKey("$push")
          && update.getJsonObject("$push").containsKey(MongoOutbox.FIELD)) {
        MongoOutbox.wake(vertx, COLLECTION, filter.getValue("_id"));
      }
      return done;
    });
  }

  private static JsonObject byId(String orderId) {
    return new JsonObject().put("_id", orderId);
  }

  private static JsonObject byStatus(Ticket ticket) {
    return byId(ticket.orderId()).put("status", ticket.status().name());
  }

  private static TicketRecord record(JsonObject doc) {
    List<String> applied = new ArrayList<>();
    doc.getJsonArray(MongoInbox.FIELD, new JsonArray()).forEach(id -> applied.add(String.valueOf(id)));
    return new TicketRecord(ticket(doc), applied, doc.getBoolean(STOCK_OWED, false));
  }

  static Ticket ticket(JsonObject doc) {
    List<TicketLine> lines = new ArrayList<>();
    doc.getJsonArray("items", new JsonArray()).forEach(o -> {
      JsonObject line = (JsonObject) o;
      lines.add(new TicketLine(line.getString("menuItemId"), line.getString("name"), line.getInteger("qty")));
    });
    Long started = doc.getLong("startedAt");
    return new Ticket(doc.getString("_id"), doc.getString("customerId"), lines, doc.getString("address"),
        TicketStatus.valueOf(doc.getString("status")), Instant.ofEpochMilli(doc.getLong("createdAt")),
        Instant.ofEpochMilli(doc.getLong("updatedAt")), started == null ? null : Instant.ofEpochMilli(started));
  }
}
