package cafe.barista.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stock rules: what the bar carries and when an order cannot be made. */
public final class Stock {
  /** What the bar stocks from the first start. */
  public static final List<String> MENU =
      List.of("americano", "latte", "cappuccino", "vanilla-latte", "green-tea", "croissant");
  /** Upper bound of one stock level: a typo of a few extra zeros is refused rather than stored. */
  public static final int MAX_QUANTITY = 1_000_000;

  private Stock() {
  }

  /** How much of each menu item these lines need; an item on several lines is added up. */
  public static Map<String, Integer> needs(List<TicketLine> lines) {
    Map<String, Integer> needs = new LinkedHashMap<>();
    for (TicketLine line : lines) {
      needs.merge(line.menuItemId(), line.qty(), Integer::sum);
    }
    return needs;
  }

  /** The items that are short for these needs, in the order they were asked for; empty when all are there. */
  public static List<String> shortages(Map<String, Integer> levels, Map<String, Integer> needs) {
    List<String> missing = new ArrayList<>();
    needs.forEach((item, qty) -> {
      Integer level = levels.get(item);
      if (level == null || level < qty) {
        missing.add(item);
      }
    });
    return missing;
  }

  /** A stock level staff may set. */
  public static int checkQuantity(long quantity) {
    if (quantity < 0 || quantity > MAX_QUANTITY) {
      throw new IllegalArgumentException("quantity must be a whole number from 0 to " + MAX_QUANTITY);
    }
    return (int) quantity;
  }
}
