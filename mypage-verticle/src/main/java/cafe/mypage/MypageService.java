package cafe.mypage;

import cafe.common.store.RedisStore;
import cafe.common.auth.JwtVerifier;
import cafe.common.kafka.Messaging;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import java.util.List;

/** My page: the read model of every order in Redis, notifications and live pushes. */
public final class MypageService {
  public static final int DEFAULT_PORT = 8085;

  private MypageService() {
  }

  public static void main(String[] args) {
    ServiceMain.run("mypage", MypageService::start);
  }

  /** Builds the adapters on {@code runtime} and serves HTTP; answers the bound port. */
  public static Future<Integer> start(ServiceRuntime runtime) {
    JwtVerifier jwt = JwtVerifier.from(runtime.vertx(), runtime.env());
    RedisStore store = RedisStore.from(runtime.env());
    return Messaging.start(runtime)
        .compose(messaging -> store.open(runtime))
        .compose(redis -> runtime.serve(runtime.env().integer("HTTP_PORT", DEFAULT_PORT), router -> {
        }));
  }
}
