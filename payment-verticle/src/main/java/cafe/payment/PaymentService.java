package cafe.payment;

import cafe.common.auth.JwtVerifier;
import cafe.common.config.Env;
import cafe.common.http.JsonContract;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.common.outbox.PgOutboxRelay;
import cafe.common.store.PgStore;
import cafe.payment.api.ChargeDelay;
import cafe.payment.api.PaymentRoutes;
import cafe.payment.events.RefundOnCancel;
import cafe.payment.store.PaymentStore;
import io.vertx.core.Future;
import java.util.List;

/** The payment service: charges and refunds, kept in PostgreSQL. */
public final class PaymentService {
  public static final int DEFAULT_PORT = 8082;
  static final List<String> MIGRATIONS = List.of("db/payment/V1__payments.sql");

  private PaymentService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("payment", PaymentService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    Env env = runtime.env();
    PgStore pg = PgStore.from(env, "payment");
    ChargeDelay delay = ChargeDelay.from(env);
    int port = env.integer("HTTP_PORT", DEFAULT_PORT);
    return JwtVerifier.start(runtime).compose(jwt -> runtime.vertx()
        .executeBlocking(() -> JsonContract.load("openapi/payment.json"))
        .compose(contract -> Messaging.start(runtime).compose(messaging -> pg.open(runtime, MIGRATIONS)
            .compose(pool -> PgOutboxRelay.start(runtime, pool, pg, messaging.publisher()).map(relay -> pool))
            .compose(pool -> {
              PaymentStore store = new PaymentStore(pool);
              RefundOnCancel refunds = new RefundOnCancel(store);
              return messaging.consume(RefundOnCancel.GROUP, RefundOnCancel.TOPICS, refunds::handle)
                  .map(consumer -> new PaymentRoutes(runtime.vertx(), store, jwt, contract, delay));
            })))
        .compose(routes -> runtime.serve(port, routes::mount)
            .onSuccess(bound -> runtime.warmUp("payments", self -> routes.warmUp(self, bound)))));
  }
}
