package cafe.gateway;

import cafe.common.store.PgStore;
import cafe.common.store.RedisStore;
import cafe.common.auth.JwtVerifier;

import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import java.util.List;

/** The gateway: the one door for every client, with identity, JWT, routing, rate limits and the web pages. */
public final class GatewayService {
  public static final int DEFAULT_PORT = 8080;

  private GatewayService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("gateway", GatewayService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    JwtVerifier jwt = JwtVerifier.from(runtime.vertx(), runtime.env());
    PgStore accounts = PgStore.from(runtime.env(), "gateway");
    RedisStore limits = RedisStore.from(runtime.env());
    return accounts.open(runtime, List.of())
        .compose(pool -> limits.open(runtime))
        .compose(redis -> runtime.serve(runtime.env().integer("HTTP_PORT", DEFAULT_PORT), router -> {
        }));
  }
}
