package cafe.common.inbox;

import cafe.common.events.Event;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/** Applies an event's effect at most once: its id and the effect commit in one transaction. */
public final class PgInbox {
  private PgInbox() {
  }

  /** True the first time this event id is claimed on this database (inside the caller's transaction). */
  public static Future<Boolean> claim(SqlConnection tx, Event event) {
    return tx.preparedQuery("INSERT INTO inbox (event_id, event_type) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(event.id(), event.type()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Runs {@code effect} in a transaction unless this event was applied before. */
  public static Future<Void> once(Pool pool, Event event, Function<SqlConnection, Future<Void>> effect) {
    return pool.withTransaction(tx -> claim(tx, event)
        .compose(first -> first ? effect.apply(tx) : Future.succeededFuture()));
  }
}
