package cafe.mypage.domain;

/** One line of an order; {@code name} and {@code price} may be unknown (null) when an event leaves them out. */
public record Item(String menuItemId, String name, int qty, Long price) {
}
