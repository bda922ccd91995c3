package cafe.gateway;

import cafe.testkit.Await;
import cafe.testkit.Http;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A gateway in front of a {@link TestUpstream} for each of the five services, for a test class:
 * {@code @RegisterExtension static final StandInServices gateway = StandInServices.behind(...)}
 * starts them before the class's tests and stops them after.
 */
final class StandInServices implements BeforeAllCallback, AfterAllCallback {
  private static final List<String> SERVICES = List.of("order", "payment", "barista", "delivery", "mypage");

  private final String database;
  private final Map<String, String> settings;
  private final Map<String, TestUpstream> upstreams = new LinkedHashMap<>();
  private Vertx vertx;
  private RunningGateway gateway;

  private StandInServices(String database, Map<String, String> settings) {
    this.database = database;
    this.settings = settings;
  }

  /** The gateway's accounts in {@code database}; {@code settings} go to the gateway. */
  static StandInServices behind(String database, Map<String, String> settings) {
    return new StandInServices(database, settings);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>();
    for (String name : SERVICES) {
      TestUpstream upstream = TestUpstream.start(vertx, name);
      upstreams.put(name, upstream);
      env.put(name.toUpperCase() + "_URL", upstream.url());
    }
    env.putAll(settings);
    gateway = RunningGateway.start(database, env);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (gateway != null) {
      gateway.close();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  TestUpstream upstream(String service) {
    return upstreams.get(service);
  }

  Collection<TestUpstream> upstreams() {
    return upstreams.values();
  }

  Http http() {
    return gateway.http();
  }

  String url(String path) {
    return gateway.url(path);
  }

  String wsUrl(String path) {
    return gateway.wsUrl(path);
  }
}
