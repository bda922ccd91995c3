package cafe.order;

import cafe.common.outbox.PgOutboxRelay;
import cafe.common.store.PgStore;
import cafe.common.auth.JwtVerifier;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import java.util.List;

/** The order service: menu, orders and the order saga, kept in PostgreSQL. */
public final class OrderService {
  public static final int DEFAULT_PORT = 8081;

  private OrderService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("order", OrderService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    JwtVerifier jwt = JwtVerifier.from(runtime.vertx(), runtime.env());
    PgStore store = PgStore.from(runtime.env(), "order");
    return Messaging.start(runtime)
        .compose(messaging -> store.open(runtime, List.of())
            .compose(pool -> PgOutboxRelay.start(runtime, pool, store, messaging.publisher())))
        .compose(relay -> runtime.serve(runtime.env().integer("HTTP_PORT", DEFAULT_PORT), router -> {
        }));
  }
}
