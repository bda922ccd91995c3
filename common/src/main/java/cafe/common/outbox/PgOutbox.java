package cafe.common.outbox;

import cafe.common.events.Event;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes events into the outbox table on the caller's connection, so they commit or roll back
 * with the state change they announce. A trigger wakes the relay on commit.
 */
public final class PgOutbox {
  private static final String INSERT = "INSERT INTO outbox (topic, event_key, event) VALUES ($1, $2, $3)";

  private PgOutbox() {
  }

  public static Future<Void> add(SqlConnection tx, String topic, Event event) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(topic, event.orderId(), event.encode())).mapEmpty();
  }

  public static Future<Void> addAll(SqlConnection tx, String topic, List<Event> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(events.size());
    for (Event e : events) {
      rows.add(Tuple.of(topic, e.orderId(), e.encode()));
    }
    return tx.preparedQuery(INSERT).executeBatch(rows).mapEmpty();
  }
}
