package cafe.resilience;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
final class Eventually {
  private Eventually() {
  }

  /** Polls every {@code every} until the condition holds; fails with the last error after the deadline. */
  static void await(Duration timeout, Duration every, String what, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s", last);
      }
      LockSupport.parkNanos(every.toNanos());
    }
  }

  static void await(Duration timeout, String what, Callable<Boolean> condition) {
    await(timeout, Duration.ofMillis(50), what, condition);
  }
}
