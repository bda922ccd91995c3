package cafe.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server from the zonky binaries. Running as root works because zonky runs initdb and
 * pg_ctl through {@code unshare -U} then, where the server no longer sees uid 0.
 */
final class PostgresNode implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private PostgresNode(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** {@code durable}: fsync and synchronous commits on, as in production (./cafe up); tests run without. */
  static PostgresNode start(Path dataDir, Path logDir, int port, boolean durable, Duration startTimeout) {
    int chosen = port == 0 ? Ports.free() : port;
    Ports.requireFree(chosen, "PostgreSQL");
    Path log = logDir.resolve("postgres.log");
    try {
      Files.createDirectories(logDir);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir.resolve("postgres"))
          // Keep data between runs; temporary folders are deleted as a whole by LocalInfra.
          .setCleanDataDirectory(false)
          .setPort(chosen)
          .setServerConfig("listen_addresses", Ports.HOST)
          .setServerConfig("unix_socket_directories", "")
          .setServerConfig("max_connections", "200")
          .setServerConfig("fsync", durable ? "on" : "off")
          .setServerConfig("synchronous_commit", durable ? "on" : "off")
          .setRegisterShutdownHook(false)
          .setPGStartupWait(startTimeout)
          .setOutputRedirector(Redirect.appendTo(log.toFile()))
          .setErrorRedirector(Redirect.appendTo(log.toFile()))
          .start();
      return new PostgresNode(postgres);
    } catch (IOException | RuntimeException e) {
      throw new InfraException("PostgreSQL did not start on " + Ports.HOST + ":" + chosen + " (log " + log + "): "
          + oneLine(e) + rootHint(), e);
    }
  }

  int port() {
    return postgres.getPort();
  }

  /** A URL for the database, created first when missing. */
  String url(String database) {
    String url = "postgresql://postgres@" + Ports.HOST + ":" + port() + "/" + database;
    PgDatabases.ensure(url);
    return url;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new InfraException("PostgreSQL on port " + port() + " did not stop cleanly: " + e.getMessage(), e);
    }
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }

  private static String rootHint() {
    return "root".equals(System.getProperty("user.name"))
        ? " (as root PostgreSQL needs 'unshare -U' to work, which user namespaces allow)"
        : "";
  }
}
