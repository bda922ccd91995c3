package cafe.common.http;

import io.vertx.ext.web.RoutingContext;

/**
 * {@code Server-Timing: app;dur=<ms>} on every answer: how long the service itself took, from the request's
 * arrival at its router to its answer's headers. A caller can tell the callee's slowness from its own queueing
 * (order's payment circuit counts only payment's own slow answers).
 */
public final class ServerTiming {
  public static final String HEADER = "Server-Timing";

  private ServerTiming() {
  }

  /** The route step that stamps the arrival and adds the header as the answer goes out. */
  public static void handle(RoutingContext ctx) {
    long arrived = System.nanoTime();
    ctx.addHeadersEndHandler(v -> ctx.response().putHeader(HEADER,
        "app;dur=" + (System.nanoTime() - arrived) / 100_000 / 10.0));
    ctx.next();
  }

  /** The {@code app} duration in milliseconds of a {@code Server-Timing} value, or null when it has none. */
  public static Double duration(String header) {
    if (header == null) {
      return null;
    }
    for (String metric : header.split(",")) {
      String[] parts = metric.trim().split(";");
      if (!parts[0].trim().equals("app")) {
        continue;
      }
      for (int i = 1; i < parts.length; i++) {
        String param = parts[i].trim();
        if (param.startsWith("dur=")) {
          try {
            return Double.parseDouble(param.substring(4));
          } catch (NumberFormatException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
