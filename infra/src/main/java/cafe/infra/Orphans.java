package cafe.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after owners that died without stopping their servers (a SIGKILLed test JVM or launcher):
 * PostgreSQL and Redis are native processes that outlive it, and their ports would stay taken.
 * Each data folder names its owner in {@value #OWNER_FILE}; pid files name the servers.
 */
final class Orphans {

  static final String OWNER_FILE = "owner.pid";
  static final String TEMP_PREFIX = "cafe-infra-";

  private Orphans() {
  }

  /** Takes the folder for this JVM, first stopping servers a dead owner left running. */
  static void claim(Path dataDir) {
    Optional<ProcessHandle> owner = owner(dataDir);
    if (owner.isPresent() && owner.get().pid() != ProcessHandle.current().pid()) {
      throw new InfraException("data folder " + dataDir + " is in use by process " + owner.get().pid());
    }
    reap(dataDir);
    try {
      Files.writeString(dataDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new InfraException("could not write " + dataDir.resolve(OWNER_FILE) + ": " + e.getMessage(), e);
    }
  }

  static void release(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(OWNER_FILE));
    } catch (IOException e) {
      // the next owner overwrites it
    }
  }

  /** Stops leftovers of temporary folders whose owners are gone, and deletes those folders. */
  static void reapTemporaryFolders() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, TEMP_PREFIX + "*")) {
      for (Path folder : folders) {
        if (Files.exists(folder.resolve(OWNER_FILE)) && owner(folder).isEmpty()) {
          reap(folder);
          LocalInfra.deleteTree(folder);
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort: a folder we cannot clean only costs disk space
    }
  }

  private static Optional<ProcessHandle> owner(Path dataDir) {
    return pidIn(dataDir.resolve(OWNER_FILE)).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
  }

  private static void reap(Path dataDir) {
    stop(dataDir.resolve("postgres").resolve("postmaster.pid"), "postgres");
    stop(dataDir.resolve("redis").resolve("redis.pid"), "redis-server");
    stop(dataDir.resolve("kafka").resolve("kafka.pid"), KafkaMain.class.getName());
  }

  /** Stops the process a pid file names, if it still runs and looks like the expected server. */
  private static void stop(Path pidFile, String expected) {
    pidIn(pidFile).flatMap(ProcessHandle::of)
        .filter(process -> process.info().commandLine().orElse("").contains(expected))
        .ifPresent(process -> {
          process.destroy();
          try {
            process.onExit().get(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            process.destroyForcibly();
          }
        });
  }

  private static Optional<Long> pidIn(Path file) {
    try {
      String first = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().findFirst().orElse("").strip();
      return Optional.of(Long.parseLong(first));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
