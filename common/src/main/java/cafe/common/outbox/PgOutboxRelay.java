package cafe.common.outbox;

import cafe.common.kafka.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL relay. One replica publishes at a time (a transaction-scoped advisory lock), which
 * keeps each order's events in commit order even with several replicas. Rows are marked sent in
 * one statement per batch; sent rows older than an hour are deleted now and then.
 */
public final class PgOutboxRelay extends OutboxRelay {
  private static final long LOCK = 7_316_001L;
  private static final String CHANNEL = "cafe_outbox";

  private final Pool pool;
  private final EventPublisher publisher;
  private final PgSubscriber subscriber;
  private long batches;

  private PgOutboxRelay(Vertx vertx, Pool pool, PgConnectOptions connect, EventPublisher publisher,
      Settings settings, MeterRegistry metrics) {
    super(vertx, settings, metrics, "postgresql");
    this.pool = pool;
    this.publisher = publisher;
    this.subscriber = PgSubscriber.subscriber(vertx, connect)
        .reconnectPolicy(attempts -> 1000L);
  }

  public static Future<PgOutboxRelay> start(Vertx vertx, Pool pool, PgConnectOptions connect,
      EventPublisher publisher, Settings settings, MeterRegistry metrics) {
    PgOutboxRelay relay = new PgOutboxRelay(vertx, pool, connect, publisher, settings, metrics);
    relay.subscriber.channel(CHANNEL).handler(payload -> relay.wake());
    return relay.subscriber.connect().map(v -> {
      relay.startPolling();
      return relay;
    });
  }

  /** The relay of a service's database; it stops before the pool and producer close. */
  public static Future<PgOutboxRelay> start(cafe.common.launch.ServiceRuntime runtime, Pool pool,
      cafe.common.store.PgStore store, EventPublisher publisher) {
    return start(runtime.vertx(), pool, store.connectOptions(), publisher, Settings.from(runtime.env()),
        runtime.metrics()).onSuccess(relay -> runtime.onStop(relay::stop));
  }

  @Override
  protected Future<Integer> publishBatch() {
    return pool.withTransaction(tx -> tx.query("SELECT pg_try_advisory_xact_lock(" + LOCK + ")").execute()
        .compose(lock -> lock.iterator().next().getBoolean(0) ? publishLocked(tx) : Future.succeededFuture(0)));
  }

  private Future<Integer> publishLocked(SqlConnection tx) {
    return tx.preparedQuery("SELECT id, topic, event_key, event, created_at FROM outbox WHERE sent_at IS NULL"
            + " ORDER BY id LIMIT $1")
        .execute(Tuple.of(batchSize))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(0);
          }
          List<Future<Void>> sends = new ArrayList<>(rows.size());
          List<Long> ids = new ArrayList<>(rows.size());
          List<Long> written = new ArrayList<>(rows.size());
          for (Row row : rows) {
            ids.add(row.getLong("id"));
            written.add(row.getOffsetDateTime("created_at").toInstant().toEpochMilli());
            // Sent back to back: the idempotent producer keeps their order per partition.
            sends.add(publisher.send(row.getString("topic"), row.getString("event_key"), row.getString("event"), java.util.Map.of()));
          }
          return Future.all(sends)
              .onSuccess(v -> written.forEach(this::waited))
              .compose(v -> tx.preparedQuery("UPDATE outbox SET sent_at = now() WHERE id = ANY($1)")
                  .execute(Tuple.of(ids.toArray(new Long[0]))))
              .compose(v -> ++batches % 500 == 0 ? purge(tx) : Future.succeededFuture())
              .map(v -> ids.size());
        });
  }

  private Future<Void> purge(SqlConnection tx) {
    return tx.query("DELETE FROM outbox WHERE sent_at < now() - interval '1 hour'").execute().mapEmpty();
  }

  @Override
  protected Future<Void> closeResources() {
    return subscriber.close();
  }
}
