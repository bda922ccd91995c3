package cafe.order.store;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.outbox.PgOutbox;
import cafe.order.domain.CancelReason;
import cafe.order.domain.Menu;
import cafe.order.domain.MenuItem;
import cafe.order.domain.Order;
import cafe.order.domain.OrderLine;
import cafe.order.domain.OrderStatus;
import cafe.order.domain.Transition;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The order service's PostgreSQL: every query in one place. */
public final class OrderStore {
  private static final String COLUMNS = "id, customer_id, status, status_before_cancel, cancel_reason, items, total,"
      + " address, created_at, updated_at";

  private static final String MENU = "SELECT id, name, price, available FROM menu_items ORDER BY position, id";

  // The order and its pending charge in one statement: both or neither. A key already used by
  // this customer inserts nothing (the unique index also settles concurrent duplicates).
  private static final String PLACE = "WITH placed AS ("
      + " INSERT INTO orders (id, customer_id, status, items, total, address, idempotency_key, request_digest,"
      + " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
      + " ON CONFLICT (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id)"
      + " INSERT INTO pending_charges (order_id, card, bearer, next_attempt_at)"
      + " SELECT id, $10, $11, now() + $12::bigint * interval '1 millisecond' FROM placed RETURNING order_id";

  private static final String BY_KEY = "SELECT " + COLUMNS + ", request_digest FROM orders"
      + " WHERE customer_id = $1 AND idempotency_key = $2";

  private static final String BY_ID = "SELECT " + COLUMNS + " FROM orders WHERE id = $1";

  private static final String BY_ID_FOR_UPDATE = BY_ID + " FOR UPDATE";

  private static final String BY_IDS_FOR_UPDATE = "SELECT " + COLUMNS + " FROM orders WHERE id = ANY($1)"
      + " ORDER BY id FOR UPDATE";

  private static final String UPDATE = "UPDATE orders SET status = $2, status_before_cancel = $3, cancel_reason = $4,"
      + " updated_at = $5 WHERE id = $1";

  private static final String SETTLED = "DELETE FROM pending_charges WHERE order_id = $1";

  private static final String PENDING_CHARGE = "SELECT p.order_id, o.customer_id, o.total, p.card, p.bearer, p.attempts"
      + " FROM pending_charges p JOIN orders o ON o.id = p.order_id WHERE p.order_id = $1";

  // Claims due charges for this replica: SKIP LOCKED keeps replicas off each other's rows, and the
  // pushed-back next_attempt_at is both the lease and the backoff (doubling, capped, with jitter).
  private static final String CLAIM_DUE = "WITH due AS ("
      + " SELECT order_id FROM pending_charges WHERE next_attempt_at <= now()"
      + " ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
      + " UPDATE pending_charges p SET attempts = p.attempts + 1,"
      + " next_attempt_at = now() + LEAST($2::float8 * power(2, LEAST(p.attempts, 20)), $3::float8)"
      + "   * (0.8 + random() * 0.4) * interval '1 millisecond'"
      + " FROM due, orders o WHERE p.order_id = due.order_id AND o.id = p.order_id"
      + " RETURNING p.order_id, o.customer_id, o.total, p.card, p.bearer, p.attempts";

  // Applies a decision made on an order read earlier, if the order still stands where it stood then
  // (the machine decides on status and status_before_cancel alone): a compare-and-set that needs no
  // lock and no explicit transaction. $6/$7: the status it was decided on.
  private static final String APPLY = "UPDATE orders SET status = $2, status_before_cancel = $3, cancel_reason = $4,"
      + " updated_at = $5 WHERE id = $1 AND status = $6 AND status_before_cancel IS NOT DISTINCT FROM $7 RETURNING id";

  private final Pool pool;
  private final long menuCacheMs;
  private volatile Future<Menu> menu;
  private volatile long menuLoadedAt;

