package cafe.delivery;

import cafe.common.auth.JwtVerifier;
import cafe.common.events.Topics;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.common.outbox.MongoOutboxRelay;
import cafe.common.store.MongoStore;
import cafe.delivery.api.DeliveryRoutes;
import cafe.delivery.dispatch.AutoRider;
import cafe.delivery.dispatch.Dispatch;
import cafe.delivery.events.DeliveryEvents;
import cafe.delivery.store.DeliveryStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/** The delivery service: deliveries from the counter to the door, kept in MongoDB. */
public final class DeliveryService {
  public static final int DEFAULT_PORT = DeliverySettings.DEFAULT_PORT;

  private DeliveryService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("delivery", DeliveryService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    DeliverySettings settings = DeliverySettings.from(runtime.env());
    MongoStore store = MongoStore.from(runtime.env(), "delivery");
    Clock clock = Clock.systemUTC();
    return JwtVerifier.start(runtime).compose(jwt -> Messaging.start(runtime)
        .compose(messaging -> store.open(runtime).compose(mongo -> {
          DeliveryStore deliveries = new DeliveryStore(runtime.vertx(), mongo);
          Dispatch dispatch = new Dispatch(deliveries, clock);
          return deliveries.createIndexes()
              .compose(v -> MongoOutboxRelay.start(runtime, mongo, List.of(DeliveryStore.COLLECTION), messaging.publisher()))
              .compose(relay -> {
                if (settings.autoMode()) {
                  AutoRider auto = new AutoRider(runtime.vertx(), dispatch, settings.autoDeliver(), settings.autoSweep(), clock,
                      runtime.metrics());
                  auto.start();
                  runtime.onStop(auto::stop);
                }
                return messaging.consume(DeliveryEvents.GROUP, List.of(Topics.BARISTA, Topics.ORDERS),
                    new DeliveryEvents(dispatch));
              })
              .compose(consumer -> runtime.serve(settings.httpPort(),
                  router -> DeliveryRoutes.mount(router, jwt, dispatch)));
        })));
  }
}
