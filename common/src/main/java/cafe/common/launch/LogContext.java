package cafe.common.launch;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * What a log line should carry about the work in hand: the request id and the order id. Kept on the
 * Vert.x context of one request or one consumed event (each runs on its own duplicated context, and
 * everything that continues it does too), so any line logged while handling it carries them, however
 * many requests the event loop interleaves.
 */
public final class LogContext {
  public static final String REQUEST_ID = "requestId";
  public static final String ORDER_ID = "orderId";
  private static final String PREFIX = "cafe.log.";

  private LogContext() {
  }

  /** Notes a value for the request or event being handled; outside one (no duplicated context) it is ignored. */
  public static void put(String key, String value) {
    Context current = Vertx.currentContext();
    if (value != null && current instanceof ContextInternal context && context.isDuplicate()) {
      context.localContextData().put(PREFIX + key, value);
    }
  }

  /** The value noted for the request or event being handled, or null. */
  public static String get(String key) {
    Context current = Vertx.currentContext();
    if (current instanceof ContextInternal context && context.isDuplicate()) {
      return (String) context.localContextData().get(PREFIX + key);
    }
    return null;
  }

  /** A context of its own for one piece of work (a consumed event), with the order id it is about. */
  public static ContextInternal forWork(Vertx vertx, String orderId) {
    ContextInternal context = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    if (orderId != null) {
      context.localContextData().put(PREFIX + ORDER_ID, orderId);
    }
    return context;
  }
}
