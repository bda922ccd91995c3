package cafe.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payment answers every charge 400 to 610 ms late. Order's charge budget (500 ms from the request's arrival)
 * keeps every order call under a second: a charge that outlasts it leaves the order PAYMENT_PENDING (202), as
 * does order's payment circuit once such timeouts open it; the retrier settles each order later, charged once.
 */
class SlowPaymentIT {
  private static final Logger LOG = Logger.getLogger(SlowPaymentIT.class.getName());
  private static final long LIMIT_MS = 1000;

  private static Scenario scenario;

  @BeforeAll
  static void start() {
    scenario = Scenario.begin(ProcessStack.Layout.standard().with("payment", Map.of("PAYMENT_DELAY_MS", "400-610")));
  }

  @AfterAll
  static void stop() {
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  void aSlowPaymentKeepsOrdersUnderASecondAndEveryOrderIsSettledOnce() {
    LoadDriver load = scenario.load(8, Duration.ofMillis(250));
    try {
      Scenario.awaitMoreAccepted(load, 200, Duration.ofSeconds(60));
    } finally {
      load.stop();
    }
    LOG.info("load done: " + load.summary());

    assertEquals(List.of(), load.failures(), "failed calls with a slow payment; " + load.summary());
    LoadDriver.Call slowest = load.slowest().orElseThrow();
    assertTrue(slowest.millis() < LIMIT_MS, "an order call took " + slowest.millis() + " ms: " + slowest + "; "
        + load.summary());
    // Charges that outlast the budget (and, once those open order's payment circuit, all charges) are left to the retrier.
    long pending = load.calls().stream().filter(call -> call.status() == 202).count();
    assertTrue(pending > 0, "no order was left PAYMENT_PENDING, so the slow path was not taken; " + load.summary());

    Map<String, Audit.End> ends = Audit.expectedEnds(load);
    // None is left PAYMENT_PENDING: each is delivered (paid) or rejected (declined card).
    scenario.audit.awaitOrdersEnded(ends, Duration.ofSeconds(90));
    scenario.audit.awaitConsistent(ends, Duration.ofSeconds(60));
  }
}
