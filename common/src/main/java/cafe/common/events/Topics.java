package cafe.common.events;

import java.util.List;

/** The Kafka topics of the public contract; each event's key is its order id. */
public final class Topics {
  public static final String ORDERS = "cafe.orders";
  public static final String PAYMENTS = "cafe.payments";
  public static final String BARISTA = "cafe.barista";
  public static final String DELIVERIES = "cafe.deliveries";

  public static final List<String> ALL = List.of(ORDERS, PAYMENTS, BARISTA, DELIVERIES);

  private Topics() {
  }

  /** Where an event that cannot be handled after its retries is parked. */
  public static String dlq(String topic) {
    return topic + ".dlq";
  }
}
