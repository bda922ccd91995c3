package cafe.infra;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Watches a JVM's exit: when the stop it guards is not over after {@link #PATIENCE}, every thread's stack is
 * written to stderr and to {@code target/exit-threads-<pid>.txt} (where a build keeps its reports), naming what
 * holds the exit up. Closing it before then writes nothing.
 */
final class ExitWatch implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(8);
  private final Thread watcher;

  private ExitWatch(Thread watcher) {
    this.watcher = watcher;
  }

  static ExitWatch start() {
    Thread watcher = new Thread(() -> {
      try {
        Thread.sleep(PATIENCE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      dump();
    }, "exit-watch");
    watcher.setDaemon(true);
    watcher.start();
    return new ExitWatch(watcher);
  }

  @Override
  public void close() {
    watcher.interrupt();
  }

  private static void dump() {
    StringBuilder out = new StringBuilder("exit of JVM " + ProcessHandle.current().pid() + " still not done after "
        + PATIENCE.toSeconds() + " s; its threads:\n");
    for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      out.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
      if (thread.getLockName() != null) {
        out.append(" on ").append(thread.getLockName());
      }
      out.append('\n');
      for (StackTraceElement frame : thread.getStackTrace()) {
        out.append("    at ").append(frame).append('\n');
      }
      out.append('\n');
    }
    System.err.print(out);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      try {
        Files.writeString(target.resolve("exit-threads-" + ProcessHandle.current().pid() + ".txt"), out,
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.err.println("exit watch: " + e.getMessage());
      }
    }
  }
}
