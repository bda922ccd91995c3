package cafe.mypage;

import cafe.common.config.Env;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One my page instance started in the test JVM on real Kafka and Redis, and an HTTP client for it. */
final class Mypage implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final ServiceRuntime runtime;
  final int port;

  private Mypage(ServiceRuntime runtime, int port) {
    this.runtime = runtime;
    this.port = port;
  }

  static Env env(String prefix, Map<String, String> extra) {
    LocalInfra infra = TestInfra.shared();
    Map<String, String> values = new HashMap<>(Map.of(
        "HTTP_PORT", "0",
        "HTTP_INSTANCES", "2",
        "KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap(),
        "REDIS_URL", infra.redisUrl(),
        "JWT_PUBLIC_KEY", TestTokens.shared().publicKeyPem(),
        "MYPAGE_KEY_PREFIX", prefix,
        "SHUTDOWN_TIMEOUT_MS", "5000"));
    values.putAll(extra);
    return new Env(values);
  }

  static Mypage start(String prefix) throws Exception {
    return start(prefix, Map.of());
  }

  static Mypage start(String prefix, Map<String, String> extra) throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("mypage", env(prefix, extra));
    int port = MypageService.start(runtime).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new Mypage(runtime, port);
  }

  /** Events this instance has handled so far (its share of the consumer group's partitions). */
  double handled() {
    String group = runtime.env().string("MYPAGE_CONSUMER_GROUP", MypageConfig.DEFAULT_GROUP);
    Counter counter = runtime.metrics().find("cafe_events_handled").tag("group", group).counter();
    return counter == null ? 0 : counter.count();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The order's view as its customer (or staff) sees it, or null while there is none. */
  JsonObject view(String orderId, String token) throws Exception {
    HttpResponse<String> response = get("/mypage/orders/" + orderId, token);
    return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
  }

  JsonArray list(String path, String token) throws Exception {
    HttpResponse<String> response = get(path, token);
    if (response.statusCode() != 200) {
      throw new AssertionError(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonArray(response.body());
  }

  @Override
  public void close() throws Exception {
    runtime.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
