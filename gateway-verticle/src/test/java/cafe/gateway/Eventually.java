package cafe.gateway;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
public final class Eventually {
  private Eventually() {
  }

  public static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      LockSupport.parkNanos(25_000_000);
    }
    throw new AssertionError("condition not met within " + timeout, last);
  }
}
