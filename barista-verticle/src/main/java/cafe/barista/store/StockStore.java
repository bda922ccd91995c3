package cafe.barista.store;

import cafe.common.store.MongoStore;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * All stock lives in ONE document, {@code {_id: "stock", items: {latte: 40, ...}, ops: [...]}}, so
 * taking every item of an order is one conditional update: the filter asks for enough of each item
 * and the update decrements them all, or nothing matches and nothing is taken. No transaction, no
 * oversell, however many barista instances race for the last croissant.
 *
 * <p>The same update records what it did in {@code ops} ({@code take:<orderId>},
 * {@code refuse:<orderId>}, {@code return:<orderId>}), and every update is guarded by the absence
 * of its own op. That is what makes the steps after it safe to repeat: if a barista dies between
 * taking the stock and writing the ticket, the redelivered OrderPlaced finds {@code take:<orderId>}
 * here, takes nothing more and only writes the ticket; a second instance handling the same order at
 * the same time (a rebalance) cannot take it twice either. Exactly one of take or refuse can ever be
 * recorded for an order, because each requires both to be absent: the decision is made once, here.
 *
 * <p>Ops are forgotten as soon as their ticket shows the outcome, so the document stays small (it is
 * rewritten by every take). Forgetting counts up {@code tidied}, and a take or a return is made only
 * while {@code tidied} is what it was when the stock was read, before the ticket was looked at: an
 * instance that read "no ticket yet" just before another one wrote the ticket and forgot the op
 * finds its update refused, reads again and sees the ticket.
 *
 * <p>Cancelling runs the other way round: the ticket first becomes CANCELLED and owes its stock
 * ({@code stockOwed}, conditional on QUEUED, so it cannot race a start), then {@code return:<orderId>}
 * puts the stock back once, then the ticket stops owing and announces DrinkCancelled. A crash in
 * between leaves a ticket that owes stock; the redelivered request, or the housekeeping sweep,
 * finishes it, and the return op makes the repeat harmless.
 *
 * <p>Left open: if an OrderPlaced is parked on the DLQ after its stock was taken but before its
 * ticket was written, the take op stays (it is never forgotten without a ticket) and so does the
 * stock it holds, until staff correct the level.
 */
public final class StockStore {
  public static final String COLLECTION = "stock";
  private static final String ID = "stock";
  private static final String TIDIED = "tidied";

  private final MongoClient mongo;

  public StockStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** What the stock document says about one order's earlier decision. */
  public record Decision(boolean taken, List<String> missing) {
  }

  /** What an op recorded. */
  public enum OpKind { TAKE, REFUSE, RETURN }

  /** One recorded op: what was done for which order, and when. */
  public record Op(OpKind kind, String orderId, long at, List<String> missing) {
    String id() {
      return kind.name().toLowerCase(Locale.ROOT) + ":" + orderId;
    }
  }

  /** The stock levels, the recorded ops and how many times ops were forgotten, as read at one moment. */
  public record Snapshot(Map<String, Integer> levels, List<Op> ops, long tidied) {
    public Optional<Decision> decisionFor(String orderId) {
      for (Op op : ops) {
        if (op.orderId().equals(orderId) && op.kind() != OpKind.RETURN) {
          return Optional.of(new Decision(op.kind() == OpKind.TAKE, op.missing()));
        }
      }
      return Optional.empty();
    }

    public boolean has(OpKind kind, String orderId) {
      return ops.stream().anyMatch(op -> op.kind() == kind && op.orderId().equals(orderId));
    }
  }

  /** Creates the document and any item it lacks with {@code quantity}; levels already there stay. */
  public Future<Void> seed(Collection<String> menu, int quantity) {
    JsonObject initial = new JsonObject();
    menu.forEach(item -> initial.put(item, quantity));
    JsonObject insert = new JsonObject().put("$setOnInsert",
        new JsonObject().put("items", initial).put("ops", new JsonArray()).put(TIDIED, 0L));
    return mongo.updateCollectionWithOptions(COLLECTION, byId(), insert, new UpdateOptions().setUpsert(true))
        // Two instances starting together may both try the upsert; the loser finds the document there.
        .recover(err -> MongoStore.isDuplicateKey(err) ? Future.succeededFuture() : Future.failedFuture(err))
        .compose(v -> {
          List<Future<?>> missing = new ArrayList<>();
          // A document written before the counter existed starts counting now.
          missing.add(mongo.updateCollection(COLLECTION, byId().put(TIDIED, new JsonObject().put("$exists", false)),
              new JsonObject().put("$set", new JsonObject().put(TIDIED, 0L))));
          for (String item : menu) {
            JsonObject absent = byId().put("items." + item, new JsonObject().put("$exists", false));
            missing.add(mongo.updateCollection(COLLECTION, absent,
                new JsonObject().put("$set", new JsonObject().put("items." + item, quantity))));
          }
          return Future.all(missing).mapEmpty();
        });
  }

