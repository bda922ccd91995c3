package cafe.common.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Versioned schema migrations: classpath SQL files applied once each, in the order given, under an
 * advisory lock so replicas starting together do not race. The outbox and inbox come first.
 */
public final class PgMigrations {
  public static final String COMMON = "db/common/V1__outbox_inbox.sql";
  private static final long LOCK = 7_316_000L;

  private PgMigrations() {
  }

  public static Future<Void> apply(Vertx vertx, Pool pool, List<String> serviceMigrations) {
    List<String> all = new ArrayList<>();
    all.add(COMMON);
    all.addAll(serviceMigrations);
    return vertx.executeBlocking(() -> read(all))
        .compose(scripts -> pool.withTransaction(conn -> applyAll(conn, scripts)));
  }

  private static Future<Void> applyAll(SqlConnection conn, Map<String, String> scripts) {
    return conn.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute()
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations ("
            + "name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT name FROM schema_migrations").execute())
        .compose(rows -> {
          Set<String> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getString(0));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Map.Entry<String, String> script : scripts.entrySet()) {
            if (!applied.contains(script.getKey())) {
              chain = chain
                  .compose(v -> conn.query(script.getValue()).execute())
                  .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (name) VALUES ($1)")
                      .execute(Tuple.of(script.getKey())))
                  .mapEmpty();
            }
          }
          return chain;
        });
  }

  private static Map<String, String> read(List<String> resources) throws IOException {
    Map<String, String> scripts = new LinkedHashMap<>();
    for (String resource : resources) {
      try (InputStream in = PgMigrations.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("migration " + resource + " is not on the classpath");
        }
        scripts.put(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return scripts;
  }
}
