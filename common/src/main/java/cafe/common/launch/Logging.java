package cafe.common.launch;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record, with the service name; chatty client libraries kept to warnings. */
public final class Logging {
  // Loggers are held weakly by java.util.logging: a level set on one that is collected is lost.
  private static final java.util.List<Logger> QUIETED = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Logging() {
  }

  public static void configure(String service) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFormatter(new LineFormatter(service));
    root.addHandler(console);
    root.setLevel(Level.parse(System.getenv().getOrDefault("LOG_LEVEL", "INFO")));
    for (String noisy : new String[] {"org.apache.kafka", "org.mongodb.driver", "io.netty", "kafka"}) {
      Logger logger = Logger.getLogger(noisy);
      logger.setLevel(Level.WARNING);
      QUIETED.add(logger);
    }
  }

  /**
   * A line written straight to stderr, for start and stop: java.util.logging resets its handlers in
   * its own shutdown hook, so a record logged while draining could be lost.
   */
  public static void lifecycle(String service, String message) {
    System.err.println(Instant.now() + " INFO " + service + " lifecycle: " + message);
  }

  static final class LineFormatter extends Formatter {
    private final String service;

    LineFormatter(String service) {
      this.service = service;
    }

    @Override
    public String format(LogRecord r) {
      String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
      StringBuilder line = new StringBuilder(160)
          .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
          .append(r.getLevel().getName()).append(' ')
          .append(service).append(' ')
          .append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ")
          .append(formatMessage(r)).append('\n');
      if (r.getThrown() != null) {
        StringWriter trace = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }
}
