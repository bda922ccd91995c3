package cafe.delivery.events;

import cafe.common.events.Event;
import cafe.common.kafka.EventConsumer;
import cafe.delivery.dispatch.Dispatch;
import io.vertx.core.Future;

/** Kafka into delivery (group {@code delivery}): DrinkReady from {@code cafe.barista}, OrderCancelled from {@code cafe.orders}. */
public final class DeliveryEvents implements EventConsumer.Handler {
  public static final String GROUP = "delivery";

  private final Dispatch dispatch;

  public DeliveryEvents(Dispatch dispatch) {
    this.dispatch = dispatch;
  }

  @Override
  public Future<Void> handle(Event event) {
    return switch (event.type()) {
      case "DrinkReady" -> dispatch.drinkReady(event.orderId(), event.data().getString("customerId"),
          event.data().getString("address"), event);
      case "OrderCancelled" -> dispatch.orderCancelled(event.orderId(), event);
      default -> Future.succeededFuture();
    };
  }
}
