package cafe.launcher;

import cafe.infra.InfraOptions;
import cafe.infra.InfraOptions.Component;
import cafe.infra.Keys;
import cafe.infra.LocalInfra;
import cafe.infra.PgDatabases;
import cafe.infra.Ports;
import cafe.infra.Processes;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code up}: local infrastructure, then every service as its own process, then wait until all are ready.
 * Stopping (Ctrl-C, SIGTERM) goes the other way: services first, so they can finish with Kafka and the
 * databases still there, then the infrastructure.
 */
final class Up {

  /**
   * JVM flags every service starts with. A Vert.x service needs tens of megabytes of heap, not hundreds
   * (about 15 MB live here): the serial collector (no GC threads, smallest footprint), a small young
   * generation and a heap that gives memory back, one C1 compiler thread (C2's peak speed costs 20-50 MB
   * per process), capped metaspace and code cache, small stacks, and malloc'd memory returned to the
   * system every few seconds. Methods over 8,000 bytes of bytecode are compiled too: the JSON Schema
   * validator's one is, and run interpreted it was a tenth of order's and payment's CPU. Flags an older
   * Java 17 lacks are skipped rather than refused.
   */
  static final List<String> DEFAULT_JAVA_OPTS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions", "-XX:+UseSerialGC", "-Xms16m", "-Xmn8m", "-XX:MinHeapFreeRatio=10",
      "-XX:MaxHeapFreeRatio=30", "-Xss256k", "-XX:MaxMetaspaceSize=96m", "-XX:MetaspaceReclaimPolicy=aggressive",
      "-XX:ReservedCodeCacheSize=32m", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
      "-XX:TrimNativeHeapInterval=5000", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError",
      "-XX:-DontCompileHugeMethods");
  /** Largest heap per service (MB): the busiest hops get the most room. */
  static final Map<String, Integer> DEFAULT_HEAP_MB = Map.of(
      "gateway", 96, "order", 96, "payment", 64, "barista", 64, "delivery", 64, "mypage", 64);
  private static final long STOP_GRACE_MILLIS = 20_000;
  private static final int DEFAULT_READY_SECONDS = 60;
  private static final int TAIL_LINES = 20;
  private static final List<String> PG_DATABASES = List.of("order", "payment", "gateway");
  private static final List<String> MONGO_DATABASES = List.of("barista", "delivery");

  private final CafeHome home;
  private final Map<String, String> env;
  private final ServicePids pids;
  private final List<ServiceProcess> services = new CopyOnWriteArrayList<>();
  private final CountDownLatch startupDone = new CountDownLatch(1);
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private volatile boolean stopping;
  private volatile LocalInfra infra;
  private RunLock lock;
  private boolean stopped;

  Up(CafeHome home, Map<String, String> env) {
    this.home = home;
    this.env = env;
    this.pids = new ServicePids(home);
  }

  /** Runs until stopped; returns the exit code when start-up fails. */
  int run() throws InterruptedException {
    long begin = System.nanoTime();
    lock = RunLock.acquire(home.dataDir(), "starting it again");
    Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "cafe-stop"));
    try {
      start(begin);
    } catch (RuntimeException e) {
      if (!stopping) {
        report(e);
      }
      stopAll();
      return 1;
    } finally {
      startupDone.countDown();
    }
    for (ServiceProcess service : services) {
      service.process().onExit().thenAccept(process -> {
        if (!stopping) {
          System.err.println("cafe: " + service.service().name() + " stopped on its own with code "
              + process.exitValue() + "; see " + home.show(service.log()));
        }
      });
    }
    // The shutdown hook ends the JVM; until then there is nothing to do here.
    new CountDownLatch(1).await();
    return 0;
  }

  private void start(long begin) {
    Map<Service, Integer> ports = ports();
    for (Service service : Service.ALL) {
      if (!Files.isRegularFile(home.jar(service))) {
        throw new LaunchException(home.show(home.jar(service)) + " is missing; build first: ./mvnw package -DskipTests");
      }
    }
    pids.stopLeftovers();
    for (Service service : Service.ALL) {
      int port = ports.get(service);
      if (!Ports.isFree(port)) {
        throw new LaunchException(service.name() + ": port " + port + " is already in use (set "
            + service.portVariable() + " to use another)");
      }
    }
    ServiceEnvironment.Endpoints endpoints = infrastructure();
    abortIfStopping();

    System.out.println("cafe: starting " + Service.ALL.size() + " services...");
    ServiceEnvironment environments = new ServiceEnvironment(env, endpoints, ports);
    for (Service service : Service.ALL) {
      List<String> command = new ArrayList<>(List.of(Processes.javaBinary()));
      command.addAll(javaOpts(service));
      command.addAll(List.of("-jar", home.jar(service).toString()));
      services.add(ServiceProcess.start(service, ports.get(service), command, environments.forService(service),
          home.runDir().resolve(service.name()), home.logDir().resolve(service.name() + ".log")));
    }
    pids.write(services, home);
    awaitReady();

    double seconds = (System.nanoTime() - begin) / 1e9;
    System.out.println();
    System.out.printf(Locale.ROOT, "cafe is up in %.1f s%n", seconds);
    System.out.println();
    System.out.println("  Open     http://localhost:" + ports.get(Service.GATEWAY));
    System.out.println("  Log in   alice/alice, bob/bob (customers), barista/barista, rider/rider, admin/admin");
    System.out.println("  Logs     " + home.logDir());
    System.out.println();
    System.out.println("Ctrl-C to stop.");
  }

  /** Starts what has no outside URL and works out every service's URLs. */
  private ServiceEnvironment.Endpoints infrastructure() {
    String kafka = outside("KAFKA_BOOTSTRAP_SERVERS");
    String pg = outside("PG_URL");
    String redis = outside("REDIS_URL");
    String mongo = outside("MONGO_URL");
    InfraOptions options = InfraOptions.persistent(home.dataDir()).withShutdownHook(false);
    List<String> starting = new ArrayList<>();
    if (kafka != null) {
      options = options.without(Component.KAFKA);
    } else {
      starting.add("Kafka");
    }
    if (pg != null) {
      options = options.without(Component.POSTGRES);
    } else {
      starting.add("PostgreSQL");
    }
    if (redis != null) {
      options = options.without(Component.REDIS);
    } else {
      starting.add("Redis");
    }
    if (mongo != null) {
      options = options.without(Component.MONGO);
    } else {
      starting.add("MongoDB stand-in");
    }

    Path keyDir = home.keyDir();
    Path publicKey = path("JWT_PUBLIC_KEY_FILE");
    Path privateKey = path("JWT_PRIVATE_KEY_FILE");
    if (publicKey == null || privateKey == null) {
      Keys.loadOrCreate(keyDir);
      publicKey = keyDir.resolve(Keys.PUBLIC_KEY_FILE);
      privateKey = keyDir.resolve(Keys.PRIVATE_KEY_FILE);
    }

    if (!starting.isEmpty()) {
      long begin = System.nanoTime();
      System.out.println("cafe: starting " + String.join(", ", starting) + " (data in " + home.show(home.dataDir())
          + ")...");
      infra = LocalInfra.start(options);
      System.out.printf(Locale.ROOT, "cafe: infrastructure ready in %.1f s%n", (System.nanoTime() - begin) / 1e9);
    }
    LocalInfra local = infra;
    Map<String, String> pgUrls = new LinkedHashMap<>();
    for (String database : PG_DATABASES) {
      pgUrls.put(database, pg == null ? local.pgUrl(database) : outsideDatabase(pg, database));
    }
    Map<String, String> mongoUrls = new LinkedHashMap<>();
    for (String database : MONGO_DATABASES) {
      mongoUrls.put(database, mongo == null ? local.mongoUrl(database) : Urls.withDatabase(mongo, database));
    }
    return new ServiceEnvironment.Endpoints(kafka == null ? local.kafkaBootstrap() : kafka, pgUrls,
        redis == null ? local.redisUrl() : redis, mongoUrls, publicKey, privateKey);
  }

  /** The database on an outside server; created when we may, else the services will say what is missing. */
  private static String outsideDatabase(String base, String database) {
    String url = Urls.withDatabase(base, database);
    try {
      PgDatabases.ensure(url);
    } catch (RuntimeException e) {
      System.err.println("cafe: could not make sure database " + database + " exists on PG_URL: " + e.getMessage());
    }
    return url;
  }

  private void awaitReady() {
    int seconds = intSetting("CAFE_READY_TIMEOUT_S", DEFAULT_READY_SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Set<ServiceProcess> pending = new LinkedHashSet<>(services);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    while (true) {
      abortIfStopping();
      for (Iterator<ServiceProcess> it = pending.iterator(); it.hasNext(); ) {
        ServiceProcess service = it.next();
        if (!service.isAlive()) {
          throw new LaunchException(service.service().name() + " exited with code " + service.process().exitValue()
              + " before it was ready; last lines of " + home.show(service.log()) + ":", service.tail(TAIL_LINES));
        }
        if (service.answersReady(http)) {
          it.remove();
          System.out.printf(Locale.ROOT, "cafe:   %-8s ready on port %d (%.1f s)%n", service.service().name(),
              service.port(), service.secondsSinceStart());
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        List<String> details = new ArrayList<>();
        for (ServiceProcess service : pending) {
          details.add("--- last lines of " + home.show(service.log()) + " ---");
          details.addAll(service.tail(TAIL_LINES));
        }
        throw new LaunchException("not ready after " + seconds + " s (GET /health/ready): " + pending.stream()
            .map(service -> service.service().name()).collect(Collectors.joining(", ")), details);
      }
      try {
        stopRequested.await(250, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LaunchException("interrupted while waiting for the services");
      }
    }
  }

  private void onSignal() {
    stopping = true;
    stopRequested.countDown();
    try {
      // Let the main thread finish what it is starting, so nothing is left running behind our back.
      startupDone.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopAll();
  }

  /** Services first (SIGTERM, then SIGKILL after the grace period), then the infrastructure. */
  private synchronized void stopAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (!services.isEmpty()) {
      System.out.println("cafe: stopping services...");
      services.forEach(ServiceProcess::terminate);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
      for (ServiceProcess service : services) {
        if (!service.awaitExit(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))) {
          System.err.println("cafe: " + service.service().name() + " did not stop within "
              + STOP_GRACE_MILLIS / 1000 + " s; killing it");
          service.kill();
        }
      }
      pids.delete();
    }
    if (infra != null) {
      System.out.println("cafe: stopping infrastructure...");
      infra.close();
    }
    lock.close();
    System.out.println("cafe: stopped");
  }

  private void abortIfStopping() {
    if (stopping) {
      throw new LaunchException("stopped while starting");
    }
  }

  private Map<Service, Integer> ports() {
    Map<Service, Integer> ports = new LinkedHashMap<>();
    for (Service service : Service.ALL) {
      ports.put(service, intSetting(service.portVariable(), service.defaultPort()));
    }
    if (Set.copyOf(ports.values()).size() != ports.size()) {
      throw new LaunchException("two services would share a port: " + ports);
    }
    return ports;
  }

  /**
   * CAFE_<SERVICE>_JAVA_OPTS for one service, else CAFE_JAVA_OPTS for all, else the defaults with the
   * service's heap; CAFE_<SERVICE>_JAVA_OPTS_EXTRA adds flags to whichever applies (e.g. a flight recording).
   */
  List<String> javaOpts(Service service) {
    String own = outside(service.javaOptsVariable());
    String all = outside("CAFE_JAVA_OPTS");
    List<String> opts = new ArrayList<>();
    if (own != null) {
      opts.addAll(Arrays.asList(own.split("\\s+")));
    } else if (all != null) {
      opts.addAll(Arrays.asList(all.split("\\s+")));
    } else {
      opts.addAll(DEFAULT_JAVA_OPTS);
      opts.add("-Xmx" + DEFAULT_HEAP_MB.getOrDefault(service.name(), 96) + "m");
    }
    String extra = outside(service.javaOptsVariable() + "_EXTRA");
    if (extra != null) {
      opts.addAll(Arrays.asList(extra.split("\\s+")));
    }
    return opts;
  }

  /** The default heaps as the help shows them: "barista 64m, delivery 64m, ...". */
  static String defaultHeaps() {
    return new java.util.TreeMap<>(DEFAULT_HEAP_MB).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue() + "m").collect(Collectors.joining(", "));
  }

  private int intSetting(String name, int fallback) {
    String value = outside(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new LaunchException(name + " must be a number, got '" + value + "'");
    }
  }

  private Path path(String name) {
    String value = outside(name);
    return value == null ? null : Path.of(value).toAbsolutePath();
  }

  /** A variable from the launcher's environment, or null when unset or blank. */
  private String outside(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static void report(RuntimeException e) {
    String message = e instanceof LaunchException || e.getMessage() != null ? e.getMessage() : e.toString();
    System.err.println("cafe: " + message);
    if (e instanceof LaunchException launch) {
      launch.details().forEach(line -> System.err.println("  " + line));
    }
    System.err.println("cafe: stopping everything");
  }
}
