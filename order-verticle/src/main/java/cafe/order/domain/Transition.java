package cafe.order.domain;

import java.util.List;

/** The outcome of a move: the order before and after, and the events it causes (none when nothing changed). */
public record Transition(Order before, Order after, List<OrderEvent> events) {
  public Transition {
    events = List.copyOf(events);
  }

  public static Transition none(Order order) {
    return new Transition(order, order, List.of());
  }

  public boolean changed() {
    return !before.equals(after);
  }
}
