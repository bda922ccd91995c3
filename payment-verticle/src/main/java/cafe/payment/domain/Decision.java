package cafe.payment.domain;

import java.util.List;

/** A payment after a decision, and the events it causes (none when nothing changed). */
public record Decision(Payment payment, List<PaymentEvent> events) {
  public Decision {
    events = List.copyOf(events);
  }

  public static Decision none(Payment payment) {
    return new Decision(payment, List.of());
  }

  public boolean changed() {
    return !events.isEmpty();
  }
}
