package cafe.barista.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StockTest {
  @Test
  void anItemOnSeveralLinesIsNeededInTotal() {
    PlacedOrder order = new PlacedOrder("o1", "alice", List.of(
        new TicketLine("latte", null, 1), new TicketLine("croissant", null, 2), new TicketLine("latte", null, 2)), null);
    assertEquals(Map.of("latte", 3, "croissant", 2), order.needs());
  }

  @Test
  void shortItemsAreNamedInTheOrderAsked() {
    Map<String, Integer> needs = new LinkedHashMap<>();
    needs.put("latte", 3);
    needs.put("croissant", 1);
    needs.put("muffin", 1);
    needs.put("americano", 2);
    Map<String, Integer> levels = Map.of("latte", 2, "croissant", 1, "americano", 0);
    assertEquals(List.of("latte", "muffin", "americano"), Stock.shortages(levels, needs));
    assertEquals(List.of(), Stock.shortages(Map.of("latte", 3), Map.of("latte", 3)));
  }

  @Test
  void aStockLevelIsAWholeNumberInRange() {
    assertEquals(0, Stock.checkQuantity(0));
    assertEquals(Stock.MAX_QUANTITY, Stock.checkQuantity(Stock.MAX_QUANTITY));
    assertThrows(IllegalArgumentException.class, () -> Stock.checkQuantity(-1));
    assertThrows(IllegalArgumentException.class, () -> Stock.checkQuantity(Stock.MAX_QUANTITY + 1L));
  }

  @Test
  void theBarStocksTheSeededMenu() {
    assertEquals(List.of("americano", "latte", "cappuccino", "vanilla-latte", "green-tea", "croissant"), Stock.MENU);
  }

  @Test
  void anOrderNeedsItemsAndLinesNeedAQuantity() {
    assertThrows(IllegalArgumentException.class, () -> new PlacedOrder("o1", "alice", List.of(), null));
    assertThrows(IllegalArgumentException.class, () -> new TicketLine("latte", "Latte", 0));
    assertThrows(IllegalArgumentException.class, () -> new TicketLine(" ", "Latte", 1));
    assertEquals("latte", new TicketLine("latte", null, 1).name());
  }
}
