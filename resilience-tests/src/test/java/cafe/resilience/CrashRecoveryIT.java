package cafe.resilience;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Under a steady stream of orders, each service in turn, then the Kafka broker, is killed with SIGKILL (a
 * crash, an OOM kill, a lost node) and started again at once, as Kubernetes restarts a container. Clients
 * may see errors while the gateway or order is down; every order they were told was accepted must still
 * end, and end once: delivered, or rejected for its declined card, with one payment and one delivery.
 */
class CrashRecoveryIT {
  private static final Logger LOG = Logger.getLogger(CrashRecoveryIT.class.getName());
  private static final List<String> VICTIMS = List.of("order", "payment", "barista", "delivery", "mypage", "gateway");
  /** While the gateway is down the connection is refused (0); while order is, the gateway answers 503 or 504. */
  private static final Set<Integer> OUTAGE_ANSWERS = Set.of(0, 502, 503, 504);

  private static Scenario scenario;

  @BeforeAll
  static void start() {
    scenario = Scenario.begin(ProcessStack.Layout.standard());
  }

  @AfterAll
  static void stop() {
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  void everyAcceptedOrderEndsOnceWhenEachServiceAndTheBrokerCrashInTurn() {
    ProcessStack stack = scenario.stack;
    LoadDriver load = scenario.load(8, Duration.ofMillis(250));
    try {
      Scenario.awaitMoreAccepted(load, 20, Duration.ofSeconds(30));
      for (String victim : VICTIMS) {
        stack.kill9(victim);
        stack.start(victim);
        // Orders are taken again (with the gateway or order back), and some while the victim catches up.
        Scenario.awaitMoreAccepted(load, 20, Duration.ofSeconds(60));
        LOG.info("after the crash of " + victim + ": " + load.summary());
      }
      stack.infra().killKafka();
      LOG.info("kafka: killed (SIGKILL)");
      stack.infra().startKafka();
      LOG.info("kafka: started again");
      Scenario.awaitMoreAccepted(load, 20, Duration.ofSeconds(60));
    } finally {
      load.stop();
    }
    LOG.info("load done: " + load.summary());

    List<LoadDriver.Call> unexpected = load.failures().stream()
        .filter(call -> !OUTAGE_ANSWERS.contains(call.status())).toList();
    assertTrue(unexpected.isEmpty(), "answers other than an outage's: " + unexpected);
    Map<String, Audit.End> ends = Audit.expectedEnds(load);
    assertTrue(ends.size() >= 100, "only " + ends.size() + " orders were taken: " + load.summary());

    // Crashed consumers leave their group only when their session expires (45 s by default), then catch up.
    scenario.audit.awaitOrdersEnded(ends, Duration.ofSeconds(150));
    scenario.audit.awaitConsistent(ends, Duration.ofSeconds(60));
  }
}
