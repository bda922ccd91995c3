package cafe.common.launch;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line per log record on stderr, with the service name; chatty client libraries kept to warnings.
 * {@code LOG_FORMAT=text} (default) is for people, {@code LOG_FORMAT=json} for a log pipeline: one
 * JSON object per line with time, level, service, logger, message and, when the line names them,
 * orderId ("order &lt;id&gt;") and requestId ("[request &lt;id&gt;]"), and the stack trace of an error.
 * The ids are read from the line itself: a Vert.x context does not follow one request through pooled
 * clients (a pooled connection answers on the context it was opened on), so ids kept there went stale.
 *
 * <p>Lines are buffered and written at least every {@value #FLUSH_MS} ms, at once for warnings and
 * errors: a busy service logs thousands of lines a second, and one write per line costs more than the
 * work it describes.
 */
public final class Logging {
  private static final long FLUSH_MS = 200;
  private static final int BUFFER_CHARS = 32 * 1024;
  // Loggers are held weakly by java.util.logging: a level set on one that is collected is lost.
  private static final java.util.List<Logger> QUIETED = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static volatile LineHandler handler;

  private Logging() {
  }

  public static void configure(String service) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    String format = System.getenv().getOrDefault("LOG_FORMAT", "text").trim().toLowerCase(Locale.ROOT);
    LineHandler lines = new LineHandler(format.equals("json") ? new JsonFormatter(service) : new LineFormatter(service));
    lines.setLevel(Level.ALL);
    root.addHandler(lines);
    handler = lines;
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
    LineHandler lines = handler;
    if (lines != null) {
      lines.flush();
      if (lines.getFormatter() instanceof JsonFormatter json) {
        System.err.print(json.line(Instant.now(), "INFO", "lifecycle", message, null));
        return;
      }
    }
    System.err.println(Instant.now() + " INFO " + service + " lifecycle: " + message);
  }

  /** Buffers formatted lines and writes them in bulk; warnings and errors go out at once. */
  static final class LineHandler extends Handler {
    private final Writer out = new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8);
    private final StringBuilder buffer = new StringBuilder(BUFFER_CHARS);
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "log-flush");
      thread.setDaemon(true);
      return thread;
    });

    LineHandler(Formatter formatter) {
      setFormatter(formatter);
      flusher.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      String line = getFormatter().format(record);
      boolean now = record.getLevel().intValue() >= Level.WARNING.intValue();
      synchronized (buffer) {
        buffer.append(line);
        if (now || buffer.length() >= BUFFER_CHARS) {
          write();
        }
      }
    }

    @Override
    public void flush() {
      synchronized (buffer) {
        write();
      }
    }

    private void write() {
      if (buffer.length() == 0) {
        return;
      }
      try {
        out.append(buffer);
        out.flush();
      } catch (IOException e) {
        // stderr is gone; nothing better to tell it to
      }
      buffer.setLength(0);
    }

    @Override
    public void close() {
      flush();
    }
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

  /** {@code {"time","level","service","logger","message","orderId","requestId","error"}}, one per line. */
  static final class JsonFormatter extends Formatter {
    // Lines about an order name it "order <id>"; lines on a request's path end with "[request <id>]".
    private static final Pattern ORDER = Pattern.compile("\\border ([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
        + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
    private static final Pattern REQUEST = Pattern.compile("\\[request ([^\\]\\s]{1,128})\\]");
    private final String service;

    JsonFormatter(String service) {
      this.service = service;
    }

    @Override
    public String format(LogRecord r) {
      String message = formatMessage(r);
      String error = null;
      if (r.getThrown() != null) {
        StringWriter trace = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(trace));
        error = trace.toString();
      }
      return line(Instant.ofEpochMilli(r.getMillis()), r.getLevel().getName(), r.getLoggerName(), message, error);
    }

    String line(Instant time, String level, String logger, String message, String error) {
      String orderId = find(ORDER, message);
      String requestId = find(REQUEST, message);
      StringBuilder json = new StringBuilder(256).append("{\"time\":\"").append(time).append("\",\"level\":\"")
          .append(level).append("\",\"service\":");
      quote(json, service).append(",\"logger\":");
      quote(json, logger == null ? "" : logger).append(",\"message\":");
      quote(json, message == null ? "" : message);
      if (orderId != null) {
        quote(json.append(",\"orderId\":"), orderId);
      }
      if (requestId != null) {
        quote(json.append(",\"requestId\":"), requestId);
      }
      if (error != null) {
        quote(json.append(",\"error\":"), error);
      }
      return json.append("}\n").toString();
    }

    private static String find(Pattern pattern, String message) {
      if (message == null) {
        return null;
      }
      Matcher m = pattern.matcher(message);
      return m.find() ? m.group(1) : null;
    }

    private static StringBuilder quote(StringBuilder json, String text) {
      json.append('"');
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        switch (c) {
          case '"' -> json.append("\\\"");
          case '\\' -> json.append("\\\\");
          case '\n' -> json.append("\\n");
          case '\r' -> json.append("\\r");
          case '\t' -> json.append("\\t");
          default -> {
            if (c < 0x20) {
              json.append(String.format("\\u%04x", (int) c));
            } else {
              json.append(c);
            }
          }
        }
      }
      return json.append('"');
    }
  }
}
