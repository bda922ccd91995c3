package cafe.order.domain;

/** A priced line of an order: the unit price is the menu's at the time of ordering. */
public record OrderLine(String menuItemId, String name, int qty, int price) {
  public long subtotal() {
    return (long) qty * price;
  }
}
