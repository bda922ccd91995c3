package cafe.order;

import cafe.order.domain.Order;
import cafe.order.domain.OrderStatus;
import cafe.order.domain.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the order service counts: {@code cafe_orders_placed_total{outcome}} (a new order's answer:
 * paid, pending, rejected, cancelled) and {@code cafe_order_step_seconds{step}} (from an order's
 * creation to each status it reaches, observed when the status is stored: the saga's latency step by step).
 */
public final class OrderMetrics {
  private final Map<OrderStatus, Counter> placed = new EnumMap<>(OrderStatus.class);
  private final Map<OrderStatus, Timer> steps = new EnumMap<>(OrderStatus.class);

  public OrderMetrics(MeterRegistry registry) {
    for (OrderStatus status : OrderStatus.values()) {
      String name = status.name().toLowerCase(Locale.ROOT);
      steps.put(status, Timer.builder("cafe_order_step")
          .description("time from an order's creation until it reached this status")
          .tag("step", name)
          .register(registry));
    }
    placed.put(OrderStatus.PAID, placedCounter(registry, "paid"));
    placed.put(OrderStatus.PAYMENT_PENDING, placedCounter(registry, "pending"));
    placed.put(OrderStatus.REJECTED, placedCounter(registry, "rejected"));
    placed.put(OrderStatus.CANCELLED, placedCounter(registry, "cancelled"));
  }

  private static Counter placedCounter(MeterRegistry registry, String outcome) {
    return Counter.builder("cafe_orders_placed")
        .description("new orders by the answer POST /orders gave")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** A new order was answered; its status says how. */
  public void placed(Order order) {
    Counter counter = placed.get(order.status());
    (counter == null ? placed.get(OrderStatus.PAID) : counter).increment();
  }

  /** A move was stored (committed); a new status is a step reached. */
  public void stored(Transition t) {
    if (t.changed() && t.after().status() != t.before().status()) {
      reached(t.after());
    }
  }

  private void reached(Order order) {
    steps.get(order.status()).record(Duration.between(order.createdAt(), order.updatedAt()));
  }
}
