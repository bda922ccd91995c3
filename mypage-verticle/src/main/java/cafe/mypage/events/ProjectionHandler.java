package cafe.mypage.events;

import cafe.common.events.Event;
import cafe.common.kafka.EventConsumer;
import cafe.mypage.store.ViewStore;
import cafe.mypage.store.ViewStore.Projected;
import io.vertx.core.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Kafka in: every event of the four topics into the order's view, and its push to the live sockets. */
public final class ProjectionHandler implements EventConsumer.Handler {
  private static final Logger LOG = Logger.getLogger(ProjectionHandler.class.getName());

  private final ViewStore views;

  public ProjectionHandler(ViewStore views) {
    this.views = views;
  }

  @Override
  public Future<Void> handle(Event event) {
    Projected projected = EventReader.read(event);
    if (projected == null) {
      return Future.succeededFuture();
    }
    return views.apply(projected, true).map(applied -> {
      if (applied.statusChanged()) {
        LOG.info("order " + event.orderId() + " is " + applied.status() + " (" + event.type() + ")");
      } else if (LOG.isLoggable(Level.FINE)) {
        LOG.fine("order " + event.orderId() + ": " + event.type() + (applied.applied()
            ? " applied, still " + applied.status() : " already applied, skipped"));
      }
      return null;
    });
  }
}
