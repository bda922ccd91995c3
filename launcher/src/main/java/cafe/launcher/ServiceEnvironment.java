package cafe.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment each service process gets, as a pod's spec would set it. It starts from the launcher's own
 * environment (PATH, JAVA_HOME, any CAFE_ variable), minus the names the launcher sets per service.
 */
final class ServiceEnvironment {

  /** Where the services find the infrastructure; database URLs per database name. */
  record Endpoints(String kafka, Map<String, String> pgUrls, String redis, Map<String, String> mongoUrls,
                   Path publicKey, Path privateKey) {
  }

  /** Set per service below; a value in the launcher's environment would be wrong for most of them. */
  private static final Set<String> SET_PER_SERVICE = Set.of("SERVICE_NAME", "HTTP_PORT", "KAFKA_BOOTSTRAP_SERVERS",
      "JWT_PUBLIC_KEY_FILE", "JWT_PRIVATE_KEY_FILE", "LOG_FILE", "PG_URL", "MONGO_URL", "REDIS_URL",
      "GATEWAY_URL", "ORDER_URL", "PAYMENT_URL", "BARISTA_URL", "DELIVERY_URL", "MYPAGE_URL");

  private final Map<String, String> launcherEnv;
  private final Endpoints endpoints;
  private final Map<Service, Integer> ports;

  ServiceEnvironment(Map<String, String> launcherEnv, Endpoints endpoints, Map<Service, Integer> ports) {
    this.launcherEnv = launcherEnv;
    this.endpoints = endpoints;
    this.ports = ports;
  }

  Map<String, String> forService(Service service) {
    Map<String, String> env = new TreeMap<>(launcherEnv);
    env.keySet().removeAll(SET_PER_SERVICE);
    env.put("SERVICE_NAME", service.name());
    env.put("HTTP_PORT", String.valueOf(ports.get(service)));
    env.put("KAFKA_BOOTSTRAP_SERVERS", endpoints.kafka());
    env.put("JWT_PUBLIC_KEY_FILE", endpoints.publicKey().toString());
    // glibc gives each thread that allocates its own malloc arena (64 MB each on 64-bit); two are plenty
    // for a JVM, whose own heap is not malloc'd, and keep resident memory from creeping up.
    env.putIfAbsent("MALLOC_ARENA_MAX", "2");
    // Vert.x starts 20 worker threads by default; the services block rarely (start-up, Kafka client calls).
    env.putIfAbsent("WORKER_POOL_SIZE", "4");
    switch (service.name()) {
      case "order" -> {
        env.put("PG_URL", endpoints.pgUrls().get("order"));
        env.put(Service.PAYMENT.urlVariable(), url(Service.PAYMENT));
      }
      case "payment" -> env.put("PG_URL", endpoints.pgUrls().get("payment"));
      case "barista" -> {
        env.put("MONGO_URL", endpoints.mongoUrls().get("barista"));
        env.putIfAbsent("CAFE_AUTO_BREW_MS", "3000");
      }
      case "delivery" -> {
        env.put("MONGO_URL", endpoints.mongoUrls().get("delivery"));
        env.putIfAbsent("CAFE_AUTO_DELIVER_MS", "3000");
      }
      case "mypage" -> env.put("REDIS_URL", endpoints.redis());
      case "gateway" -> {
        env.put("PG_URL", endpoints.pgUrls().get("gateway"));
        env.put("REDIS_URL", endpoints.redis());
        env.put("JWT_PRIVATE_KEY_FILE", endpoints.privateKey().toString());
        for (Service backend : Service.ALL) {
          if (backend != Service.GATEWAY) {
            env.put(backend.urlVariable(), url(backend));
          }
        }
        env.putIfAbsent("CAFE_SEED_USERS", "true");
      }
      default -> throw new IllegalArgumentException("unknown service " + service.name());
    }
    return env;
  }

  private String url(Service service) {
    return "http://127.0.0.1:" + ports.get(service);
  }
}
