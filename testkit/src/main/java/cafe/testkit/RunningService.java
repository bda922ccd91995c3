package cafe.testkit;

import cafe.common.config.Env;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One service started in the test JVM as its pod would run it (its own {@link ServiceRuntime},
 * settings from an environment), on the shared test infrastructure, trusting the test key.
 */
public final class RunningService implements AutoCloseable {
  private final ServiceRuntime runtime;
  private final int port;
  private final Http http;
  private boolean stopped;

  private RunningService(ServiceRuntime runtime, int port) {
    this.runtime = runtime;
    this.port = port;
    this.http = new Http(port);
  }

  /**
   * The settings every test service shares: a free port, one HTTP instance, the shared Kafka, the
   * test key and a short drain. Each service adds its store and its own settings.
   */
  public static Map<String, String> baseEnv() {
    LocalInfra infra = TestInfra.shared();
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_PORT", "0");
    env.put("HTTP_INSTANCES", "1");
    env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap());
    env.put("JWT_PUBLIC_KEY", TestTokens.shared().publicKeyPem());
    env.put("SHUTDOWN_TIMEOUT_MS", "3000");
    // Tests call a service as soon as it serves; the warm-up is tested on its own.
    env.put("WARMUP_ROUNDS", "0");
    return env;
  }

  /** Starts {@code name} with {@link #baseEnv()} and {@code settings} over it; answers once it serves. */
  public static RunningService start(String name, Function<ServiceRuntime, Future<Integer>> starter,
      Map<String, String> settings) {
    Map<String, String> env = baseEnv();
    env.putAll(settings);
    if (settings.containsKey("JWT_JWKS_URL")) {
      // An outside identity provider's keys instead of the test key: the two are one setting or the other.
      env.remove("JWT_PUBLIC_KEY");
    }
    ServiceRuntime runtime = ServiceRuntime.create(name, new Env(env));
    try {
      return new RunningService(runtime, Await.result(starter.apply(runtime)));
    } catch (RuntimeException | AssertionError e) {
      Await.result(runtime.shutdown(), Duration.ofSeconds(30));
      throw new IllegalStateException(name + " did not start: " + e.getMessage(), e);
    }
  }

  public ServiceRuntime runtime() {
    return runtime;
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String wsUrl(String path) {
    return "ws://127.0.0.1:" + port + path;
  }

  public Http http() {
    return http;
  }

  /** Shuts it down as SIGTERM would: drains, commits, closes its clients. Once. */
  @Override
  public synchronized void close() {
    if (!stopped) {
      stopped = true;
      Await.result(runtime.shutdown(), Duration.ofSeconds(60));
    }
  }
}