  public OrderStore(Pool pool, long menuCacheMs) {
    this.pool = pool;
    this.menuCacheMs = menuCacheMs;
  }

  public Pool pool() {
    return pool;
  }

  /** The menu, read at most every {@code MENU_CACHE_MS}: it changes rarely and every order needs it. */
  public Future<Menu> menu() {
    Future<Menu> cached = menu;
    long now = System.currentTimeMillis();
    if (cached != null && now - menuLoadedAt < menuCacheMs && !cached.failed()) {
      return cached;
    }
    Future<Menu> loading = loadMenu();
    menu = loading;
    menuLoadedAt = now;
    return loading;
  }

  private Future<Menu> loadMenu() {
    return pool.preparedQuery(MENU).execute().map(rows -> {
      List<MenuItem> items = new ArrayList<>();
      for (Row row : rows) {
        items.add(new MenuItem(row.getString("id"), row.getString("name"), row.getInteger("price"),
            row.getBoolean("available")));
      }
      return new Menu(items);
    });
  }

  /** The outcome of placing: the new order, or the one placed earlier under the same idempotency key. */
  public record Placement(Order order, boolean created, String requestDigest) {
  }

  /**
   * Stores a new PAYMENT_PENDING order with its pending charge. The retrier may pick the charge
   * up after {@code retryAfterMs} if the first attempt does not settle it.
   */
  public Future<Placement> place(Order order, String card, String bearer, String idempotencyKey, String digest,
      long retryAfterMs) {
    Tuple params = Tuple.tuple()
        .addUUID(order.id())
        .addString(order.customerId())
        .addString(order.status().name())
        .addValue(linesJson(order.lines()))
        .addLong(order.total())
        .addString(order.address())
        .addString(idempotencyKey)
        .addString(idempotencyKey == null ? null : digest)
        .addOffsetDateTime(utc(order.createdAt()))
        .addString(card)
        .addString(bearer)
        .addLong(retryAfterMs);
    return pool.preparedQuery(PLACE).execute(params).compose(rows -> {
      if (rows.rowCount() == 1) {
        return Future.succeededFuture(new Placement(order, true, digest));
      }
      return pool.preparedQuery(BY_KEY).execute(Tuple.of(order.customerId(), idempotencyKey))
          .map(existing -> {
            Row row = existing.iterator().next();
            return new Placement(toOrder(row), false, row.getString("request_digest"));
          });
    });
  }

  /** Orders accepted and not finished (DELIVERED, CANCELLED or REJECTED) yet: the saga's backlog. */
  public Future<Long> inFlight() {
    return pool.query("SELECT count(*) FROM orders_in_flight").execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  public Future<Optional<Order>> find(UUID id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(OrderStore::first);
  }

  /**
   * Orders whose id begins with these 8 hex digits (the short form the pages print), at most {@code limit}: a
   * range of the primary key, so the index answers it.
   */
  public Future<List<Order>> findByShortId(String shortId, int limit) {
    UUID from = UUID.fromString(shortId + "-0000-0000-0000-000000000000");
    UUID to = UUID.fromString(shortId + "-ffff-ffff-ffff-ffffffffffff");
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM orders WHERE id BETWEEN $1 AND $2 LIMIT $3")
        .execute(Tuple.of(from, to, limit)).map(OrderStore::toOrders);
  }

  /** Where a page of orders starts: before an order (its id) or before a moment. */
  public record Before(UUID orderId, Instant at) {
  }

  /** Newest first; {@code customerId} null lists everyone's (staff). */
  public Future<List<Order>> list(String customerId, int limit, Before before) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    if (customerId != null) {
      params.addString(customerId);
      where.add("customer_id = $" + params.size());
    }
    if (before != null && before.orderId() != null) {
      params.addUUID(before.orderId());
      where.add("(created_at, id) < (SELECT created_at, id FROM orders WHERE id = $" + params.size() + ")");
    } else if (before != null && before.at() != null) {
      params.addOffsetDateTime(utc(before.at()));
      where.add("created_at < $" + params.size());
    }
    params.addInteger(limit);
    String sql = "SELECT " + COLUMNS + " FROM orders"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY created_at DESC, id DESC LIMIT $" + params.size();
    return pool.preparedQuery(sql).execute(params).map(OrderStore::toOrders);
  }

