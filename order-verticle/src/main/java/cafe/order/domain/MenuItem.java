package cafe.order.domain;

/** Something on the menu; the price is in KRW (no minor unit). */
public record MenuItem(String id, String name, int price, boolean available) {
  public MenuItem {
    if (id == null || id.isBlank() || name == null || name.isBlank()) {
      throw new IllegalArgumentException("a menu item needs an id and a name");
    }
    if (price <= 0) {
      throw new IllegalArgumentException("the price of " + id + " must be positive");
    }
  }
}