  /**
   * Takes all of {@code needs} for the order, or nothing; false when short, already decided, or when
   * ops were forgotten since the snapshot that showed {@code tidied}.
   */
  public Future<Boolean> take(String orderId, Map<String, Integer> needs, long now, long tidied) {
    JsonObject filter = undecided(orderId).put(TIDIED, tidied);
    JsonObject inc = new JsonObject();
    needs.forEach((item, qty) -> {
      filter.put("items." + item, new JsonObject().put("$gte", qty));
      inc.put("items." + item, -qty);
    });
    JsonObject update = new JsonObject().put("$inc", inc)
        .put("$push", new JsonObject().put("ops", op(takeOp(orderId), now)));
    return mongo.updateCollection(COLLECTION, filter, update).map(r -> r.getDocMatched() == 1);
  }

  /**
   * Records the refusal, but only while every item in {@code missing} is still short and nothing was
   * decided: a refusal is never recorded for stock that came back in the meantime.
   */
  public Future<Boolean> refuse(String orderId, List<String> missing, Map<String, Integer> needs, long now) {
    JsonObject filter = undecided(orderId);
    for (String item : missing) {
      // $not also matches an item the bar does not stock at all.
      filter.put("items." + item, new JsonObject().put("$not", new JsonObject().put("$gte", needs.get(item))));
    }
    JsonObject update = new JsonObject().put("$push", new JsonObject().put("ops",
        op(refuseOp(orderId), now).put("missing", new JsonArray(new ArrayList<>(missing)))));
    return mongo.updateCollection(COLLECTION, filter, update).map(r -> r.getDocMatched() == 1);
  }

  /**
   * Puts the order's stock back once; false when a repeat finds {@code return:<orderId>} or when ops
   * were forgotten since the snapshot that showed {@code tidied}.
   */
  public Future<Boolean> giveBack(String orderId, Map<String, Integer> needs, long now, long tidied) {
    JsonObject filter = byId().put("ops.id", new JsonObject().put("$ne", returnOp(orderId))).put(TIDIED, tidied);
    JsonObject inc = new JsonObject();
    needs.forEach((item, qty) -> inc.put("items." + item, qty));
    JsonObject update = new JsonObject().put("$push", new JsonObject().put("ops", op(returnOp(orderId), now)));
    if (!inc.isEmpty()) {
      update.put("$inc", inc);
    }
    return mongo.updateCollection(COLLECTION, filter, update).map(r -> r.getDocMatched() == 1);
  }

  public Future<Snapshot> read() {
    return mongo.findOne(COLLECTION, byId(), null).map(doc -> {
      Map<String, Integer> levels = new LinkedHashMap<>();
      List<Op> ops = new ArrayList<>();
      if (doc == null) {
        return new Snapshot(levels, ops, 0);
      }
      doc.getJsonObject("items", new JsonObject()).forEach(e -> levels.put(e.getKey(), ((Number) e.getValue()).intValue()));
      doc.getJsonArray("ops", new JsonArray()).forEach(o -> ops.add(op((JsonObject) o)));
      return new Snapshot(levels, ops, doc.getLong(TIDIED, 0L));
    });
  }

  /** Sets a level; false when the bar does not stock the item. */
  public Future<Boolean> set(String menuItemId, int quantity) {
    JsonObject filter = byId().put("items." + menuItemId, new JsonObject().put("$exists", true));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("items." + menuItemId, quantity));
    return mongo.updateCollection(COLLECTION, filter, update).map(r -> r.getDocMatched() == 1);
  }

  /** Drops ops whose outcome the tickets now carry, and counts up {@code tidied}. */
  public Future<Void> forget(Collection<Op> settled) {
    if (settled.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray ids = new JsonArray();
    settled.forEach(op -> ids.add(op.id()));
    JsonObject pull = new JsonObject().put("$pull", new JsonObject().put("ops",
        new JsonObject().put("id", new JsonObject().put("$in", ids))))
        .put("$inc", new JsonObject().put(TIDIED, 1L));
    return mongo.updateCollection(COLLECTION, byId(), pull).mapEmpty();
  }

  private static String takeOp(String orderId) {
    return new Op(OpKind.TAKE, orderId, 0, List.of()).id();
  }

  private static String refuseOp(String orderId) {
    return new Op(OpKind.REFUSE, orderId, 0, List.of()).id();
  }

  private static String returnOp(String orderId) {
    return new Op(OpKind.RETURN, orderId, 0, List.of()).id();
  }

  private static Op op(JsonObject json) {
    String id = json.getString("id");
    int colon = id.indexOf(':');
    List<String> missing = new ArrayList<>();
    json.getJsonArray("missing", new JsonArray()).forEach(m -> missing.add(String.valueOf(m)));
    return new Op(OpKind.valueOf(id.substring(0, colon).toUpperCase(Locale.ROOT)), id.substring(colon + 1),
        json.getLong("at", 0L), missing);
  }

  private static JsonObject undecided(String orderId) {
    return byId().put("ops.id", new JsonObject().put("$nin", new JsonArray().add(takeOp(orderId)).add(refuseOp(orderId))));
  }

  private static JsonObject op(String id, long now) {
    return new JsonObject().put("id", id).put("at", now);
  }

  private static JsonObject byId() {
    return new JsonObject().put("_id", ID);
  }
}
