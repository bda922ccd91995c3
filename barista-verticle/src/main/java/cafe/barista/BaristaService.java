package cafe.barista;

import cafe.barista.api.BaristaRoutes;
import cafe.barista.counter.AutoBrew;
import cafe.barista.counter.Counter;
import cafe.barista.domain.Stock;
import cafe.barista.events.OrderEvents;
import cafe.barista.store.StockStore;
import cafe.barista.store.TicketStore;
import cafe.common.auth.JwtVerifier;
import cafe.common.events.Topics;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.common.outbox.MongoOutboxRelay;
import cafe.common.store.MongoStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** The barista service: drink tickets and stock, kept in MongoDB. */
public final class BaristaService {
  public static final int DEFAULT_PORT = BaristaSettings.DEFAULT_PORT;
  private static final Logger LOG = Logger.getLogger(BaristaService.class.getName());
  /** How often settled stock ops are forgotten: often, because every take rewrites the stock document. */
  private static final long FORGET_MS = 500;
  /** How often stock returns cut short by a crash are looked for (a look through the tickets) and finished. */
  private static final long RETURNS_MS = 30_000;

  private BaristaService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("barista", BaristaService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    BaristaSettings settings = BaristaSettings.from(runtime.env());
    MongoStore store = MongoStore.from(runtime.env(), "barista");
    Clock clock = Clock.systemUTC();
    return JwtVerifier.start(runtime).compose(jwt -> Messaging.start(runtime)
        .compose(messaging -> store.open(runtime).compose(mongo -> {
          TicketStore tickets = new TicketStore(runtime.vertx(), mongo);
          StockStore stock = new StockStore(mongo);
          Counter counter = new Counter(tickets, stock, clock);
          return prepare(tickets, stock, settings)
              .compose(v -> MongoOutboxRelay.start(runtime, mongo, List.of(TicketStore.COLLECTION), messaging.publisher()))
              .compose(relay -> {
                if (settings.autoMode()) {
                  AutoBrew auto = new AutoBrew(runtime.vertx(), counter, settings.autoBrew(), settings.autoSweep(), clock,
                      runtime.metrics());
                  auto.start();
                  runtime.onStop(auto::stop);
                }
                tidyNowAndThen(runtime, counter);
                return messaging.consume(OrderEvents.GROUP, List.of(Topics.ORDERS), new OrderEvents(counter));
              })
              .compose(consumer -> runtime.serve(settings.httpPort(),
                  router -> BaristaRoutes.mount(router, jwt, counter, stock)));
        })));
  }

  private static Future<Void> prepare(TicketStore tickets, StockStore stock, BaristaSettings settings) {
    return tickets.createIndexes()
        .compose(v -> stock.seed(Stock.MENU, settings.seedStock()));
  }

  private static void tidyNowAndThen(ServiceRuntime runtime, Counter counter) {
    every(runtime, RETURNS_MS, counter::finishReturns);
    every(runtime, FORGET_MS, counter::forgetSettledOps);
  }

  /** Runs the housekeeping now and then every {@code millis}, one run at a time, until the drain. */
  private static void every(ServiceRuntime runtime, long millis, Supplier<Future<Void>> work) {
    AtomicBoolean running = new AtomicBoolean();
    Runnable run = () -> {
      if (!runtime.draining() && running.compareAndSet(false, true)) {
        work.get()
            .onFailure(err -> LOG.warning("stock housekeeping failed, will retry: " + err.getMessage()))
            .onComplete(ar -> running.set(false));
      }
    };
    long timer = runtime.vertx().setPeriodic(millis, t -> run.run());
    runtime.onStop(() -> {
      runtime.vertx().cancelTimer(timer);
      return Future.succeededFuture();
    });
    run.run();
  }
}
