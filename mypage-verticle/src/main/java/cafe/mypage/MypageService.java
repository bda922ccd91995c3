package cafe.mypage;

import cafe.common.auth.JwtVerifier;
import cafe.common.events.Topics;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.common.store.RedisStore;
import cafe.mypage.api.LiveStatusRoute;
import cafe.mypage.api.MypageRoutes;
import cafe.mypage.events.ProjectionHandler;
import cafe.mypage.live.LiveSockets;
import cafe.mypage.live.PushChannel;
import cafe.mypage.store.ViewStore;
import io.vertx.core.Future;

/** My page: the read model of every order in Redis, notifications and live pushes. */
public final class MypageService {
  public static final int DEFAULT_PORT = MypageConfig.DEFAULT_PORT;

  private MypageService() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--rebuild")) {
      Rebuild.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    ServiceMain.run("mypage", MypageService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    MypageConfig config = MypageConfig.from(runtime.env());
    RedisStore store = RedisStore.from(runtime.env());
    LiveSockets sockets = new LiveSockets(runtime.vertx(), config.pingMs(), config.maxQueuedBytes(), runtime.metrics());
    runtime.onStop(sockets::close);
    return JwtVerifier.start(runtime).compose(jwt -> Messaging.start(runtime).compose(messaging -> store.open(runtime)
        .compose(redis -> ViewStore.open(redis, config.keys(), config.limits()))
        .compose(views -> PushChannel.start(runtime, store, config.keys().pushChannel(), sockets::deliver)
            .compose(pushes -> messaging.consume(config.group(), Topics.ALL, new ProjectionHandler(views)))
            .compose(consumer -> runtime.serve(config.port(), router -> {
              MypageRoutes.mount(router, jwt, views);
              LiveStatusRoute.mount(router, jwt, sockets);
            })))));
  }
}
