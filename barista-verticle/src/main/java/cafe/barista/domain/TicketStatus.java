package cafe.barista.domain;

/**
 * Where a drink ticket stands. QUEUED → BREWING → READY is the way through the bar; a queued
 * ticket may be CANCELLED; OUT_OF_STOCK records an order that was refused, so a redelivered
 * order is answered the same way instead of being decided again.
 */
public enum TicketStatus {
  QUEUED, BREWING, READY, CANCELLED, OUT_OF_STOCK;

  /** The statuses staff work with on the board. */
  public boolean onTheBoard() {
    return this == QUEUED || this == BREWING || this == READY;
  }
}
