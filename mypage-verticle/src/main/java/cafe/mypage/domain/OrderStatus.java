package cafe.mypage.domain;

/**
 * The order statuses of the public contract, as my page shows them. Events reach my page from four
 * topics in no agreed order, so a status is never taken from "the latest event" but merged:
 *
 * <ul>
 *   <li>The happy path has a rank (PAID &lt; QUEUED &lt; BREWING &lt; READY &lt; DELIVERING &lt;
 *       DELIVERED); the order sits at the highest rank any event has shown, so a late event never
 *       moves it back.</li>
 *   <li>CANCELLED and REJECTED are terminal: the first one seen stays, whatever comes after.</li>
 *   <li>CANCEL_REQUESTED is shown over the happy-path status while a cancellation is pending. It
 *       ends with the barista's refusal (the order shows its happy-path status again, which may
 *       have moved on meanwhile), with a terminal status, or once the order is on its way (a drink
 *       on a rider's bike cannot be cancelled, so the request is moot).</li>
 *   <li>A cancel request whose event time is not after the latest refusal was already answered
 *       (its refusal overtook it on another topic) and does not make the order pending again.</li>
 * </ul>
 *
 * The merge itself runs inside Redis, atomically with the event's de-duplication
 * ({@code mypage/project.lua}); this enum gives it the ranks.
 */
public enum OrderStatus {
  PAYMENT_PENDING(0, true),
  PAID(1, true),
  QUEUED(2, true),
  BREWING(3, true),
  READY(4, true),
  DELIVERING(5, false),
  DELIVERED(6, false),
  CANCEL_REQUESTED(-1, false),
  CANCELLED(-1, false),
  REJECTED(-1, false);

  private final int rank;
  private final boolean cancellable;

  OrderStatus(int rank, boolean cancellable) {
    this.rank = rank;
    this.cancellable = cancellable;
  }

  /** Position along the happy path; -1 for the statuses off it. */
  public int rank() {
    return rank;
  }

  /** Whether a pending cancellation can still stop an order at this point of the happy path. */
  public boolean cancellable() {
    return cancellable;
  }

  public boolean terminal() {
    return this == CANCELLED || this == REJECTED;
  }

  /** The status named in an event, or null when the name is not one of ours. */
  public static OrderStatus parse(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
