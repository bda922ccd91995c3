package cafe.gateway;

import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.common.store.PgMigrations;
import cafe.common.store.PgStore;
import cafe.common.store.RedisStore;
import cafe.gateway.api.GatewayRoutes;
import cafe.gateway.api.OrderDoor;
import cafe.gateway.auth.Identity;
import cafe.gateway.auth.SigningKey;
import cafe.gateway.auth.TokenIssuer;
import cafe.common.auth.JwtVerifier;
import cafe.gateway.domain.PasswordHasher;
import cafe.gateway.limit.RateLimiter;
import cafe.gateway.proxy.Upstreams;
import cafe.gateway.store.AccountStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/** The gateway: the one door for every client, with identity, JWT, routing, rate limits and the web pages. */
public final class GatewayService {
  public static final int DEFAULT_PORT = GatewaySettings.DEFAULT_PORT;

  private GatewayService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("gateway", GatewayService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    GatewaySettings settings = GatewaySettings.from(runtime.env());

    Upstreams upstreams = Upstreams.create(runtime.vertx(), settings).withMetrics(runtime.metrics());
    runtime.onStop(upstreams::close);
    // Not opened with a readiness check: rate limits fail open, so a Redis outage must not take the gateway out.
    Redis redis = RedisStore.from(runtime.env()).client(runtime.vertx());
    runtime.onStop(() -> {
      redis.close();
      return Future.succeededFuture();
    });
    RateLimiter limiter = new RateLimiter(redis, settings.rateLimitWindowSeconds());
    OrderDoor orderDoor = new OrderDoor(runtime.vertx(), OrderDoor.Settings.from(runtime.env()), runtime.metrics());

    if (!settings.issuesTokens()) {
      return JwtVerifier.start(runtime)
          .compose(tokens -> runtime.serve(settings.httpPort(),
              new GatewayRoutes(settings, tokens, limiter, upstreams, null, null, orderDoor)::mount));
    }

    SigningKey key = SigningKey.from(runtime.env());
    JwtVerifier tokens = JwtVerifier.ofKey(runtime.vertx(), runtime.env(), key.publicKeyPem(), "RS256", key.kid(),
        settings.issuer());
    TokenIssuer issuer = new TokenIssuer(key, settings.issuer(), settings.tokenTtlSeconds(), Clock.systemUTC());
    PgStore store = PgStore.from(runtime.env(), "gateway");
    return openAccounts(runtime, store)
        .map(pool -> new Identity(runtime.vertx(), new AccountStore(pool),
            new PasswordHasher(settings.passwordIterations()), issuer))
        .compose(identity -> (settings.seedUsers() ? identity.seed() : Future.<Void>succeededFuture()).map(identity))
        .compose(identity -> runtime.serve(settings.httpPort(),
            new GatewayRoutes(settings, tokens, limiter, upstreams, identity, key, orderDoor)::mount));
  }


  /**
   * The accounts database, checked and migrated at start. Unlike the services' stores it is not a
   * readiness check: while it is away only sign-up and sign-in fail, and signed-in callers keep going.
   */
  private static Future<Pool> openAccounts(ServiceRuntime runtime, PgStore store) {
    Pool pool = store.pool(runtime.vertx());
    return store.ping(pool)
        .compose(v -> PgMigrations.apply(runtime.vertx(), pool, AccountStore.MIGRATIONS))
        .map(v -> {
          runtime.onStop(pool::close);
          return pool;
        })
        .onFailure(err -> pool.close());
  }
}