  private static List<Order> toOrders(RowSet<Row> rows) {
    List<Order> orders = new ArrayList<>(rows.size());
    for (Row row : rows) {
      orders.add(toOrder(row));
    }
    return orders;
  }

  /**
   * One move of the status machine in its own transaction: the order locked, the domain's decision
   * stored, its events in the outbox. An illegal move fails with the domain's exception and stores
   * nothing.
   */
  public Future<Transition> change(UUID id, Function<Order, Transition> decide) {
    return pool.withTransaction(tx -> change(tx, id, decide));
  }

  /**
   * Stores a decision taken on {@code t.before()} in one statement, unless the order has moved since
   * (answers false: decide again on the order as it is now, e.g. with {@link #change}).
   */
  public Future<Boolean> applyIfUnchanged(Transition t) {
    if (!t.changed()) {
      return Future.succeededFuture(true);
    }
    Order before = t.before();
    Order after = t.after();
    List<Event> events = OrderMessages.toEvents(t.events());
    if (events.size() > 1) {
      return pool.withTransaction(tx -> change(tx, before.id(), current -> sameState(current, before) ? t
          : Transition.none(current)).map(done -> done.changed()));
    }
    StringBuilder sql = new StringBuilder("WITH moved AS (").append(APPLY).append(")");
    boolean settles = before.status() == OrderStatus.PAYMENT_PENDING && after.status() != OrderStatus.PAYMENT_PENDING;
    if (settles) {
      sql.append(", settled AS (DELETE FROM pending_charges WHERE order_id IN (SELECT id FROM moved))");
    }
    Tuple params = Tuple.of(after.id(), after.status().name(), name(after.statusBeforeCancel()),
        after.cancelReason() == null ? null : after.cancelReason().name(), utc(after.updatedAt()),
        before.status().name())
        .addString(name(before.statusBeforeCancel()));
    if (events.isEmpty()) {
      sql.append(" SELECT id FROM moved");
    } else {
      Event e = events.get(0);
      sql.append(" INSERT INTO outbox (topic, event_key, event) SELECT $8, $9, $10 FROM moved RETURNING id");
      params.addString(Topics.ORDERS).addString(e.orderId()).addString(e.encode());
    }
    return pool.preparedQuery(sql.toString()).execute(params).map(rows -> rows.rowCount() == 1);
  }

  private static boolean sameState(Order a, Order b) {
    return a.status() == b.status() && a.statusBeforeCancel() == b.statusBeforeCancel();
  }

  private static String name(OrderStatus status) {
    return status == null ? null : status.name();
  }

  /** The same inside the caller's transaction (the saga's inbox claim shares it). */
  public Future<Transition> change(SqlConnection tx, UUID id, Function<Order, Transition> decide) {
    return tx.preparedQuery(BY_ID_FOR_UPDATE).execute(Tuple.of(id)).compose(rows -> {
      Optional<Order> order = first(rows);
      if (order.isEmpty()) {
        return Future.failedFuture(new NoSuchOrderException(id));
      }
      Transition transition = decide.apply(order.get());
      return save(tx, transition).map(transition);
    });
  }

  /**
   * Locks the orders a batch of saga events is about, in id order (two batches locking the same orders
   * cannot deadlock). An id without an order is simply absent.
   */
  public Future<Map<UUID, Order>> lockAll(SqlConnection tx, Collection<UUID> ids) {
    return tx.preparedQuery(BY_IDS_FOR_UPDATE).execute(Tuple.of(ids.toArray(new UUID[0]))).map(rows -> {
      Map<UUID, Order> orders = new HashMap<>();
      for (Row row : rows) {
        Order order = toOrder(row);
        orders.put(order.id(), order);
      }
      return orders;
    });
  }

