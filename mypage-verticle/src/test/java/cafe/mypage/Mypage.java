package cafe.mypage;

import cafe.common.config.Env;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.testkit.Http;
import cafe.testkit.RunningService;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/** One my page instance started in the test JVM on real Kafka and Redis, and an HTTP client for it. */
final class Mypage implements AutoCloseable {
  final ServiceRuntime runtime;
  final int port;
  private final RunningService service;

  private Mypage(RunningService service) {
    this.service = service;
    this.runtime = service.runtime();
    this.port = service.port();
  }

  /** What an instance runs with: the test defaults, Redis, its key prefix, and {@code extra} over them. */
  static Map<String, String> settings(String prefix, Map<String, String> extra) {
    LocalInfra infra = TestInfra.shared();
    Map<String, String> values = new HashMap<>(Map.of(
        "HTTP_INSTANCES", "2",
        "REDIS_URL", infra.redisUrl(),
        "MYPAGE_KEY_PREFIX", prefix,
        "SHUTDOWN_TIMEOUT_MS", "5000"));
    values.putAll(extra);
    return values;
  }

  /** The whole environment, for what runs outside a service (the rebuild command). */
  static Env env(String prefix, Map<String, String> extra) {
    Map<String, String> values = RunningService.baseEnv();
    values.putAll(settings(prefix, extra));
    return new Env(values);
  }

  static Mypage start(String prefix) throws Exception {
    return start(prefix, Map.of());
  }

  static Mypage start(String prefix, Map<String, String> extra) throws Exception {
    return new Mypage(RunningService.start("mypage", MypageService::start, settings(prefix, extra)));
  }

  /** Events this instance has handled so far (its share of the consumer group's partitions). */
  double handled() {
    String group = runtime.env().string("MYPAGE_CONSUMER_GROUP", MypageConfig.DEFAULT_GROUP);
    Counter counter = runtime.metrics().find("cafe_events_handled").tag("group", group).counter();
    return counter == null ? 0 : counter.count();
  }

  Http.Response get(String path, String token) {
    return service.http().get(path, token);
  }

  /** The order's view as its customer (or staff) sees it, or null while there is none. */
  JsonObject view(String orderId, String token) {
    Http.Response response = get("/mypage/orders/" + orderId, token);
    return response.status() == 200 ? response.json() : null;
  }

  JsonArray list(String path, String token) {
    Http.Response response = get(path, token);
    if (response.status() != 200) {
      throw new AssertionError(path + " answered " + response);
    }
    return response.array();
  }

  @Override
  public void close() {
    service.close();
  }
}
