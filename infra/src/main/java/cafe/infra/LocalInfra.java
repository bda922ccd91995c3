package cafe.infra;

import cafe.infra.InfraOptions.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Real local infrastructure: a Kafka broker, PostgreSQL, Redis and a MongoDB stand-in, started in parallel.
 * Everything listens on 127.0.0.1. Data lives in {@link #dataDir()}, logs in its {@code logs} folder.
 */
public final class LocalInfra implements AutoCloseable {

  // Held strongly: java.util.logging forgets levels of loggers nobody references.
  private static final List<Logger> QUIET = List.of(Logger.getLogger("io.zonky.test"), Logger.getLogger("de.bwaldvogel"));

  static {
    // These log every connection and start step at INFO; warnings and errors still show.
    QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
    // Bind SLF4J now: binding it from several start threads at once makes it print replay warnings.
    org.slf4j.LoggerFactory.getILoggerFactory();
  }

  private final Path dataDir;
  private final boolean temporary;
  private final KafkaNode kafka;
  private final PostgresNode postgres;
  private final RedisNode redis;
  private final MongoNode mongo;
  private Thread shutdownHook;
  private boolean closed;
  /** What runs on this infrastructure and must stop before it does; newest first. */
  private final java.util.Deque<AutoCloseable> users = new java.util.ArrayDeque<>();

  private LocalInfra(Path dataDir, boolean temporary, KafkaNode kafka, PostgresNode postgres, RedisNode redis,
                     MongoNode mongo) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.kafka = kafka;
    this.postgres = postgres;
    this.redis = redis;
    this.mongo = mongo;
  }

  /** Starts every component the options ask for, concurrently; throws {@link InfraException} if one fails. */
  public static LocalInfra start(InfraOptions options) {
    boolean temporary = options.dataDir() == null;
    if (temporary) {
      Orphans.reapTemporaryFolders();
    }
    Path dataDir = temporary ? createTempDir() : createDir(options.dataDir());
    Orphans.claim(dataDir);
    Path logs = createDir(dataDir.resolve("logs"));
    ExecutorService pool = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "local-infra-start");
      thread.setDaemon(true);
      return thread;
    });
    List<AutoCloseable> started = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    try {
      // After claim: it stops servers a dead owner left holding these ports.
      requireFixedPortsFree(options);
      Future<KafkaNode> kafka = options.starts(Component.KAFKA)
          ? pool.submit(() -> onFreePort(options.kafkaPort(), () -> KafkaNode.start(dataDir, logs, options.kafkaPort(), options.startTimeout())))
          : null;
      Future<PostgresNode> postgres = options.starts(Component.POSTGRES)
          ? pool.submit(() -> onFreePort(options.postgresPort(), () -> PostgresNode.start(dataDir, logs, options.postgresPort(), !temporary, options.startTimeout())))
          : null;
      Future<RedisNode> redis = options.starts(Component.REDIS)
          ? pool.submit(() -> onFreePort(options.redisPort(), () -> RedisNode.start(dataDir, logs, options.redisPort(), !temporary, options.startTimeout())))
          : null;
      Future<MongoNode> mongo = options.starts(Component.MONGO)
          ? pool.submit(() -> onFreePort(options.mongoPort(), () -> MongoNode.start(dataDir, options.mongoPort(), !temporary)))
          : null;
      LocalInfra infra = new LocalInfra(dataDir, temporary, await(kafka, started, failures),
          await(postgres, started, failures), await(redis, started, failures), await(mongo, started, failures));
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
      if (options.shutdownHook()) {
        infra.shutdownHook = new Thread(infra::closeAtExit, "local-infra-stop");
        Runtime.getRuntime().addShutdownHook(infra.shutdownHook);
      }
      return infra;
    } catch (RuntimeException e) {
      failures.stream().filter(failure -> failure != e).forEach(e::addSuppressed);
      for (AutoCloseable node : started) {
        closeQuietly(node);
      }
      Orphans.release(dataDir);
      if (temporary) {
        deleteTree(dataDir);
      }
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Taken ports fail here, in milliseconds, before anything slow has started. */
  private static void requireFixedPortsFree(InfraOptions options) {
    if (options.starts(Component.KAFKA) && options.kafkaPort() != 0) {
      Ports.requireFree(options.kafkaPort(), "Kafka");
      Ports.requireFree(options.kafkaPort() + 1, "Kafka controller");
    }
    if (options.starts(Component.POSTGRES) && options.postgresPort() != 0) {
      Ports.requireFree(options.postgresPort(), "PostgreSQL");
    }
    if (options.starts(Component.REDIS) && options.redisPort() != 0) {
      Ports.requireFree(options.redisPort(), "Redis");
    }
    if (options.starts(Component.MONGO) && options.mongoPort() != 0) {
      Ports.requireFree(options.mongoPort(), "MongoDB stand-in");
    }
  }

  /**
   * Stops servers that a dead owner of the data folder left running (after a SIGKILL, say), so the folder can be
   * reused or deleted. Fails when the owner is still alive.
   */
  public static void stopLeftovers(Path dataDir) {
    if (Files.isDirectory(dataDir)) {
      Orphans.claim(dataDir);
      Orphans.release(dataDir);
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logDir() {
    return dataDir.resolve("logs");
  }

  /** {@code 127.0.0.1:<port>} */
  public String kafkaBootstrap() {
    return require(kafka, "Kafka").bootstrap();
  }

  /** {@code postgresql://postgres@127.0.0.1:<port>/<database>}, after creating the database if missing. */
  public String pgUrl(String database) {
    return require(postgres, "PostgreSQL").url(database);
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String redisUrl() {
    return "redis://" + Ports.HOST + ":" + require(redis, "Redis").port();
  }

  /** {@code mongodb://127.0.0.1:<port>/<database>}; the database appears on first write. */
  public String mongoUrl(String database) {
    return "mongodb://" + Ports.HOST + ":" + require(mongo, "MongoDB stand-in").port() + "/" + database;
  }

  /** Stops the broker gracefully, keeping its data; for outage tests. */
  public void stopKafka() {
    require(kafka, "Kafka").stop();
  }

  /** Starts the broker again on the same ports and data, waiting until it is ready. */
  public void startKafka() {
    require(kafka, "Kafka").launch(true);
  }

  /** Kills the broker with SIGKILL, as a crash would. {@link #startKafka()} brings it back. */
  public void killKafka() {
    require(kafka, "Kafka").kill();
  }

  /**
   * Has {@code user} (services started on this infrastructure) closed before the infrastructure stops, newest
   * first. Shutdown hooks run side by side, so a user with a hook of its own would drain against a broker and
   * databases that are already going away, waiting out every timeout of its clients.
   */
  public synchronized void closeFirst(AutoCloseable user) {
    if (closed) {
      throw new IllegalStateException("local infrastructure already stopped");
    }
    users.push(user);
  }

  /** Stops everything; a temporary data folder is deleted. Safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable user = users.poll(); user != null; user = users.poll()) {
      closeQuietly(user);
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    // Stopped concurrently: Kafka's graceful stop takes a few seconds, the rest should not wait for it.
    List<Thread> stoppers = new ArrayList<>();
    for (AutoCloseable node : new AutoCloseable[] {kafka, postgres, redis, mongo}) {
      if (node != null) {
        Thread stopper = new Thread(() -> closeQuietly(node), "local-infra-stop-" + node.getClass().getSimpleName());
        stopper.start();
        stoppers.add(stopper);
      }
    }
    for (Thread stopper : stoppers) {
      try {
        stopper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Orphans.release(dataDir);
    if (temporary) {
      try {
        deleteTree(dataDir);
      } catch (UncheckedIOException e) {
        System.err.println("local infra: " + e.getMessage());
      }
    }
  }

  /**
   * The shutdown hook's stop. When it takes longer than {@link ExitWatch#PATIENCE} the threads are dumped (to
   * stderr and {@code target/exit-threads-<pid>.txt}), so a hang at the end of a test JVM names its cause.
   */
  private void closeAtExit() {
    try (ExitWatch watch = ExitWatch.start()) {
      close();
    }
  }

  private static void closeQuietly(AutoCloseable node) {
    try {
      node.close();
    } catch (Exception e) {
      System.err.println("local infra: " + e.getMessage());
    }
  }

  private static <T> T await(Future<T> future, List<AutoCloseable> started, List<RuntimeException> failures) {
    if (future == null) {
      return null;
    }
    try {
      T node = future.get();
      started.add((AutoCloseable) node);
      return node;
    } catch (ExecutionException e) {
      failures.add(e.getCause() instanceof RuntimeException runtime ? runtime
          : new InfraException(PostgresNode.oneLine(e), e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add(new InfraException("interrupted while starting local infrastructure"));
    }
    return null;
  }

  private static <T> T require(T node, String name) {
    if (node == null) {
      throw new IllegalStateException(name + " was not started by this LocalInfra");
    }
    return node;
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory(Orphans.TEMP_PREFIX);
    } catch (IOException e) {
      throw new InfraException("could not create a temporary folder: " + e.getMessage(), e);
    }
  }

  private static Path createDir(Path dir) {
    try {
      return Files.createDirectories(dir.toAbsolutePath());
    } catch (IOException e) {
      throw new InfraException("could not create the data folder " + dir + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /**
   * A free port picked for a test can be taken by another process before the server binds it
   * (parallel builds do that); with a port of 0 a fresh one is picked and the start tried again.
   */
  private static <T> T onFreePort(int port, java.util.function.Supplier<T> start) {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.get();
      } catch (InfraException e) {
        String message = String.valueOf(e.getMessage());
        boolean taken = message.contains("already in use") || message.contains("is taken")
            || message.contains("BindException");
        if (port != 0 || !taken || attempt >= 4) {
          throw e;
        }
      }
    }
  }
}
