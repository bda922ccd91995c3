package cafe.launcher;

import cafe.infra.LocalInfra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/** {@code java -jar launcher.jar up|reset|help}, usually through the ./cafe script. */
public final class Cafe {

  // Held strongly: java.util.logging forgets levels of loggers nobody references.
  private static final Logger ROOT_LOGGER = Logger.getLogger("");

  static final String HELP = """
      Usage: ./cafe <command>

        up      build what changed, start the infrastructure and all six services, wait until they are
                ready; stays in the foreground, Ctrl-C stops everything
        reset   delete everything in .cafe/ (data, logs, keys); refused while cafe is up
        help    show this text

      Data, logs (.cafe/logs/) and JWT keys (.cafe/keys/) live in .cafe/ in the project folder.

      Environment variables read by 'up' (all optional):
        KAFKA_BOOTSTRAP_SERVERS   use this Kafka instead of starting one
        PG_URL                    use this PostgreSQL server instead of starting one; a base URL such as
                                  postgresql://user:secret@db:5432 - order, payment and gateway get their
                                  own databases on it
        REDIS_URL                 use this Redis instead of starting one
        MONGO_URL                 use this MongoDB instead of the stand-in; a base URL - barista and
                                  delivery get their own databases on it
        JWT_PUBLIC_KEY_FILE,      use these PEM keys instead of the pair generated in .cafe/keys/
        JWT_PRIVATE_KEY_FILE      (both must be set)
        CAFE_<SERVICE>_PORT       HTTP port of one service: CAFE_GATEWAY_PORT (8080), CAFE_ORDER_PORT (8081),
                                  CAFE_PAYMENT_PORT (8082), CAFE_BARISTA_PORT (8083),
                                  CAFE_DELIVERY_PORT (8084), CAFE_MYPAGE_PORT (8085)
        CAFE_JAVA_OPTS            JVM flags of each service (default: %s,
                                  and -Xmx per service: %s)
        CAFE_<SERVICE>_JAVA_OPTS  JVM flags of one service instead, e.g. CAFE_ORDER_JAVA_OPTS
        CAFE_<SERVICE>_JAVA_OPTS_EXTRA
                                  flags added to one service's, e.g. -XX:StartFlightRecording
        CAFE_READY_TIMEOUT_S      seconds to wait for all services to be ready (default 60)
        CAFE_*                    every CAFE_ variable is passed to all services and wins over the
                                  defaults CAFE_AUTO_BREW_MS=3000 (barista), CAFE_AUTO_DELIVER_MS=3000
                                  (delivery) and CAFE_SEED_USERS=true (gateway)
      Everything else a service reads (SERVICE_NAME, HTTP_PORT, *_URL of other services, LOG_FILE) is set
      by the launcher for each service; MALLOC_ARENA_MAX=2 and WORKER_POOL_SIZE=4 are set unless given.
      """.formatted(String.join(" ", Up.DEFAULT_JAVA_OPTS), Up.defaultHeaps());

  private Cafe() {
  }

  public static void main(String[] args) throws InterruptedException {
    // Infrastructure libraries chatter at INFO; their own logs are in .cafe/logs.
    ROOT_LOGGER.setLevel(Level.WARNING);
    String command = args.length == 0 ? "help" : args[0];
    int code;
    try {
      code = switch (command) {
        case "up" -> new Up(CafeHome.locate(), System.getenv()).run();
        case "reset" -> reset(CafeHome.locate());
        case "help", "-h", "--help" -> {
          System.out.print(HELP);
          yield 0;
        }
        default -> {
          System.err.println("cafe: unknown command '" + command + "'");
          System.err.print(HELP);
          yield 2;
        }
      };
    } catch (LaunchException e) {
      System.err.println("cafe: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  private static int reset(CafeHome home) {
    Path dataDir = home.dataDir();
    if (!Files.isDirectory(dataDir)) {
      System.out.println("cafe: nothing to reset, " + home.show(dataDir) + " does not exist");
      return 0;
    }
    try (RunLock ignored = RunLock.acquire(dataDir, "resetting")) {
      new ServicePids(home).stopLeftovers();
      LocalInfra.stopLeftovers(dataDir);
      try (Stream<Path> children = Files.list(dataDir)) {
        for (Path child : children.filter(path -> !RunLock.isLockFile(path)).toList()) {
          deleteTree(child);
        }
      }
    } catch (IOException e) {
      throw new LaunchException("could not delete " + dataDir + ": " + e.getMessage());
    }
    deleteTree(dataDir);
    System.out.println("cafe: removed " + home.show(dataDir) + " (data, logs and keys)");
    return 0;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> deepestFirst = paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
      for (Path path : deepestFirst) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new LaunchException("could not delete " + root + ": " + e.getMessage());
    }
  }
}
