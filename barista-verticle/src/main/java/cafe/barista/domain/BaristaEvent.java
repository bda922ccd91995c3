package cafe.barista.domain;

import java.util.List;

/** What the bar tells the rest of the cafe; each record is one event type of the contract. */
public sealed interface BaristaEvent {

  default String type() {
    return getClass().getSimpleName();
  }

  /** Stock was taken and the drink waits for a barista. */
  record DrinkQueued(List<TicketLine> items) implements BaristaEvent {
  }

  record DrinkStarted() implements BaristaEvent {
  }

  /** Ready at the counter; the address is where delivery takes it. */
  record DrinkReady(String address) implements BaristaEvent {
  }

  /** The queued drink was cancelled and its stock returned. */
  record DrinkCancelled() implements BaristaEvent {
  }

  /** Too late to cancel: the drink is already being made or is made. */
  record DrinkCancelRejected(TicketStatus status) implements BaristaEvent {
  }

  /** Nothing was taken: these items are short. */
  record OutOfStock(List<String> missing) implements BaristaEvent {
  }
}
