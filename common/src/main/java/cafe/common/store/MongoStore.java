package cafe.common.store;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.net.URI;

/** A service's MongoDB: {@code MONGO_URL} (mongodb://host:port/database). */
public record MongoStore(String url, String database, int poolSize) {
  private static final int DUPLICATE_KEY = 11000;

  public static MongoStore from(Env env, String defaultDatabase) {
    URI uri = env.url("MONGO_URL", "mongodb://127.0.0.1:17017/" + defaultDatabase, "mongodb", "mongodb+srv");
    String path = uri.getPath();
    String database = path == null || path.length() <= 1 ? defaultDatabase : path.substring(1);
    return new MongoStore(uri.toString(), database, env.integer("MONGO_POOL_SIZE", 8));
  }

  public MongoClient client(Vertx vertx) {
    return MongoClient.create(vertx, new JsonObject()
        .put("connection_string", url)
        .put("db_name", database)
        .put("maxPoolSize", poolSize)
        .put("serverSelectionTimeoutMS", 3000)
        .put("connectTimeoutMS", 3000));
  }

  /**
   * Client checked at once, ready-checked and closed at shutdown. A server that refuses the connection fails the
   * start at once; one that is there but slow to answer (busy, or starting beside everything else on a loaded
   * node) is asked again until {@code STORE_START_TIMEOUT_MS} (30 s) has passed.
   */
  public Future<MongoClient> open(cafe.common.launch.ServiceRuntime runtime) {
    MongoClient client = client(runtime.vertx());
    long deadline = System.nanoTime() + runtime.env().millis("STORE_START_TIMEOUT_MS", 30_000) * 1_000_000;
    return pingAtStart(runtime.vertx(), client, deadline)
        .map(v -> {
          runtime.onStop(client::close);
          runtime.readyWhen("mongodb", () -> ping(client));
          return client;
        })
        .onFailure(err -> client.close());
  }

  private Future<Void> pingAtStart(Vertx vertx, MongoClient client, long deadline) {
    return ping(client).recover(err -> {
      String why = String.valueOf(err.getMessage());
      boolean refused = why.contains("Connection refused") || why.contains("UnknownHost");
      if (refused || System.nanoTime() > deadline) {
        return Future.failedFuture(err);
      }
      return vertx.timer(500).compose(t -> pingAtStart(vertx, client, deadline));
    });
  }

  /** A round trip, for readiness and for failing fast at start with the setting's name. */
  public Future<Void> ping(MongoClient client) {
    return client.runCommand("ping", new JsonObject().put("ping", 1)).<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new ConfigException(
            "MONGO_URL=" + Env.redact(url) + " cannot be reached: " + err.getMessage())));
  }

  /** An insert or upsert lost to a document with the same id: for an inbox keyed by id, "already applied". */
  public static boolean isDuplicateKey(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof com.mongodb.MongoWriteException w && w.getError().getCode() == DUPLICATE_KEY) {
        return true;
      }
      if (t instanceof com.mongodb.MongoCommandException c && c.getErrorCode() == DUPLICATE_KEY) {
        return true;
      }
    }
    return false;
  }
}
