package cafe.mypage;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
final class Eventually {
  private Eventually() {
  }

  static void await(Duration timeout, Callable<Boolean> condition) throws Exception {
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
      LockSupport.parkNanos(10_000_000);
    }
    throw new AssertionError("condition not met within " + timeout, last);
  }

  /** Polls {@code value} until it satisfies {@code done}; answers the value that did. */
  static <T> T value(Duration timeout, Callable<T> value, java.util.function.Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Exception error = null;
    while (System.nanoTime() < deadline) {
      try {
        last = value.call();
        if (last != null && done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        error = e;
      }
      LockSupport.parkNanos(10_000_000);
    }
    throw new AssertionError("not reached within " + timeout + "; last seen: " + last, error);
  }
}
