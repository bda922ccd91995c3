package cafe.barista;

import cafe.common.outbox.MongoOutboxRelay;
import cafe.common.store.MongoStore;
import cafe.common.auth.JwtVerifier;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import java.util.List;

/** The barista service: drink tickets and stock, kept in MongoDB. */
public final class BaristaService {
  public static final int DEFAULT_PORT = 8083;

  private BaristaService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("barista", BaristaService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    JwtVerifier jwt = JwtVerifier.from(runtime.vertx(), runtime.env());
    MongoStore store = MongoStore.from(runtime.env(), "barista");
    return Messaging.start(runtime)
        .compose(messaging -> store.open(runtime)
            .compose(mongo -> MongoOutboxRelay.start(runtime, mongo, List.of("tickets"), messaging.publisher())))
        .compose(relay -> runtime.serve(runtime.env().integer("HTTP_PORT", DEFAULT_PORT), router -> {
        }));
  }
}
