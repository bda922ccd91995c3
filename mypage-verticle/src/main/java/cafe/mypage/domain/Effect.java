package cafe.mypage.domain;

/** What an event does to the order's status (see {@link OrderStatus} for how the effects merge). */
public enum Effect {
  /** Moves the order along the happy path to the change's status, unless it is already further. */
  ADVANCE,
  /** A cancellation is asked for; the change's status is where the order stood when it was asked. */
  CANCEL_REQUEST,
  /** The barista refused the cancellation; the change's status is where the drink stands. */
  CANCEL_REFUSED,
  /** The barista took the drink off the queue: the cancellation goes ahead. */
  CANCELLING,
  /** The order ends with the change's status (CANCELLED or REJECTED). */
  CLOSE
}
