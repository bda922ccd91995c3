package cafe.common.store;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;

/** A service's Redis: {@code REDIS_URL} (redis://[:password@]host:port[/db], rediss:// for TLS). */
public record RedisStore(String url, int poolSize) {

  public static RedisStore from(Env env) {
    URI uri = env.url("REDIS_URL", "redis://127.0.0.1:16379", "redis", "rediss");
    return new RedisStore(uri.toString(), env.integer("REDIS_POOL_SIZE", 16));
  }

  public Redis client(Vertx vertx) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096));
  }

  /** Client checked at once (fail fast), ready-checked and closed at shutdown. */
  public Future<Redis> open(ServiceRuntime runtime) {
    Redis redis = client(runtime.vertx());
    return ping(redis)
        .map(v -> {
          runtime.onStop(() -> {
            redis.close();
            return Future.succeededFuture();
          });
          runtime.readyWhen("redis", () -> ping(redis));
          return redis;
        })
        .onFailure(err -> redis.close());
  }

  public Future<Void> ping(Redis redis) {
    return redis.send(Request.cmd(Command.PING)).<Void>mapEmpty()
        .recover(err -> Future.failedFuture(new ConfigException(
            "REDIS_URL=" + Env.redact(url) + " cannot be reached: " + err.getMessage())));
  }
}
