package cafe.barista.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Polls a condition until it holds or the deadline passes; never a fixed wait. */
public final class Eventually {
  private static final long POLL_NANOS = Duration.ofMillis(25).toNanos();

  private Eventually() {
  }

  public static void await(Duration timeout, String what, Callable<Boolean> condition) {
    await(timeout, what, condition, ok -> ok != null && ok);
  }

  /** The first value of {@code probe} that passes {@code check}. */
  public static <T> T await(Duration timeout, String what, Callable<T> probe, Predicate<T> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Exception lastError = null;
    while (true) {
      try {
        last = probe.call();
        lastError = null;
        if (check.test(last)) {
          return last;
        }
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError failure = new AssertionError("not within " + timeout.toMillis() + " ms: " + what + " (last seen: " + last + ")");
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
