package cafe.common.launch;

import cafe.common.config.Env;
import cafe.common.http.Problem;
import cafe.common.http.RequestId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One service's process: its Vert.x instance, metrics registry, health checks, HTTP servers and
 * the ordered list of things to stop. Services build their adapters on it and call {@link #serve}.
 *
 * <p>Shutdown (SIGTERM) drains: readiness goes DOWN, the HTTP servers stop accepting and finish
 * the requests in flight, consumers finish and commit their batch, relays finish theirs, clients
 * close, Vert.x closes; all within {@code SHUTDOWN_TIMEOUT_MS}.
 */
public final class ServiceRuntime {
  private static final Logger LOG = Logger.getLogger(ServiceRuntime.class.getName());

  private final String name;
  private final Env env;
  private final Vertx vertx;
  private final PrometheusMeterRegistry metrics;
  private final HealthChecks readiness;
  private final HealthChecks liveness;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final Deque<Supplier<Future<Void>>> stopSteps = new ArrayDeque<>();
  private final long shutdownTimeoutMs;
  private final long shutdownDelayMs;
  private volatile boolean draining;
  private Future<Void> shutdown;
  private final Promise<Void> stopped = Promise.promise();

  private ServiceRuntime(String name, Env env) {
    this.name = name;
    this.env = env;
    this.shutdownTimeoutMs = env.millis("SHUTDOWN_TIMEOUT_MS", 10_000);
    this.shutdownDelayMs = env.millis("SHUTDOWN_DELAY_MS", 0);
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics.config().commonTags("service", name);
    // Latency histograms (Prometheus buckets), so p99 can be computed across pods.
    this.metrics.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
      @Override
      public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(
          io.micrometer.core.instrument.Meter.Id id,
          io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
        if (id.getName().equals("vertx.http.server.response.time")
            || (id.getName().startsWith("cafe") && id.getType() == io.micrometer.core.instrument.Meter.Type.TIMER)) {
          return io.micrometer.core.instrument.distribution.DistributionStatisticConfig.builder()
              .percentilesHistogram(true)
              .minimumExpectedValue(1_000_000.0)
              .maximumExpectedValue(10_000_000_000.0)
              .build()
              .merge(config);
        }
        return config;
      }
    });
    MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Pool labels on, so every pool's meters share one set of tag keys (Prometheus refuses mixed ones).
        .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))
        // Per-connection byte counts and per-message event-bus meters (every outbox wake-up is one) cost
        // more on a busy service than they tell; HTTP server and client metrics stay.
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    // Non-daemon event loops keep the process alive after main returns, until SIGTERM drains it.
    VertxOptions options = new VertxOptions().setMetricsOptions(metricsOptions).setUseDaemonThread(false);
    env.optional("EVENT_LOOPS").ifPresent(n -> options.setEventLoopPoolSize(env.integer("EVENT_LOOPS", 2)));
    // Blocking work is rare here (start-up, the Kafka client's calls); every worker thread costs memory.
    env.optional("WORKER_POOL_SIZE").ifPresent(n -> options.setWorkerPoolSize(env.integer("WORKER_POOL_SIZE", 20)));
    this.vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics)).build();
    this.readiness = HealthChecks.create(vertx);
    this.liveness = HealthChecks.create(vertx);
    this.readiness.register("accepting", promise ->
        promise.complete(draining ? Status.KO(new JsonObject().put("reason", "draining")) : Status.OK()));
    this.liveness.register("event-loop", promise -> promise.complete(Status.OK()));
  }

  public static ServiceRuntime create(String name, Env env) {
    return new ServiceRuntime(name, env);
  }

  public String name() {
    return name;
  }

  public Env env() {
    return env;
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public boolean draining() {
    return draining;
  }

  /**
   * Liveness is DOWN while {@code problem} names one (null: all is well), so Kubernetes restarts a process
   * that cannot heal itself, such as a consumer stuck on one batch.
   */
  public void liveUnless(String check, Supplier<String> problem) {
    liveness.register(check, promise -> {
      String found = problem.get();
      promise.complete(found == null ? Status.OK() : Status.KO(new JsonObject().put("reason", found)));
    });
  }

  /**
   * Something the service can answer HTTP without for a while (Kafka, with the outbox holding what is to be
   * sent): asked every {@code DEPENDENCY_CHECK_MS} (10 s), its state exported as
   * {@code cafe_dependency_up{dependency}} (1 or 0) for alerts, and kept out of readiness, so a short outage
   * does not take every pod out of its Service.
   */
  public void watch(String dependency, Supplier<Future<?>> probe) {
    java.util.concurrent.atomic.AtomicInteger up = new java.util.concurrent.atomic.AtomicInteger(1);
    io.micrometer.core.instrument.Gauge.builder("cafe_dependency_up", up, java.util.concurrent.atomic.AtomicInteger::get)
        .tag("dependency", dependency)
        .description("1 while the dependency answers its probe, 0 when it does not")
        .register(metrics);
    java.util.concurrent.atomic.AtomicBoolean asking = new java.util.concurrent.atomic.AtomicBoolean();
    long timer = vertx.setPeriodic(1, env.millis("DEPENDENCY_CHECK_MS", 10_000), t -> {
      if (asking.compareAndSet(false, true)) {
        Future<?> answer;
        try {
          answer = probe.get();
        } catch (RuntimeException e) {
          answer = Future.failedFuture(e);
        }
        answer.timeout(2, java.util.concurrent.TimeUnit.SECONDS).onComplete(ar -> {
          int was = up.getAndSet(ar.succeeded() ? 1 : 0);
          if (was == 1 && ar.failed()) {
            LOG.warning(dependency + " does not answer: " + ar.cause().getMessage());
          } else if (was == 0 && ar.succeeded()) {
            LOG.info(dependency + " answers again");
          }
          asking.set(false);
        });
      }
    });
    onStop(() -> {
      vertx.cancelTimer(timer);
      return Future.succeededFuture();
    });
  }

  /** Readiness is UP only while every probe answers within two seconds. */
  public void readyWhen(String check, Supplier<Future<?>> probe) {
    readiness.register(check, 2000, promise -> probe.get().onComplete(ar -> promise.complete(ar.succeeded()
        ? Status.OK()
        : Status.KO(new JsonObject().put("error", String.valueOf(ar.cause().getMessage()))))));
  }

  /**
   * Runs {@code round} {@code WARMUP_ROUNDS} times (default 2000; 0: not at all), four at a time, and keeps
   * readiness DOWN ("warm-up") until they are done: a new instance (a start, a rollout, a scale-out) runs its hot
   * paths through the JIT before it is sent traffic, so its first minute is not a cold stampede. A round that fails
   * still counts (a warm-up has no customer waiting on it); it stops early after {@code WARMUP_MAX_MS} (20 s).
   */
  public Future<Void> warmUp(String what, java.util.function.Function<io.vertx.core.http.HttpClient, Supplier<Future<?>>>
      rounds) {
    // A client of the service's own, for rounds that go through its HTTP stack; closed once warm.
    io.vertx.core.http.HttpClient self = vertx.createHttpClient();
    return warmUp(what, rounds.apply(self)).onComplete(v -> self.close());
  }

  private Future<Void> warmUp(String what, Supplier<Future<?>> round) {
    int rounds = env.integer("WARMUP_ROUNDS", 2000);
    long deadline = System.nanoTime() + env.millis("WARMUP_MAX_MS", 20_000) * 1_000_000;
    Promise<Void> warm = Promise.promise();
    readiness.register("warm-up-" + what, promise -> promise.complete(warm.future().isComplete()
        ? Status.OK() : Status.KO(new JsonObject().put("reason", what + " is warming up"))));
    long began = System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(rounds);
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(4, rounds); lane++) {
      Promise<Void> done = Promise.promise();
      warmLane(round, left, deadline, done);
      lanes.add(done.future());
    }
    Future.join(lanes).onComplete(ar -> {
      Logging.lifecycle(name, what + " warmed up in " + (System.nanoTime() - began) / 1_000_000 + " ms ("
          + (rounds - Math.max(0, left.get())) + " rounds)");
      warm.tryComplete();
    });
    return warm.future();
  }

  /** Runs rounds one after another until none is left; each next one through the event loop, so the stack stays flat. */
  private void warmLane(Supplier<Future<?>> round, java.util.concurrent.atomic.AtomicInteger left, long deadline,
      Promise<Void> done) {
    if (draining || left.getAndDecrement() <= 0 || System.nanoTime() > deadline) {
      done.tryComplete();
      return;
    }
    Future<?> one;
    try {
      one = round.get();
    } catch (RuntimeException e) {
      one = Future.failedFuture(e);
    }
    one.onComplete(ar -> vertx.runOnContext(x -> warmLane(round, left, deadline, done)));
  }

  /** Something to stop at shutdown; the last one registered stops first (consumers before their clients). */
  public void onStop(Supplier<Future<Void>> step) {
    synchronized (stopSteps) {
      stopSteps.push(step);
    }
  }

  /**
   * Serves HTTP on {@code port} (0 = any free port) with {@code HTTP_INSTANCES} verticle instances
   * (default: one per core), each with its own router: request ids, body limit, health, metrics,
   * then the service's routes, then problem+json for every failure. Answers the bound port.
   */
  public Future<Integer> serve(int port, Consumer<Router> routes) {
    int instances = Math.max(1, env.integer("HTTP_INSTANCES", Runtime.getRuntime().availableProcessors()));
    long bodyLimit = env.integer("HTTP_BODY_LIMIT_BYTES", 64 * 1024);
    Supplier<Router> routers = () -> router(routes, bodyLimit);
    int chosen = port == 0 ? freePort() : port;
    return deploy(chosen, instances, routers);
  }

  /**
   * Instances share a listening port only when they all name it, so "any free port" is picked first: one below
   * 32768, where Linux does not take ports for outgoing connections, so nothing else can take it meanwhile.
   */
  private static int freePort() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int tries = 0; tries < 200; tries++) {
      try (java.net.ServerSocket socket = new java.net.ServerSocket(random.nextInt(20_000, 32_768))) {
        return socket.getLocalPort();
      } catch (java.io.IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port between 20000 and 32768");
  }

  private Future<Integer> deploy(int port, int instances, Supplier<Router> routers) {
    String host = env.string("HTTP_HOST", "0.0.0.0");
    List<Integer> ports = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new HttpVerticle(host, port, routers, server -> {
      servers.add(server);
      ports.add(server.actualPort());
    }), new DeploymentOptions().setInstances(instances)).map(id -> ports.get(0));
  }

  private Router router(Consumer<Router> routes, long bodyLimit) {
    Router router = Router.router(vertx);
    router.route().handler(RequestId.handler());
    router.route().handler(cafe.common.http.ServerTiming::handle);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics));
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
    // A WebSocket handshake must reach its route unread, or the upgrade fails.
    router.route().handler(ctx -> {
      if (ctx.request().headers().contains("Upgrade", "websocket", true)) {
        ctx.next();
      } else {
        body.handle(ctx);
      }
    });
    routes.accept(router);
    router.route().failureHandler(Problem.failureHandler());
    for (int status : new int[] {404, 405, 413, 415}) {
      router.errorHandler(status, Problem.failureHandler());
    }
    return router;
  }

  /** Completes once {@link #shutdown()} has finished. */
  public Future<Void> whenStopped() {
    return stopped.future();
  }

  /** Drains and stops everything; safe to call more than once. */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    draining = true;
    Logging.lifecycle(name, "draining");
    long started = System.nanoTime();
    Promise<Void> delay = Promise.promise();
    if (shutdownDelayMs > 0) {
      vertx.setTimer(shutdownDelayMs, t -> delay.complete());
    } else {
      delay.complete();
    }
    List<Supplier<Future<Void>>> steps;
    synchronized (stopSteps) {
      steps = new ArrayList<>(stopSteps);
    }
    shutdown = delay.future()
        .compose(v -> {
          List<Future<Void>> closing = new ArrayList<>();
          for (HttpServer server : servers) {
            closing.add(server.shutdown(shutdownTimeoutMs, TimeUnit.MILLISECONDS));
          }
          return Future.join(closing);
        })
        .transform(v -> runSteps(steps, 0))
        .transform(v -> vertx.close())
        .onComplete(ar -> {
          Logging.lifecycle(name, "stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms");
          stopped.tryComplete();
        });
    return shutdown;
  }

  private Future<Void> runSteps(List<Supplier<Future<Void>>> steps, int index) {
    if (index >= steps.size()) {
      return Future.succeededFuture();
    }
    Future<Void> step;
    try {
      step = steps.get(index).get();
    } catch (RuntimeException e) {
      step = Future.failedFuture(e);
    }
    return step.transform(ar -> {
      if (ar.failed()) {
        LOG.warning(name + ": a stop step failed: " + ar.cause().getMessage());
      }
      return runSteps(steps, index + 1);
    });
  }
}
