package cafe.resilience;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/** What every scenario needs: the running cafe in its layout, signed-in customers and admin, the topics' ledger. */
final class Scenario implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Scenario.class.getName());

  final ProcessStack stack;
  final CafeClient cafe;
  final List<String> customers;
  final String admin;
  final EventLedger ledger;
  final Audit audit;

  private Scenario(ProcessStack stack) {
    this.stack = stack;
    this.cafe = new CafeClient(stack.gateway());
    this.customers = List.of(cafe.token("alice"), cafe.token("bob"));
    this.admin = cafe.token("admin");
    this.ledger = new EventLedger(stack.infra().kafkaBootstrap());
    this.audit = new Audit(new CafeClient(stack.url("order")), new CafeClient(stack.url("payment")),
        new CafeClient(stack.url("mypage")), admin, ledger);
  }

  static Scenario begin(ProcessStack.Layout layout) {
    ProcessStack stack = ProcessStack.shared();
    stack.use(layout);
    return new Scenario(stack);
  }

  LoadDriver load(int clients, Duration pace) {
    LOG.info("load: " + clients + " customers, an order each every " + pace.toMillis() + " ms at most");
    return LoadDriver.start(cafe, customers, clients, pace);
  }

  /** Waits until {@code more} orders beyond those so far were accepted: the cafe takes orders again. */
  static void awaitMoreAccepted(LoadDriver load, int more, Duration timeout) {
    int target = load.acceptedCount() + more;
    try {
      Eventually.await(timeout, more + " more orders accepted", () -> load.acceptedCount() >= target);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; so far " + load.summary() + "; last failures: "
          + lastFailures(load), e);
    }
  }

  static String lastFailures(LoadDriver load) {
    List<LoadDriver.Call> failures = load.failures();
    return failures.subList(Math.max(0, failures.size() - 5), failures.size()).toString();
  }

  @Override
  public void close() {
    ledger.close();
  }
}
