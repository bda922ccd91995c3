package cafe.barista.domain;

/** One line of a ticket: so many of one menu item. */
public record TicketLine(String menuItemId, String name, int qty) {
  public TicketLine {
    if (menuItemId == null || menuItemId.isBlank()) {
      throw new IllegalArgumentException("a ticket line needs a menu item");
    }
    if (qty < 1) {
      throw new IllegalArgumentException("qty of " + menuItemId + " must be at least 1, got " + qty);
    }
    name = name == null || name.isBlank() ? menuItemId : name;
  }
}
