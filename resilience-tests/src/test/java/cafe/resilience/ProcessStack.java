package cafe.resilience;

import cafe.infra.InfraOptions;
import cafe.infra.LocalInfra;
import cafe.infra.Ports;
import cafe.infra.Processes;
import cafe.infra.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The whole cafe as it runs in a cluster: local infrastructure (free ports, a temporary folder), and each
 * service as its own JVM started from its jar, as a pod runs it, with the environment {@code ./cafe up}
 * gives it. Instances can be killed (SIGKILL), terminated (SIGTERM, they drain) and started again on the
 * same port; a service may run a second instance ({@code order-b}) on a port of its own.
 *
 * <p>One per test JVM ({@link #shared()}); each scenario asks for the {@link Layout} it needs and the
 * stack starts, stops or restarts only what differs. Every child's output goes to
 * {@code target/resilience-logs/<instance>.log}, appended across restarts.
 */
public final class ProcessStack {
  private static final Logger LOG = Logger.getLogger(ProcessStack.class.getName());
  private static final List<String> JAVA_OPTS = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  /** Kept short: a drain that takes longer than this is itself a finding. */
  static final long SHUTDOWN_TIMEOUT_MS = 5000;
  /** Readiness DOWN this long before a terminated instance stops accepting, as a pod's preStop pause gives. */
  static final long SHUTDOWN_DELAY_MS = 1000;
  private static final String PID_FILE = "children.pids";

  /** A service: its Maven module and name. */
  public enum Service {
    GATEWAY("gateway-verticle"), ORDER("order-verticle"), PAYMENT("payment-verticle"),
    BARISTA("barista-verticle"), DELIVERY("delivery-verticle"), MYPAGE("mypage-verticle");

    private final String module;

    Service(String module) {
      this.module = module;
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@code order} for instances {@code order} and {@code order-b}. */
    static Service of(String instance) {
      int dash = instance.indexOf('-');
      return valueOf((dash < 0 ? instance : instance.substring(0, dash)).toUpperCase(Locale.ROOT));
    }
  }

  /** Which instances run, each with the settings it gets on top of the fixture's. */
  public record Layout(Map<String, Map<String, String>> instances) {
    public Layout {
      // In order: instances start, and are restarted, in the order they were named.
      instances = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    }

    /** The six services, one instance each, as {@code ./cafe up} runs them. */
    public static Layout standard() {
      Map<String, Map<String, String>> all = new LinkedHashMap<>();
      for (Service service : Service.values()) {
        all.put(service.id(), Map.of());
      }
      return new Layout(all);
    }

    public Layout with(String instance, Map<String, String> settings) {
      Map<String, Map<String, String>> all = new LinkedHashMap<>(instances);
      all.put(instance, settings);
      return new Layout(all);
    }
  }

  private static ProcessStack shared;
  private static RuntimeException failure;

  private final Path root;
  private final Path logs;
  private final LocalInfra infra;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Child> running = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  /** One running JVM. */
  private record Child(String instance, Process process, Map<String, String> settings) {
  }

  private ProcessStack(Path root, Path logs, LocalInfra infra) {
    this.root = root;
    this.logs = logs;
    this.infra = infra;
  }

  /** The stack of this JVM; infrastructure starts on first use, services when a layout asks for them. */
  public static synchronized ProcessStack shared() {
    if (failure != null) {
      // Every scenario needs it: do not pay for a failed start again in each test class.
      throw new IllegalStateException("the stack failed to start earlier: " + failure.getMessage(), failure);
    }
    try {
      return startShared();
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private static ProcessStack startShared() {
    if (shared == null) {
      Path root = Path.of(System.getProperty("cafe.root", "..")).toAbsolutePath().normalize();
      Path logs = Path.of(System.getProperty("cafe.resilience.logs", "target/resilience-logs")).toAbsolutePath();
      for (Service service : Service.values()) {
        Path jar = jar(root, service);
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.resolveSibling("lib"))) {
          throw new IllegalStateException(jar + " (with its lib/) is missing; build the services first:"
              + " ./mvnw package -DskipTests");
        }
      }
      try {
        Files.createDirectories(logs);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      stopLeftovers(logs.resolve(PID_FILE));
      deleteOldLogs(logs);
      long began = System.nanoTime();
      LocalInfra infra = LocalInfra.start(InfraOptions.ephemeral().withShutdownHook(false));
      LOG.info("infrastructure ready in " + (System.nanoTime() - began) / 1_000_000 + " ms (data "
          + infra.dataDir() + ")");
      ProcessStack stack = new ProcessStack(root, logs, infra);
      // Services first, so they drain while Kafka and the databases are still there.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stack.stopAll();
        infra.close();
      }, "process-stack-stop"));
      shared = stack;
    }
    return shared;
  }

  public LocalInfra infra() {
    return infra;
  }

  public Path logs() {
    return logs;
  }

  /** Makes the running instances match the layout, then waits until every one of them is ready. */
  public synchronized void use(Layout layout) {
    for (String instance : new ArrayList<>(running.keySet())) {
      if (!layout.instances().containsKey(instance)) {
        if (running.get(instance).process().isAlive()) {
          terminate(instance);
        }
        running.remove(instance);
      }
    }
    List<String> starting = new ArrayList<>();
    layout.instances().forEach((instance, settings) -> {
      Child child = running.get(instance);
      if (child != null && child.process().isAlive() && child.settings().equals(settings)) {
        return;
      }
      if (child != null && child.process().isAlive()) {
        terminate(instance);
      } else if (child != null) {
        LOG.warning(instance + " had stopped on its own with exit code " + child.process().exitValue() + "; see "
            + log(instance));
      }
      spawn(instance, settings);
      starting.add(instance);
    });
    starting.forEach(this::awaitReady);
  }

  /** The instance's base URL, e.g. {@code http://127.0.0.1:41234}; its port is fixed once chosen. */
  public synchronized String url(String instance) {
    return "http://127.0.0.1:" + port(instance);
  }

  public String gateway() {
    return url(Service.GATEWAY.id());
  }

  /** SIGKILL, as a crash or an OOM kill would; waits until the process is gone. */
  public synchronized void kill9(String instance) {
    Child child = require(instance);
    child.process().destroyForcibly();
    awaitExit(child, 10_000);
    LOG.info(instance + ": killed (SIGKILL)");
  }

  /**
   * SIGTERM, as Kubernetes sends before it stops a pod; waits for the drain to finish and answers the
   * exit code. Fails when the process outlives its drain deadline.
   */
  public synchronized int terminate(String instance) {
    Child child = require(instance);
    long delay = Long.parseLong(child.settings().getOrDefault("SHUTDOWN_DELAY_MS", Long.toString(SHUTDOWN_DELAY_MS)));
    long began = System.nanoTime();
    child.process().destroy();
    long grace = delay + SHUTDOWN_TIMEOUT_MS + 10_000;
    if (!awaitExit(child, grace)) {
      child.process().destroyForcibly();
      awaitExit(child, 10_000);
      throw new AssertionError(instance + " did not stop within " + grace + " ms of SIGTERM; see "
          + log(instance));
    }
    int code = child.process().exitValue();
    LOG.info(instance + ": stopped after SIGTERM in " + (System.nanoTime() - began) / 1_000_000 + " ms, exit code "
        + code);
    return code;
  }

  /** Starts the instance again on its port with the settings it had, and waits until it is ready. */
  public synchronized void start(String instance) {
    Child before = running.get(instance);
    if (before != null && before.process().isAlive()) {
      throw new IllegalStateException(instance + " is still running");
    }
    spawn(instance, before == null ? Map.of() : before.settings());
    awaitReady(instance);
  }

  public synchronized boolean isRunning(String instance) {
    Child child = running.get(instance);
    return child != null && child.process().isAlive();
  }

  /** Whether {@code GET /health/ready} answers 200 right now. */
  public boolean ready(String instance) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url(instance) + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public Path log(String instance) {
    return logs.resolve(instance + ".log");
  }

  /** SIGTERM to every instance, SIGKILL to those still there after their drain deadline. */
  synchronized void stopAll() {
    running.values().forEach(child -> child.process().destroy());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_TIMEOUT_MS + 5_000);
    for (Child child : running.values()) {
      if (!awaitExit(child, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))) {
        child.process().destroyForcibly();
      }
    }
    running.clear();
    try {
      Files.deleteIfExists(logs.resolve(PID_FILE));
    } catch (IOException e) {
      // the next run checks each pid before it stops anything
    }
  }

  private void spawn(String instance, Map<String, String> settings) {
    Service service = Service.of(instance);
    int port = port(instance);
    if (!Ports.isFree(port)) {
      throw new IllegalStateException(instance + ": port " + port + " is still taken");
    }
    List<String> command = new ArrayList<>();
    command.add(Processes.javaBinary());
    command.addAll(JAVA_OPTS);
    command.add("-jar");
    command.add(jar(root, service).toString());
    Path log = log(instance);
    try {
      Files.writeString(log, "---- " + Instant.now() + " " + instance + " starting on port " + port
              + (settings.isEmpty() ? "" : " with " + new TreeMap<>(settings)) + System.lineSeparator(),
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(Processes.detached(command))
          .directory(logs.toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(log.toFile()));
      builder.environment().clear();
      builder.environment().putAll(environment(instance, service, settings));
      Process process = builder.start();
      running.put(instance, new Child(instance, process, Map.copyOf(settings)));
      Files.writeString(logs.resolve(PID_FILE), process.pid() + " " + jar(root, service) + System.lineSeparator(),
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(instance + " could not be started", e);
    }
  }

  /** What {@code ./cafe up} sets for the service, with small automatic brew and delivery times for load. */
  private Map<String, String> environment(String instance, Service service, Map<String, String> settings) {
    Map<String, String> env = new TreeMap<>();
    env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin"));
    env.put("SERVICE_NAME", service.id());
    env.put("HTTP_PORT", Integer.toString(port(instance)));
    env.put("HTTP_INSTANCES", "1");
    env.put("KAFKA_BOOTSTRAP_SERVERS", infra.kafkaBootstrap());
    env.put("JWT_PUBLIC_KEY_FILE", TestTokens.shared().publicKeyFile().toString());
    env.put("SHUTDOWN_TIMEOUT_MS", Long.toString(SHUTDOWN_TIMEOUT_MS));
    // Warmed before ready as a pod is, with fewer rounds: these instances start and stop many times per run.
    env.put("WARMUP_ROUNDS", "300");
    env.put("SHUTDOWN_DELAY_MS", Long.toString(SHUTDOWN_DELAY_MS));
    env.put("LOG_LEVEL", "INFO");
    switch (service) {
      case ORDER -> {
        env.put("PG_URL", infra.pgUrl("order"));
        env.put("PAYMENT_URL", url(Service.PAYMENT.id()));
        // Orders left PAYMENT_PENDING are charged again soon, so scenarios settle in seconds.
        env.put("PAYMENT_RETRY_POLL_MS", "250");
        env.put("PAYMENT_RETRY_BACKOFF_MS", "500");
        env.put("PAYMENT_RETRY_MAX_BACKOFF_MS", "2000");
      }
      case PAYMENT -> env.put("PG_URL", infra.pgUrl("payment"));
      case BARISTA -> {
        env.put("MONGO_URL", infra.mongoUrl("barista"));
        env.put("CAFE_AUTO_BREW_MS", "50");
        // A restarted barista sweeps at once; sweeping often also picks up what a crash left in between.
        env.put("CAFE_AUTO_SWEEP_MS", "1000");
        // Enough for every order of every scenario: running out would cancel orders, which is not under test.
        env.put("CAFE_SEED_STOCK", "1000000");
      }
      case DELIVERY -> {
        env.put("MONGO_URL", infra.mongoUrl("delivery"));
        env.put("CAFE_AUTO_DELIVER_MS", "50");
        env.put("CAFE_AUTO_SWEEP_MS", "1000");
      }
      case MYPAGE -> env.put("REDIS_URL", infra.redisUrl());
      case GATEWAY -> {
        env.put("PG_URL", infra.pgUrl("gateway"));
        env.put("REDIS_URL", infra.redisUrl());
        env.put("JWT_PRIVATE_KEY_FILE", TestTokens.shared().privateKeyFile().toString());
        for (Service backend : Service.values()) {
          if (backend != Service.GATEWAY) {
            env.put(backend.name() + "_URL", url(backend.id()));
          }
        }
        env.put("CAFE_SEED_USERS", "true");
        // Sign-in is not under test; the lowest cost the gateway accepts keeps start-up and tokens quick.
        env.put("PASSWORD_HASH_ITERATIONS", "1000");
        env.put("RATE_LIMIT_PER_MINUTE", "0");
        env.put("RATE_LIMIT_ANON_PER_MINUTE", "0");
        env.put("UPSTREAM_PROBE_MS", "200");
      }
    }
    env.putAll(settings);
    return env;
  }

  private void awaitReady(String instance) {
    long began = System.nanoTime();
    long deadline = began + READY_TIMEOUT.toNanos();
    while (true) {
      Child child = require(instance);
      if (!child.process().isAlive()) {
        throw new AssertionError(instance + " exited with code " + child.process().exitValue()
            + " before it was ready; last lines of " + log(instance) + ":\n  "
            + String.join("\n  ", Processes.tail(log(instance), 30)));
      }
      if (ready(instance)) {
        LOG.info(instance + ": ready on port " + port(instance) + " in " + (System.nanoTime() - began) / 1_000_000
            + " ms");
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(instance + " was not ready within " + READY_TIMEOUT.toSeconds() + " s; last lines of "
            + log(instance) + ":\n  " + String.join("\n  ", Processes.tail(log(instance), 30)));
      }
      try {
        child.process().waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + instance);
      }
    }
  }

  private synchronized int port(String instance) {
    return ports.computeIfAbsent(instance, name -> Ports.free());
  }

  private Child require(String instance) {
    Child child = running.get(instance);
    if (child == null) {
      throw new IllegalStateException(instance + " is not part of the running layout");
    }
    return child;
  }

  private static boolean awaitExit(Child child, long millis) {
    try {
      return child.process().waitFor(Math.max(0, millis), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !child.process().isAlive();
    }
  }

  private static Path jar(Path root, Service service) {
    return root.resolve(service.module).resolve("target").resolve(service.module + ".jar");
  }

  /** Logs of an earlier run would be mistaken for this one's. */
  private static void deleteOldLogs(Path logs) {
    try (var files = Files.list(logs)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not clear " + logs, e);
    }
  }

  /**
   * A test JVM that was killed leaves its services running: stop those (only processes this fixture
   * started, by pid, and only if they still run one of the cafe's jars).
   */
  private static void stopLeftovers(Path pidFile) {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ", 2);
        if (parts.length != 2) {
          continue;
        }
        ProcessHandle.of(Long.parseLong(parts[0]))
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(parts[1])).orElse(false))
            .ifPresent(p -> {
              LOG.warning("stopping a service left by an earlier run: pid " + p.pid() + " (" + parts[1] + ")");
              p.destroyForcibly();
            });
      }
      Files.delete(pidFile);
    } catch (IOException | NumberFormatException e) {
      LOG.warning("could not read " + pidFile + ": " + e.getMessage());
    }
  }
}
