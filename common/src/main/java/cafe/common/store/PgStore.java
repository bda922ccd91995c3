package cafe.common.store;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.URI;

/** A service's PostgreSQL: {@code PG_URL} (postgresql://user:password@host:port/database). */
public record PgStore(String url, PgConnectOptions connectOptions, int poolSize) {

  public static PgStore from(Env env, String defaultDatabase) {
    URI uri = env.url("PG_URL", "postgresql://postgres@127.0.0.1:15432/" + defaultDatabase,
        "postgresql", "postgres");
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(uri.toString());
    } catch (RuntimeException e) {
      throw new ConfigException("PG_URL=" + Env.redact(uri.toString()) + " is not a PostgreSQL URL: " + e.getMessage());
    }
    options.setCachePreparedStatements(true).setPipeliningLimit(256).setReconnectAttempts(2).setReconnectInterval(500);
    return new PgStore(uri.toString(), options, env.integer("PG_POOL_SIZE", 8));
  }

  public Pool pool(Vertx vertx) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(poolSize).setShared(false))
        .connectingTo(connectOptions)
        .using(vertx)
        .build();
  }

  /** Pool checked at once (fail fast), migrated, ready-checked and closed at shutdown. */
  public Future<Pool> open(cafe.common.launch.ServiceRuntime runtime, java.util.List<String> migrations) {
    Pool pool = pool(runtime.vertx());
    return ping(pool)
        .compose(v -> PgMigrations.apply(runtime.vertx(), pool, migrations))
        .map(v -> {
          runtime.onStop(pool::close);
          runtime.readyWhen("postgresql", () -> ping(pool));
          return pool;
        })
        .onFailure(err -> pool.close());
  }

  /** A round trip, for readiness and for failing fast at start with the setting's name. */
  public Future<Void> ping(Pool pool) {
    return pool.query("SELECT 1").execute().<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new ConfigException(
            "PG_URL=" + Env.redact(url) + " cannot be reached: " + err.getMessage())));
  }
}
