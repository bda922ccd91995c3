package cafe.order;

import cafe.common.auth.JwtVerifier;
import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.http.JsonContract;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.common.outbox.PgOutboxRelay;
import cafe.common.store.PgStore;
import cafe.order.api.FrontDoor;
import cafe.order.api.OrderRoutes;
import cafe.order.events.OrderSaga;
import cafe.order.payment.Checkout;
import cafe.order.payment.PaymentClient;
import cafe.order.payment.PaymentRetrier;
import cafe.order.payment.PaymentSettings;
import cafe.order.store.OrderStore;
import io.vertx.core.Future;
import java.util.List;

/** The order service: menu, orders and the order saga, kept in PostgreSQL. */
public final class OrderService {
  public static final int DEFAULT_PORT = 8081;
  static final List<String> MIGRATIONS = List.of("db/order/V1__orders.sql", "db/order/V2__orders_in_flight.sql");

  private OrderService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("order", OrderService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    Env env = runtime.env();
    PgStore pg = PgStore.from(env, "order");
    PaymentSettings paymentSettings = PaymentSettings.from(env);
    FrontDoor.Settings admission = FrontDoor.Settings.from(env);
    if (admission.maxLimit() + paymentSettings.retryConcurrency() > paymentSettings.maxConcurrentCharges()) {
      throw new ConfigException("ADMISSION_MAX_LIMIT=" + admission.maxLimit() + " plus PAYMENT_RETRY_CONCURRENCY="
          + paymentSettings.retryConcurrency() + " must not exceed PAYMENT_MAX_CONCURRENT_CHARGES="
          + paymentSettings.maxConcurrentCharges() + ": an order let in must find a free charge slot");
    }
    int port = env.integer("HTTP_PORT", DEFAULT_PORT);
    return JwtVerifier.start(runtime).compose(jwt -> runtime.vertx()
        .executeBlocking(() -> JsonContract.load("openapi/order.json"))
        .compose(contract -> Messaging.start(runtime).compose(messaging -> pg.open(runtime, MIGRATIONS)
            .compose(pool -> PgOutboxRelay.start(runtime, pool, pg, messaging.publisher()).map(relay -> pool))
            .compose(pool -> {
              OrderStore store = new OrderStore(pool, env.millis("MENU_CACHE_MS", 5000));
              PaymentClient payment = new PaymentClient(runtime.vertx(), paymentSettings, runtime.metrics());
              runtime.onStop(payment::close);
              OrderMetrics metrics = new OrderMetrics(runtime.metrics());
              Checkout checkout = new Checkout(store, payment, metrics);
              OrderSaga saga = new OrderSaga(store, metrics);
              PaymentRetrier retrier = new PaymentRetrier(runtime.vertx(), store, checkout, payment, paymentSettings);
              return messaging.consume(OrderSaga.GROUP, OrderSaga.TOPICS, saga::handle, saga::handleAll).map(consumer -> {
                retrier.start();
                runtime.onStop(retrier::stop);
                FrontDoor frontDoor = new FrontDoor(runtime.vertx(), admission, store::inFlight, runtime.metrics());
                runtime.onStop(frontDoor::close);
                return new OrderRoutes(store, checkout, jwt, contract, paymentSettings, metrics, frontDoor);
              });
            })))
        .compose(routes -> runtime.serve(port, routes::mount)
            .onSuccess(bound -> runtime.warmUp("orders", self -> routes.warmUp(self, bound)))));
  }
}
