package cafe.system;

import cafe.barista.BaristaService;
import cafe.barista.events.OrderEvents;
import cafe.common.events.Topics;
import cafe.common.launch.ServiceRuntime;
import cafe.delivery.DeliveryService;
import cafe.delivery.events.DeliveryEvents;
import cafe.gateway.GatewayService;
import cafe.infra.LocalInfra;
import cafe.infra.TestInfra;
import cafe.infra.TestTokens;
import cafe.mypage.MypageConfig;
import cafe.mypage.MypageService;
import cafe.order.OrderService;
import cafe.order.events.OrderSaga;
import cafe.payment.PaymentService;
import cafe.payment.events.RefundOnCancel;
import cafe.testkit.Eventually;
import cafe.testkit.Http;
import cafe.testkit.KafkaTap;
import cafe.testkit.RunningService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The whole cafe in this JVM, as the cluster runs it: the five services, each with its own
 * {@link ServiceRuntime} and its own databases (named after the stack), and the gateway in front
 * of them, all trusting the test key. Every service has a port of its own for the stack's life, so
 * one can be stopped and started again (new runtime, same databases) behind the same gateway.
 *
 * <p>Stacks in one JVM share one Kafka and the services' consumer group names, so they run one
 * at a time: {@link #close()} first waits until every group has handled what is on its topics,
 * and the next stack starts where the last one stopped. Whatever an earlier stack still left
 * behind belongs to orders this stack's databases do not know.
 */
public final class CafeStack implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(60);
  public static final String GOOD_CARD = "4242424242424242";
  public static final String DECLINED_CARD = "4000000000000002";

  /** Each consumer group of the cafe and the topics it reads (docs/events.md). */
  public static final Map<String, List<String>> GROUPS = groups();

  private static final Logger LOG = Logger.getLogger(CafeStack.class.getName());

  private final String name;
  private final long autoBrewMs;
  private final long autoDeliverMs;
  private final Map<String, String> extra;
  private final Map<String, Integer> ports = new HashMap<>();
  private final Map<String, RunningService> services = new LinkedHashMap<>();
  private final List<RunningService> extraBaristas = new ArrayList<>();
  private Http http;

  private CafeStack(String name, long autoBrewMs, long autoDeliverMs, Map<String, String> extra) {
    this.name = name;
    this.autoBrewMs = autoBrewMs;
    this.autoDeliverMs = autoDeliverMs;
    this.extra = extra;
  }

  /**
   * Starts the cafe with its databases named after {@code name}; barista and delivery on auto with
   * these delays (0: staff do it by hand). {@code extra} settings go to every service.
   */
  public static CafeStack start(String name, long autoBrewMs, long autoDeliverMs, Map<String, String> extra) {
    CafeStack stack = new CafeStack(name, autoBrewMs, autoDeliverMs, extra);
    try {
      for (String service : List.of("payment", "order", "barista", "delivery", "mypage", "gateway")) {
        stack.ports.put(service, freePort());
      }
      stack.startPayment();
      stack.startOrder();
      stack.startBarista();
      stack.startDelivery();
      stack.startMypage();
      stack.startGateway();
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  public static CafeStack start(String name, long autoBrewMs, long autoDeliverMs) {
    return start(name, autoBrewMs, autoDeliverMs, Map.of());
  }

  // The services ------------------------------------------------------------------------------------

  private void startPayment() {
    start("payment", PaymentService::start, Map.of("PG_URL", infra().pgUrl("payment_" + name)));
  }

  private void startOrder() {
    // A burst of orders here (one JVM, two shared cores) makes payment answer late and opens its
    // circuit: the orders wait PAYMENT_PENDING for the retrier, whose pace (default up to 30 s
    // apart) would only make the tests wait. The charge timeout itself stays the default.
    start("order", OrderService::start, Map.of(
        "PG_URL", infra().pgUrl("order_" + name),
        "PAYMENT_URL", "http://127.0.0.1:" + ports.get("payment"),
        "PAYMENT_RETRY_POLL_MS", "200",
        "PAYMENT_RETRY_BACKOFF_MS", "200",
        "PAYMENT_RETRY_MAX_BACKOFF_MS", "2000",
        "PAYMENT_BREAKER_RESET_MS", "1000"));
  }

  public void startBarista() {
    start("barista", BaristaService::start, baristaEnv());
  }

  public void startDelivery() {
    start("delivery", DeliveryService::start, Map.of(
        "MONGO_URL", infra().mongoUrl("delivery_" + name),
        "CAFE_AUTO_DELIVER_MS", Long.toString(autoDeliverMs)));
  }

  private void startMypage() {
    start("mypage", MypageService::start, Map.of(
        "REDIS_URL", infra().redisUrl(),
        "MYPAGE_KEY_PREFIX", "mypage-" + name + ":"));
  }

  private void startGateway() {
    Map<String, String> env = new HashMap<>();
    env.put("PG_URL", infra().pgUrl("gateway_" + name));
    env.put("REDIS_URL", infra().redisUrl());
    env.put("JWT_PRIVATE_KEY", TestTokens.shared().privateKeyPem());
    env.put("CAFE_SEED_USERS", "true");
    env.put("PASSWORD_HASH_ITERATIONS", "20000");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("RATE_LIMIT_ANON_PER_MINUTE", "0");
    // A burst of orders on two shared cores can take the order service past the 2 s default; a 504
    // would leave the test not knowing whether the order exists, so the gateway waits longer here.
    env.put("UPSTREAM_TIMEOUT_MS", "15000");
    for (String service : List.of("order", "payment", "barista", "delivery", "mypage")) {
      env.put(service.toUpperCase() + "_URL", "http://127.0.0.1:" + ports.get(service));
    }
    start("gateway", GatewayService::start, env);
    http = services.get("gateway").http();
  }

  private Map<String, String> baristaEnv() {
    return Map.of(
        "MONGO_URL", infra().mongoUrl("barista_" + name),
        "CAFE_AUTO_BREW_MS", Long.toString(autoBrewMs));
  }

  private void start(String service, Function<ServiceRuntime, Future<Integer>> starter, Map<String, String> own) {
    Map<String, String> env = new HashMap<>(own);
    env.put("HTTP_PORT", Integer.toString(ports.get(service)));
    env.putAll(extra);
    services.put(service, RunningService.start(service, starter, env));
  }

  /** Shuts one service down as SIGTERM would (drains and commits); the gateway keeps pointing at its port. */
  public void stop(String service) {
    RunningService running = services.remove(service);
    if (running != null) {
      running.close();
    }
  }

  /** Another barista instance on the same database, in the same consumer group, on a port of its own. */
  public RunningService addBarista() {
    Map<String, String> env = new HashMap<>(baristaEnv());
    env.putAll(extra);
    RunningService another = RunningService.start("barista", BaristaService::start, env);
    extraBaristas.add(another);
    return another;
  }

  public RunningService service(String service) {
    RunningService running = services.get(service);
    if (running == null) {
      throw new IllegalStateException(service + " is not running");
    }
    return running;
  }

  /** The gateway: the one door every call of these tests goes through. */
  public RunningService gateway() {
    return service("gateway");
  }

  public Http http() {
    return http;
  }

  public static LocalInfra infra() {
    return TestInfra.shared();
  }

  // Users ------------------------------------------------------------------------------------------

  /** A new customer signed up through the gateway; answers their token. */
  public String newCustomer() {
    String username = "guest-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject credentials = new JsonObject().put("username", username).put("password", "oat-milk");
    Http.Response signedUp = http.post("/auth/signup", null, credentials);
    if (signedUp.status() != 201) {
      throw new AssertionError("sign-up answered " + signedUp);
    }
    return tokenOf(username, "oat-milk");
  }

  /** Signs in (the seeded staff use their name as password); answers the token. */
  public String tokenOf(String username, String password) {
    Http.Response answer = http.post("/auth/token", null,
        new JsonObject().put("username", username).put("password", password));
    if (answer.status() != 200) {
      throw new AssertionError("sign-in of " + username + " answered " + answer);
    }
    return answer.json().getString("access_token");
  }

  public String staff(String username) {
    return tokenOf(username, username);
  }

  // Quiet ------------------------------------------------------------------------------------------

  /** Whether every consumer group has handled everything on its topics. */
  public static boolean quiet(KafkaTap tap) {
    return GROUPS.entrySet().stream().allMatch(g -> tap.caughtUp(g.getKey(), g.getValue()));
  }

  /** Waits until every consumer group has handled everything on its topics. */
  public static void awaitQuiet(KafkaTap tap, Duration timeout) {
    Eventually.await(timeout, "every consumer group caught up", () -> quiet(tap));
  }

  /**
   * Lets the stack finish what it is doing (every group caught up, so the next stack in this JVM
   * does not inherit this one's events), then stops the gateway and the services, last started first.
   */
  @Override
  public void close() {
    if (services.size() == 6) {
      try (KafkaTap tap = KafkaTap.open(infra().kafkaBootstrap())) {
        awaitQuiet(tap, Duration.ofSeconds(30));
      } catch (AssertionError e) {
        LOG.warning("stack " + name + " stops before every group caught up: " + e.getMessage());
      }
    }
    RuntimeException failure = null;
    List<RunningService> all = new ArrayList<>(services.values());
    all.addAll(extraBaristas);
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    services.clear();
    extraBaristas.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    groups.put(OrderSaga.GROUP, OrderSaga.TOPICS);
    groups.put(RefundOnCancel.GROUP, RefundOnCancel.TOPICS);
    groups.put(OrderEvents.GROUP, List.of(Topics.ORDERS));
    groups.put(DeliveryEvents.GROUP, List.of(Topics.BARISTA, Topics.ORDERS));
    groups.put(MypageConfig.DEFAULT_GROUP, Topics.ALL);
    return Map.copyOf(groups);
  }

  private static int freePort() {
    return cafe.infra.Ports.free();
  }
}
