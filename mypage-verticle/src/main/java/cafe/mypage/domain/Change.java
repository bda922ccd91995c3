package cafe.mypage.domain;

/**
 * What one event means for the order's view. {@code message} is what the customer is told when the
 * event changes the order's status (always, when {@code alwaysNotify}); {@value #WHAT} in it stands
 * for what the order is called, which an earlier event may have told.
 */
public record Change(String event, Effect effect, OrderStatus status, Payment payment, Drink drink,
    Delivery delivery, Facts facts, String message, boolean alwaysNotify) {

  public static final String WHAT = "{what}";

  public Change {
    if (event == null || effect == null || status == null || facts == null || message == null) {
      throw new IllegalArgumentException("a change needs its event, effect, status, facts and message");
    }
  }
}
