package cafe.gateway.browser;

import cafe.barista.BaristaService;
import cafe.common.config.Env;
import cafe.common.launch.ServiceRuntime;
import cafe.delivery.DeliveryService;
import cafe.gateway.RunningGateway;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.mypage.MypageService;
import cafe.order.OrderService;
import cafe.payment.PaymentService;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The whole cafe in this JVM: the five services on free ports with their own databases (named
 * after {@code name}), and the gateway in front of them, all trusting the test key.
 */
final class CafeStack implements AutoCloseable {
  private final List<ServiceRuntime> runtimes = new ArrayList<>();
  private RunningGateway gateway;

  private CafeStack() {
  }

  static CafeStack start(String name, long autoBrewMs, long autoDeliverMs) throws Exception {
    CafeStack stack = new CafeStack();
    try {
      stack.startAll(name, autoBrewMs, autoDeliverMs);
      return stack;
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  RunningGateway gateway() {
    return gateway;
  }

  private void startAll(String name, long autoBrewMs, long autoDeliverMs) throws Exception {
    LocalInfra infra = TestInfra.shared();
    int payment = start("payment", PaymentService::start, Map.of("PG_URL", infra.pgUrl("payment_" + name)));
    int order = start("order", OrderService::start, Map.of(
        "PG_URL", infra.pgUrl("order_" + name),
        "PAYMENT_URL", "http://127.0.0.1:" + payment));
    int barista = start("barista", BaristaService::start, Map.of(
        "MONGO_URL", infra.mongoUrl("barista_" + name),
        "CAFE_AUTO_BREW_MS", Long.toString(autoBrewMs)));
    int delivery = start("delivery", DeliveryService::start, Map.of(
        "MONGO_URL", infra.mongoUrl("delivery_" + name),
        "CAFE_AUTO_DELIVER_MS", Long.toString(autoDeliverMs)));
    int mypage = start("mypage", MypageService::start, Map.of(
        "REDIS_URL", infra.redisUrl(),
        "MYPAGE_KEY_PREFIX", "mypage-" + name + ":"));
    gateway = RunningGateway.start("gateway_" + name, Map.of(
        "ORDER_URL", "http://127.0.0.1:" + order,
        "PAYMENT_URL", "http://127.0.0.1:" + payment,
        "BARISTA_URL", "http://127.0.0.1:" + barista,
        "DELIVERY_URL", "http://127.0.0.1:" + delivery,
        "MYPAGE_URL", "http://127.0.0.1:" + mypage,
        "CAFE_SEED_USERS", "true",
        "PASSWORD_HASH_ITERATIONS", "20000"));
  }

  private int start(String service, Function<ServiceRuntime, Future<Integer>> starter, Map<String, String> own)
      throws Exception {
    LocalInfra infra = TestInfra.shared();
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_PORT", "0");
    env.put("HTTP_INSTANCES", "1");
    env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap());
    env.put("JWT_PUBLIC_KEY", TestTokens.shared().publicKeyPem());
    env.put("SHUTDOWN_TIMEOUT_MS", "2000");
    env.putAll(own);
    ServiceRuntime runtime = ServiceRuntime.create(service, new Env(env));
    runtimes.add(runtime);
    return starter.apply(runtime).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    for (int i = runtimes.size() - 1; i >= 0; i--) {
      runtimes.get(i).shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
