package cafe.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * A real redis-server, the binary shipped in embedded-redis. It is run directly rather than through the
 * library's server class so its log goes to a file and its stop is graceful and ordered by us.
 */
final class RedisNode implements AutoCloseable {

  private static final long STOP_GRACE_MILLIS = 10_000;

  private final Process process;
  private final int port;

  private RedisNode(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** {@code persistent}: append-only file in the data folder; otherwise nothing is written to disk. */
  static RedisNode start(Path dataDir, Path logDir, int port, boolean persistent, Duration startTimeout) {
    // A process forked by another thread at the moment the binary was unpacked can briefly hold it
    // open for writing; exec then fails with ETXTBSY. That passes within milliseconds: try again.
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(dataDir, logDir, port, persistent, startTimeout);
      } catch (InfraException e) {
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("Text file busy")) {
          throw e;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(attempt * 100_000_000L);
      }
    }
  }

  private static RedisNode startOnce(Path dataDir, Path logDir, int port, boolean persistent,
      Duration startTimeout) {
    int chosen = port == 0 ? Ports.free() : port;
    Ports.requireFree(chosen, "Redis");
    Path home = dataDir.resolve("redis");
    Path log = logDir.resolve("redis.log");
    Process process;
    try {
      Files.createDirectories(home);
      Files.createDirectories(logDir);
      Path config = home.resolve("redis.conf");
      Files.writeString(config, String.join("\n",
          "bind " + Ports.HOST,
          "port " + chosen,
          "daemonize no",
          "dir " + quote(home.toAbsolutePath().toString()),
          "pidfile " + quote(home.resolve("redis.pid").toAbsolutePath().toString()),
          "appendonly " + (persistent ? "yes" : "no"),
          "save \"\"",
          ""));
      String binary = binary().toString();
      process = new ProcessBuilder(Processes.detached(List.of(binary, config.toAbsolutePath().toString())))
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException | RuntimeException e) {
      throw new InfraException("Redis did not start on " + Ports.HOST + ":" + chosen + ": "
          + PostgresNode.oneLine(e), e);
    }
    RedisNode node = new RedisNode(process, chosen);
    try {
      node.awaitReady(startTimeout, log);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * The redis-server shipped in embedded-redis for this platform, unpacked once into a shared temporary folder
   * (the library's own provider unpacks 9 MB into a new folder on every start). The rename makes it appear
   * whole, even with several JVMs unpacking at once.
   */
  private static synchronized Path binary() throws IOException {
    OsArchitecture platform = OsArchitecture.detectOSandArchitecture();
    String resource = ExecutableProvider.newProvidedVersionsMap().get(platform);
    if (resource == null) {
      throw new InfraException("Redis: embedded-redis has no redis-server for " + platform);
    }
    String folder = "cafe-redis-" + System.getProperty("user.name");
    Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), folder));
    Path target = dir.resolve(Path.of(resource).getFileName().toString());
    if (Files.isExecutable(target)) {
      return target;
    }
    Path partial = Files.createTempFile(dir, "unpacking-", ".tmp");
    try (InputStream in = ExecutableProvider.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new InfraException("Redis: " + resource + " is missing from the embedded-redis jar");
      }
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      if (!partial.toFile().setExecutable(true)) {
        throw new InfraException("Redis: could not make " + partial + " executable");
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    return target;
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    // SIGTERM: redis flushes its append-only file before exiting.
    Processes.stop(process, STOP_GRACE_MILLIS);
  }

  /** Ready once PING answers PONG; while loading its data redis answers LOADING instead. */
  private void awaitReady(Duration timeout, Path log) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pong()) {
      try {
        if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
          throw new InfraException("Redis exited with code " + process.exitValue() + " while starting on "
              + Ports.HOST + ":" + port + " (log " + log + "): " + Processes.lastError(log));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InfraException("Redis: interrupted while waiting for port " + port);
      }
      if (System.nanoTime() > deadline) {
        throw new InfraException("Redis was not ready on " + Ports.HOST + ":" + port + " within "
            + timeout.toSeconds() + " s (log " + log + ")");
      }
    }
  }

  private boolean pong() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Ports.HOST, port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[5];
      int read = in.readNBytes(reply, 0, reply.length);
      return read == 5 && "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
