package cafe.barista.domain;

/** A move the ticket's status does not allow, such as completing a drink that was never started. */
public class IllegalMoveException extends RuntimeException {
  private final TicketStatus status;

  public IllegalMoveException(TicketStatus status, String message) {
    super(message);
    this.status = status;
  }

  public TicketStatus status() {
    return status;
  }
}