  /** Stores several orders' moves inside the caller's transaction, sent back to back on its connection. */
  public Future<Void> saveAll(SqlConnection tx, Collection<Transition> transitions) {
    List<Future<Void>> saved = new ArrayList<>(transitions.size());
    for (Transition t : transitions) {
      saved.add(save(tx, t));
    }
    return Future.all(saved).mapEmpty();
  }

  private Future<Void> save(SqlConnection tx, Transition t) {
    if (!t.changed()) {
      return Future.succeededFuture();
    }
    Order after = t.after();
    Tuple params = Tuple.of(after.id(), after.status().name(),
        after.statusBeforeCancel() == null ? null : after.statusBeforeCancel().name(),
        after.cancelReason() == null ? null : after.cancelReason().name(),
        utc(after.updatedAt()));
    Future<Void> saved = tx.preparedQuery(UPDATE).execute(params).mapEmpty();
    if (t.before().status() == OrderStatus.PAYMENT_PENDING && after.status() != OrderStatus.PAYMENT_PENDING) {
      saved = saved.compose(v -> tx.preparedQuery(SETTLED).execute(Tuple.of(after.id()))).mapEmpty();
    }
    return saved.compose(v -> PgOutbox.addAll(tx, Topics.ORDERS, OrderMessages.toEvents(t.events())));
  }

  /** What a charge needs: who pays, how much, with which card and credential. */
  public record PendingCharge(UUID orderId, String customerId, long amount, String card, String bearer, int attempts) {
  }

  public Future<Optional<PendingCharge>> pendingCharge(UUID orderId) {
    return pool.preparedQuery(PENDING_CHARGE).execute(Tuple.of(orderId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      return Optional.of(toCharge(rows.iterator().next()));
    });
  }

  /** Up to {@code limit} due charges, leased to this replica until their next attempt. */
  public Future<List<PendingCharge>> claimDueCharges(int limit, long backoffMs, long maxBackoffMs) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(limit, (double) backoffMs, (double) maxBackoffMs))
        .map(rows -> {
          List<PendingCharge> due = new ArrayList<>(rows.size());
          for (Row row : rows) {
            due.add(toCharge(row));
          }
          return due;
        });
  }

  private static PendingCharge toCharge(Row row) {
    return new PendingCharge(row.getUUID("order_id"), row.getString("customer_id"), row.getLong("total"),
        row.getString("card"), row.getString("bearer"), row.getInteger("attempts"));
  }

  private static Optional<Order> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toOrder(rows.iterator().next()));
  }

  static Order toOrder(Row row) {
    String before = row.getString("status_before_cancel");
    String reason = row.getString("cancel_reason");
    return new Order(row.getUUID("id"), row.getString("customer_id"), OrderStatus.valueOf(row.getString("status")),
        before == null ? null : OrderStatus.valueOf(before),
        reason == null ? null : CancelReason.valueOf(reason),
        lines((JsonArray) row.getValue("items")), row.getLong("total"), row.getString("address"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  private static List<OrderLine> lines(JsonArray items) {
    List<OrderLine> lines = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      lines.add(new OrderLine(item.getString("menuItemId"), item.getString("name"), item.getInteger("qty"),
          item.getInteger("price")));
    }
    return lines;
  }

  private static JsonArray linesJson(List<OrderLine> lines) {
    JsonArray items = new JsonArray();
    for (OrderLine line : lines) {
      items.add(new JsonObject().put("menuItemId", line.menuItemId()).put("name", line.name())
          .put("qty", line.qty()).put("price", line.price()));
    }
    return items;
  }

  /** Timestamps as stored and shown: milliseconds (PostgreSQL would keep microseconds). */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
