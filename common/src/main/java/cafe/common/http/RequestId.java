package cafe.common.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Keeps the caller's X-Request-Id (or makes one) and echoes it, so one request can be followed across hops. */
public final class RequestId {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";

  private RequestId() {
  }

  public static Handler<RoutingContext> handler() {
    return ctx -> {
      String id = ctx.request().getHeader(HEADER);
      if (id == null || id.isBlank() || id.length() > 128) {
        id = UUID.randomUUID().toString();
      }
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
      ctx.next();
    };
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
