package cafe.gateway;

import cafe.common.config.Env;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A gateway started in the test JVM on a free port, signing with the test key every test service trusts. */
public final class RunningGateway implements AutoCloseable {
  private final ServiceRuntime runtime;
  private final int port;

  private RunningGateway(ServiceRuntime runtime, int port) {
    this.runtime = runtime;
    this.port = port;
  }

  /**
   * Starts with the shared test infrastructure; rate limits are off and no accounts are seeded unless
   * {@code overrides} say otherwise (tests in one JVM share one Redis).
   */
  public static RunningGateway start(String database, Map<String, String> overrides) throws Exception {
    LocalInfra infra = TestInfra.shared();
    Map<String, String> env = new HashMap<>();
    env.put("HTTP_PORT", "0");
    env.put("HTTP_INSTANCES", "1");
    env.put("PG_URL", infra.pgUrl(database));
    env.put("REDIS_URL", infra.redisUrl());
    env.put("JWT_PRIVATE_KEY", TestTokens.shared().privateKeyPem());
    env.put("CAFE_SEED_USERS", "false");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("RATE_LIMIT_ANON_PER_MINUTE", "0");
    env.put("SHUTDOWN_TIMEOUT_MS", "2000");
    // Nothing listens on port 1: a test names the services it runs, and never meets one it did not start.
    for (String service : new String[] {"ORDER", "PAYMENT", "BARISTA", "DELIVERY", "MYPAGE"}) {
      env.put(service + "_URL", "http://127.0.0.1:1");
    }
    env.putAll(overrides);
    ServiceRuntime runtime = ServiceRuntime.create("gateway", new Env(env));
    try {
      int port = GatewayService.start(runtime).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      return new RunningGateway(runtime, port);
    } catch (Exception e) {
      runtime.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
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

  @Override
  public void close() throws Exception {
    runtime.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
