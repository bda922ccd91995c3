package cafe.order.payment;

/** What payment said about a charge, or that it said nothing usable. */
public sealed interface ChargeOutcome {
  record Approved() implements ChargeOutcome {
  }

  record Declined(String reason) implements ChargeOutcome {
  }

  /** No answer in time, an open circuit, or an answer we cannot act on: try again later. */
  record Unsettled(String why) implements ChargeOutcome {
  }
}
