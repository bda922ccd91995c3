package cafe.order.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The menu, and the pricing rules: the cafe prices every line, the customer only names items and counts. */
public final class Menu {
  public static final int MIN_QTY = 1;
  public static final int MAX_QTY = 20;

  private final Map<String, MenuItem> items = new LinkedHashMap<>();

  public Menu(Collection<MenuItem> items) {
    for (MenuItem item : items) {
      this.items.put(item.id(), item);
    }
  }

  public List<MenuItem> items() {
    return List.copyOf(items.values());
  }

  public Optional<MenuItem> item(String id) {
    return Optional.ofNullable(items.get(id));
  }

  /**
   * Prices what the customer asked for. Lines naming the same item are merged, so the limit of
   * {@value #MAX_QTY} per item cannot be dodged by repeating it.
   */
  public List<OrderLine> price(List<LineRequest> requested) {
    if (requested == null || requested.isEmpty()) {
      throw new InvalidOrderException("an order needs at least one item");
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (LineRequest line : requested) {
      if (line.qty() < MIN_QTY || line.qty() > MAX_QTY) {
        throw new InvalidOrderException("qty of " + line.menuItemId() + " must be " + MIN_QTY + ".." + MAX_QTY);
      }
      MenuItem item = items.get(line.menuItemId());
      if (item == null) {
        throw new InvalidOrderException("there is no " + line.menuItemId() + " on the menu (see GET /menu)");
      }
      if (!item.available()) {
        throw new InvalidOrderException(item.name() + " is not available today");
      }
      counts.merge(item.id(), line.qty(), Integer::sum);
    }
    List<OrderLine> lines = new ArrayList<>(counts.size());
    counts.forEach((id, qty) -> {
      if (qty > MAX_QTY) {
        throw new InvalidOrderException("at most " + MAX_QTY + " of " + id + " per order");
      }
      MenuItem item = items.get(id);
      lines.add(new OrderLine(id, item.name(), qty, item.price()));
    });
    return lines;
  }

  public static long total(List<OrderLine> lines) {
    long total = 0;
    for (OrderLine line : lines) {
      total += line.subtotal();
    }
    return total;
  }
}
