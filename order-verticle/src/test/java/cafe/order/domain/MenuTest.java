package cafe.order.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MenuTest {
  static final Menu MENU = new Menu(List.of(
      new MenuItem("americano", "Americano", 4500, true),
      new MenuItem("latte", "Caffe Latte", 5000, true),
      new MenuItem("croissant", "Butter Croissant", 3500, true),
      new MenuItem("seasonal", "Seasonal Special", 6000, false)));

  @Test
  void pricesEachLineFromTheMenuAndAddsThemUp() {
    List<OrderLine> lines = MENU.price(List.of(new LineRequest("latte", 2), new LineRequest("croissant", 1)));
    assertEquals(List.of(new OrderLine("latte", "Caffe Latte", 2, 5000),
        new OrderLine("croissant", "Butter Croissant", 1, 3500)), lines);
    assertEquals(13_500, Menu.total(lines));
  }

  @Test
  void linesOfTheSameItemAreMergedAndStillCappedAtTwenty() {
    List<OrderLine> lines = MENU.price(List.of(new LineRequest("americano", 3), new LineRequest("americano", 4)));
    assertEquals(List.of(new OrderLine("americano", "Americano", 7, 4500)), lines);
    InvalidOrderException e = assertThrows(InvalidOrderException.class,
        () -> MENU.price(List.of(new LineRequest("americano", 15), new LineRequest("americano", 6))));
    assertEquals("at most 20 of americano per order", e.getMessage());
  }

  @Test
  void anEmptyOrderIsRefused() {
    assertThrows(InvalidOrderException.class, () -> MENU.price(List.of()));
    assertThrows(InvalidOrderException.class, () -> MENU.price(null));
  }

  @Test
  void anUnknownItemIsRefusedByName() {
    InvalidOrderException e = assertThrows(InvalidOrderException.class,
        () -> MENU.price(List.of(new LineRequest("unicorn-frappe", 1))));
    assertEquals("there is no unicorn-frappe on the menu (see GET /menu)", e.getMessage());
  }

  @Test
  void anUnavailableItemIsRefused() {
    assertThrows(InvalidOrderException.class, () -> MENU.price(List.of(new LineRequest("seasonal", 1))));
  }

  @Test
  void qtyMustBeOneToTwenty() {
    for (int qty : new int[] {0, -1, 21}) {
      InvalidOrderException e = assertThrows(InvalidOrderException.class,
          () -> MENU.price(List.of(new LineRequest("latte", qty))));
      assertEquals("qty of latte must be 1..20", e.getMessage());
    }
    assertEquals(100_000, Menu.total(MENU.price(List.of(new LineRequest("latte", 20)))));
  }
}
