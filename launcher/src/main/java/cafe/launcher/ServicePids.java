package cafe.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Remembers which service processes a launcher started, so that after the launcher was killed outright the next
 * one can stop the services it left behind (they would still hold their ports).
 */
final class ServicePids {

  private final Path file;

  ServicePids(CafeHome home) {
    this.file = home.runDir().resolve("services.pids");
  }

  void write(List<ServiceProcess> services, CafeHome home) {
    StringBuilder lines = new StringBuilder();
    for (ServiceProcess service : services) {
      lines.append(service.pid()).append(' ').append(home.jar(service.service())).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("cafe: could not write " + file + ": " + e.getMessage());
    }
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // stale entries are checked against the command line before anything is stopped
    }
  }

  /** Stops services listed by a previous launcher that still run the same jar: SIGTERM to all, then wait. */
  void stopLeftovers() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    List<ProcessHandle> leftovers = new ArrayList<>();
    for (String line : lines) {
      String[] parts = line.split(" ", 2);
      try {
        if (parts.length == 2) {
          ProcessHandle.of(Long.parseLong(parts[0]))
              .filter(process -> process.info().commandLine().orElse("").contains(parts[1]))
              .ifPresent(leftovers::add);
        }
      } catch (NumberFormatException e) {
        // not a line we wrote
      }
    }
    for (ProcessHandle process : leftovers) {
      System.out.println("cafe: stopping pid " + process.pid() + ", left running by an earlier launcher");
      process.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (ProcessHandle process : leftovers) {
      try {
        process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
    delete();
  }
}
