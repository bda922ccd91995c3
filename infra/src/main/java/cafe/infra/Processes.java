package cafe.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Starting, stopping and reading the logs of child processes, for the infrastructure and the launcher. */
public final class Processes {

  private static final Path SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
      .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);

  private Processes() {
  }

  /** The java binary of this JVM, so children run on the same runtime. */
  public static String javaBinary() {
    Path home = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(home)) {
      return home.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  /**
   * Runs the command in its own session where setsid exists, so a Ctrl-C in the terminal reaches only
   * the parent, which then stops children in order. setsid execs in place: the pid stays the child's.
   */
  public static List<String> detached(List<String> command) {
    if (SETSID == null) {
      return command;
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(SETSID.toString());
    wrapped.addAll(command);
    return wrapped;
  }

  /** SIGTERM, then SIGKILL if the process is still there after the grace period. Returns the exit code. */
  public static int stop(Process process, long graceMillis) {
    process.destroy();
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** The last {@code count} lines of a log file; empty when it cannot be read. */
  public static List<String> tail(Path file, int count) {
    Deque<String> lines = new ArrayDeque<>();
    try (Stream<String> all = Files.lines(file, StandardCharsets.ISO_8859_1)) {
      all.forEach(line -> {
        lines.addLast(line);
        if (lines.size() > count) {
          lines.removeFirst();
        }
      });
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return new ArrayList<>(lines);
  }

  /** The last line that looks like an error, else the last line; for one-line failure messages. */
  public static String lastError(Path file) {
    List<String> lines = tail(file, 200);
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i);
      if (line.contains("ERROR") || line.contains("FATAL") || line.contains("Exception")) {
        return line.strip();
      }
    }
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
  }
}
