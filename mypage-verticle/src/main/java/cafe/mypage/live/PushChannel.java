package cafe.mypage.live;

import cafe.common.launch.ServiceRuntime;
import cafe.common.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Listens on the Redis channel every instance publishes its projected changes to, so a change
 * projected on one instance reaches the sockets held by all of them. A subscribed connection can
 * do nothing else, so it is its own client; when it drops it is made again, with backoff. Pushes
 * published while it is down are missed: a client reloads its orders when it reconnects.
 */
public final class PushChannel {
  private static final Logger LOG = Logger.getLogger(PushChannel.class.getName());
  private static final long FIRST_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final Redis client;
  private final String channel;
  private final Consumer<JsonObject> deliver;
  private volatile RedisConnection connection;
  private volatile boolean subscribed;
  private volatile boolean stopping;
  private long backoffMs = FIRST_BACKOFF_MS;

  private PushChannel(Vertx vertx, Redis client, String channel, Consumer<JsonObject> deliver) {
    this.vertx = vertx;
    this.client = client;
    this.channel = channel;
    this.deliver = deliver;
  }

  /** Subscribes to {@code channel} and hands every change published on it to {@code deliver}. */
  public static Future<PushChannel> start(ServiceRuntime runtime, RedisStore store, String channel,
      Consumer<JsonObject> deliver) {
    Redis client = Redis.createClient(runtime.vertx(), new RedisOptions()
        .setConnectionString(store.url())
        .setMaxPoolSize(1)
        .setMaxPoolWaiting(16));
    PushChannel pushes = new PushChannel(runtime.vertx(), client, channel, deliver);
    return pushes.subscribe()
        .onFailure(err -> client.close())
        .map(v -> {
          runtime.onStop(pushes::stop);
          runtime.readyWhen("pushes", pushes::probe);
          return pushes;
        });
  }

  private Future<Void> subscribe() {
    return client.connect().compose(conn -> {
      connection = conn;
      conn.handler(this::onMessage);
      conn.exceptionHandler(err -> lost(conn, err.getMessage()));
      conn.endHandler(v -> lost(conn, "connection closed"));
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
          .<Void>map(reply -> {
            subscribed = true;
            backoffMs = FIRST_BACKOFF_MS;
            return null;
          })
          .onFailure(err -> {
            // Forgotten first, so its end does not start a second retry.
            connection = null;
            conn.close();
          });
    });
  }

  private void onMessage(Response message) {
    if (message.size() < 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    try {
      deliver.accept(new JsonObject(message.get(2).toString()));
    } catch (DecodeException | ClassCastException e) {
      LOG.warning("unreadable push on " + channel + " dropped: " + e.getMessage());
    }
  }

  private void lost(RedisConnection conn, String why) {
    if (stopping || conn != connection) {
      return;
    }
    connection = null;
    subscribed = false;
    LOG.warning("lost the subscription to " + channel + " (" + why + "); subscribing again");
    conn.close();
    retry();
  }

  private void retry() {
    if (stopping) {
      return;
    }
    vertx.setTimer(backoffMs, t -> subscribe().onFailure(err -> {
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      LOG.warning("cannot subscribe to " + channel + " yet: " + err.getMessage());
      retry();
    }));
  }

  private Future<Void> probe() {
    return subscribed ? Future.succeededFuture() : Future.failedFuture("not subscribed to " + channel);
  }

  private Future<Void> stop() {
    stopping = true;
    RedisConnection conn = connection;
    Future<Void> closed = conn == null ? Future.succeededFuture() : conn.close();
    return closed.transform(ar -> client.close());
  }
}
