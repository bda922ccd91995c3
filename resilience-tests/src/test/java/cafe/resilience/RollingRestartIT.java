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
 * Order runs as two instances behind the gateway ({@code ORDER_URL} lists both). Under load, each in turn
 * gets SIGTERM (readiness DOWN for {@code SHUTDOWN_DELAY_MS}, then it drains and exits), is started again
 * and waited for, as a Kubernetes rolling update does: customers must not see a single failed call.
 */
class RollingRestartIT {
  private static final Logger LOG = Logger.getLogger(RollingRestartIT.class.getName());
  private static final List<String> INSTANCES = List.of("order", "order-b");

  private static Scenario scenario;

  @BeforeAll
  static void start() {
    ProcessStack stack = ProcessStack.shared();
    scenario = Scenario.begin(ProcessStack.Layout.standard()
        .with("order-b", Map.of())
        .with("gateway", Map.of("ORDER_URL", stack.url("order") + "," + stack.url("order-b"))));
  }

  @AfterAll
  static void stop() {
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  void aRollingRestartOfOrderCostsCustomersNothing() {
    ProcessStack stack = scenario.stack;
    LoadDriver load = scenario.load(8, Duration.ofMillis(200));
    try {
      Scenario.awaitMoreAccepted(load, 30, Duration.ofSeconds(30));
      for (String instance : INSTANCES) {
        Eventually.await(Duration.ofSeconds(20), instance + " takes orders", () -> Metrics.ordersPlaced(stack, instance) > 0);
      }
      for (String instance : INSTANCES) {
        stack.terminate(instance);
        stack.start(instance);
        // Back in turn: the gateway sends it orders again once it is ready.
        Eventually.await(Duration.ofSeconds(20), instance + " takes orders again",
            () -> Metrics.ordersPlaced(stack, instance) > 0);
        Scenario.awaitMoreAccepted(load, 30, Duration.ofSeconds(30));
        LOG.info("after the restart of " + instance + ": " + load.summary());
      }
    } finally {
      load.stop();
    }
    LOG.info("load done: " + load.summary());

    assertEquals(List.of(), load.failures(), "failed calls during the rolling restart; " + load.summary());
    Map<String, Audit.End> ends = Audit.expectedEnds(load);
    assertTrue(ends.size() >= 100, "only " + ends.size() + " orders were taken: " + load.summary());
    scenario.audit.awaitOrdersEnded(ends, Duration.ofSeconds(90));
    scenario.audit.awaitConsistent(ends, Duration.ofSeconds(60));
  }
}
