package cafe.mypage.store;

/**
 * Every Redis key and channel of my page, under one prefix ({@code MYPAGE_KEY_PREFIX}), so a
 * rebuild can fill a fresh prefix next to the live one and tests can keep to their own.
 *
 * <p>One event's script touches keys of the order, of its customer and the recent-orders index:
 * they share no hash slot, so this model needs a non-cluster Redis (standalone or replicated).
 */
public record Keys(String prefix) {

  public Keys {
    if (prefix == null || prefix.isEmpty() || prefix.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a key prefix must be non-empty and without spaces");
    }
  }

  public String order(String orderId) {
    return prefix + "order:" + orderId;
  }

  public String appliedEvents(String orderId) {
    return prefix + "order:" + orderId + ":events";
  }

  public String customerOrders(String customerId) {
    return prefix + "customer:" + customerId + ":orders";
  }

  public String notifications(String customerId) {
    return prefix + "customer:" + customerId + ":notifications";
  }

  public String recentOrders() {
    return prefix + "orders";
  }

  /** The pub/sub channel every instance publishes its projected changes on and listens to. */
  public String pushChannel() {
    return prefix + "pushes";
  }

  /** A SCAN pattern for every key under the prefix (glob characters in the prefix escaped). */
  public String everything() {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
  }
}
