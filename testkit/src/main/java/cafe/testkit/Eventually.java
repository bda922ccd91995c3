package cafe.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Waits for a condition with a deadline, polling, instead of sleeping a fixed time. A probe that
 * throws (an exception or a failed assertion) counts as "not yet"; if the deadline passes, the
 * failure names what was awaited, the last value seen, and carries the last error as its cause.
 */
public final class Eventually {
  private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

  private Eventually() {
  }

  public static void await(Duration timeout, String what, Callable<Boolean> condition) {
    value(timeout, what, condition, Boolean.TRUE::equals);
  }

  public static void await(Duration timeout, Callable<Boolean> condition) {
    await(timeout, "condition", condition);
  }

  /** Polls {@code probe} until its value passes {@code done}; answers that value. */
  public static <T> T value(Duration timeout, String what, Callable<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Throwable lastError = null;
    while (true) {
      try {
        last = probe.call();
        lastError = null;
        if (last != null && done.test(last)) {
          return last;
        }
      } catch (Exception | AssertionError e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what + " (last seen: " + last + ")",
            lastError);
      }
      LockSupport.parkNanos(POLL_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
  }

  public static <T> T value(Duration timeout, Callable<T> probe, Predicate<? super T> done) {
    return value(timeout, "value", probe, done);
  }
}
