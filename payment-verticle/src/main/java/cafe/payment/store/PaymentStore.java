package cafe.payment.store;

import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.outbox.PgOutbox;
import cafe.payment.domain.Decision;
import cafe.payment.domain.Payment;
import cafe.payment.domain.PaymentEvent;
import cafe.payment.domain.PaymentEvent.PaymentDeclined;
import cafe.payment.domain.PaymentEvent.PaymentRefunded;
import cafe.payment.domain.PaymentStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The payment service's PostgreSQL: every query in one place. */
public final class PaymentStore {
  public static final String SOURCE = "payment";
  private static final String COLUMNS = "order_id, customer_id, amount, status, card_last4, decline_reason";

  // A concurrent duplicate waits here for the first to commit, then inserts nothing and reads its row.
  private static final String INSERT = "INSERT INTO payments (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6)"
      + " ON CONFLICT (order_id) DO NOTHING RETURNING order_id";
  private static final String RECORD = "WITH charged AS (" + INSERT + ")"
      + " INSERT INTO outbox (topic, event_key, event) SELECT $7, $8, $9 FROM charged RETURNING id";
  private static final String BY_ORDER = "SELECT " + COLUMNS + " FROM payments WHERE order_id = $1";
  private static final String BY_ORDER_FOR_UPDATE = BY_ORDER + " FOR UPDATE";
  private static final String UPDATE_STATUS = "UPDATE payments SET status = $2, updated_at = now() WHERE order_id = $1";

  private final Pool pool;

  public PaymentStore(Pool pool) {
    this.pool = pool;
  }

  public Pool pool() {
    return pool;
  }

  /** The payment stored for the order: this decision's if it is the first, else the one stored before. */
  public record Recorded(Payment payment, boolean first) {
  }

  /**
   * Stores a charge's decision with its event, unless the order already has a payment: one
   * statement, so the row and its event commit together without an explicit transaction.
   */
  public Future<Recorded> record(Decision decision) {
    Payment p = decision.payment();
    List<Event> events = toEvents(decision.events());
    if (events.size() != 1) {
      throw new IllegalArgumentException("a charge announces exactly one event");
    }
    Event e = events.get(0);
    Tuple params = Tuple.of(p.orderId(), p.customerId(), p.amount(), p.status().name(), p.cardLast4(),
            p.declineReason())
        .addString(Topics.PAYMENTS).addString(e.orderId()).addString(e.encode());
    return pool.preparedQuery(RECORD).execute(params).compose(rows -> rows.rowCount() == 1
        ? Future.succeededFuture(new Recorded(p, true))
        // Charged before (or concurrently, and that one committed first): answer with what was stored.
        : pool.preparedQuery(BY_ORDER).execute(Tuple.of(p.orderId()))
            .map(existing -> new Recorded(first(existing).orElseThrow(), false)));
  }

  public Future<Optional<Payment>> find(UUID orderId) {
    return pool.preparedQuery(BY_ORDER).execute(Tuple.of(orderId)).map(PaymentStore::first);
  }

  /**
   * The order was cancelled (inside the caller's transaction). A payment that was approved is
   * refunded once; an order nobody charged yet is voided, so a charge still on its way takes nothing.
   */
  public Future<Decision> refundOrVoid(SqlConnection tx, UUID orderId, String customerId, long amount) {
    Payment voided = Payment.voided(orderId, customerId, amount);
    return insert(tx, voided).compose(inserted -> {
      if (inserted) {
        return Future.succeededFuture(Decision.none(voided));
      }
      return tx.preparedQuery(BY_ORDER_FOR_UPDATE).execute(Tuple.of(orderId)).compose(rows -> {
        Decision decision = first(rows).orElseThrow().refund();
        if (!decision.changed()) {
          return Future.succeededFuture(decision);
        }
        return tx.preparedQuery(UPDATE_STATUS).execute(Tuple.of(orderId, decision.payment().status().name()))
            .compose(v -> PgOutbox.addAll(tx, Topics.PAYMENTS, toEvents(decision.events())))
            .map(decision);
      });
    });
  }

  private static Future<Boolean> insert(SqlConnection tx, Payment p) {
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(p.orderId(), p.customerId(), p.amount(), p.status().name(), p.cardLast4(),
            p.declineReason()))
        .map(rows -> rows.rowCount() == 1);
  }

  private static Optional<Payment> first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Row row = rows.iterator().next();
    return Optional.of(new Payment(row.getUUID("order_id"), row.getString("customer_id"), row.getLong("amount"),
        PaymentStatus.valueOf(row.getString("status")), row.getString("card_last4"),
        row.getString("decline_reason")));
  }

  /** The envelopes of docs/events.md: every data carries orderId, customerId and amount. */
  static List<Event> toEvents(List<PaymentEvent> events) {
    List<Event> envelopes = new ArrayList<>(events.size());
    for (PaymentEvent e : events) {
      Payment p = e.payment();
      JsonObject data = new JsonObject()
          .put("orderId", p.orderId().toString())
          .put("customerId", p.customerId())
          .put("amount", p.amount());
      String type = "PaymentApproved";
      if (e instanceof PaymentDeclined declined) {
        type = "PaymentDeclined";
        data.put("reason", declined.reason());
      } else if (e instanceof PaymentRefunded) {
        type = "PaymentRefunded";
      }
      envelopes.add(Event.of(SOURCE, type, p.orderId().toString(), data));
    }
    return envelopes;
  }
}
