package cafe.order.domain;

/** What the customer asked for: an item and how many. The price is never the customer's to say. */
public record LineRequest(String menuItemId, int qty) {
}
