package cafe.barista.domain;

import java.util.List;
import java.util.Map;

/** A paid order as the bar receives it. */
public record PlacedOrder(String orderId, String customerId, List<TicketLine> items, String address) {
  public PlacedOrder {
    if (orderId == null || orderId.isBlank()) {
      throw new IllegalArgumentException("an order needs an id");
    }
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("order " + orderId + " has no items");
    }
    items = List.copyOf(items);
  }

  /** How much of each menu item the order needs; an item on several lines is added up. */
  public Map<String, Integer> needs() {
    return Stock.needs(items);
  }
}
