package cafe.order.it;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition with a deadline, polling; never a fixed sleep. */
public final class Eventually {
  private Eventually() {
  }

  public static void await(Duration timeout, String what, Callable<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
        last = null;
      } catch (Exception | AssertionError e) {
        last = e;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, last);
  }
}
