package cafe.common.inbox;

import cafe.common.events.Event;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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

  /**
   * Claims a whole batch in one statement (inside the caller's transaction): answers the ids claimed
   * now, each once, in the batch's order; ids applied before (or twice in the batch) are left out.
   */
  public static Future<Set<String>> claimAll(SqlConnection tx, List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String[] ids = new String[events.size()];
    String[] types = new String[events.size()];
    for (int i = 0; i < events.size(); i++) {
      ids[i] = events.get(i).id();
      types[i] = events.get(i).type();
    }
    return tx.preparedQuery("INSERT INTO inbox (event_id, event_type) SELECT * FROM unnest($1::text[], $2::text[])"
            + " ON CONFLICT DO NOTHING RETURNING event_id")
        .execute(Tuple.of(ids, types))
        .map(rows -> {
          Set<String> claimed = new LinkedHashSet<>();
          for (Row row : rows) {
            claimed.add(row.getString(0));
          }
          return claimed;
        });
  }

  /** Runs {@code effect} in a transaction unless this event was applied before. */
  public static Future<Void> once(Pool pool, Event event, Function<SqlConnection, Future<Void>> effect) {
    return pool.withTransaction(tx -> claim(tx, event)
        .compose(first -> first ? effect.apply(tx) : Future.succeededFuture()));
  }
}
