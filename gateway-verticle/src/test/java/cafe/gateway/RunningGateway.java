package cafe.gateway;

import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.testkit.Http;
import cafe.testkit.RunningService;
import java.util.HashMap;
import java.util.Map;

/** A gateway started in the test JVM on a free port, signing with the test key every test service trusts. */
public final class RunningGateway implements AutoCloseable {
  private final RunningService service;

  private RunningGateway(RunningService service) {
    this.service = service;
  }

  /**
   * Starts with the shared test infrastructure; rate limits are off and no accounts are seeded unless
   * {@code overrides} say otherwise (tests in one JVM share one Redis).
   */
  public static RunningGateway start(String database, Map<String, String> overrides) {
    LocalInfra infra = TestInfra.shared();
    Map<String, String> env = new HashMap<>();
    env.put("PG_URL", infra.pgUrl(database));
    env.put("REDIS_URL", infra.redisUrl());
    env.put("JWT_PRIVATE_KEY", TestTokens.shared().privateKeyPem());
    env.put("CAFE_SEED_USERS", "false");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("RATE_LIMIT_ANON_PER_MINUTE", "0");
    env.put("SHUTDOWN_TIMEOUT_MS", "2000");
    // Nothing listens on port 1: a test names the services it runs, and never meets one it did not start.
    for (String upstream : new String[] {"ORDER", "PAYMENT", "BARISTA", "DELIVERY", "MYPAGE"}) {
      env.put(upstream + "_URL", "http://127.0.0.1:1");
    }
    env.putAll(overrides);
    return new RunningGateway(RunningService.start("gateway", GatewayService::start, env));
  }

  public int port() {
    return service.port();
  }

  public String url(String path) {
    return service.url(path);
  }

  public String wsUrl(String path) {
    return service.wsUrl(path);
  }

  /** Calls through this gateway: paths are resolved against it. */
  public Http http() {
    return service.http();
  }

  @Override
  public void close() {
    service.close();
  }
}
