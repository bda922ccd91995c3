package cafe.order.payment;

import java.util.function.LongSupplier;

/**
 * How recent charges went, over a sliding window of buckets: calls, failures (no answer: a timeout, a refused
 * connection, a 5xx) and slow answers (payment itself took long, as its {@code Server-Timing} says). The
 * circuit opens on rates over a minimum of calls, not on a run of failures: a few timeouts while our own machine
 * is saturated are not payment being down.
 */
final class ChargeRecord {
  enum Outcome { ANSWERED, SLOW, FAILED }

  private final long bucketNanos;
  private final int minCalls;
  private final double failureRate;
  private final double slowRate;
  private final LongSupplier nanoClock;
  private final long[] calls;
  private final long[] failures;
  private final long[] slow;
  private long bucket;

  ChargeRecord(long windowMs, int buckets, int minCalls, double failureRate, double slowRate, LongSupplier nanoClock) {
    this.bucketNanos = Math.max(1, windowMs * 1_000_000 / buckets);
    this.minCalls = minCalls;
    this.failureRate = failureRate;
    this.slowRate = slowRate;
    this.nanoClock = nanoClock;
    this.calls = new long[buckets];
    this.failures = new long[buckets];
    this.slow = new long[buckets];
    this.bucket = nanoClock.getAsLong() / bucketNanos;
  }

  /** Notes one call's outcome; answers whether the circuit should open now. */
  synchronized boolean record(Outcome outcome) {
    int at = current();
    calls[at]++;
    if (outcome == Outcome.FAILED) {
      failures[at]++;
    } else if (outcome == Outcome.SLOW) {
      slow[at]++;
    }
    long total = sum(calls);
    return total >= minCalls
        && (sum(failures) >= failureRate * total || sum(slow) >= slowRate * total);
  }

  /** Forgets the window (when the circuit opens, so a closed circuit starts afresh). */
  synchronized void clear() {
    java.util.Arrays.fill(calls, 0);
    java.util.Arrays.fill(failures, 0);
    java.util.Arrays.fill(slow, 0);
  }

  private int current() {
    long now = nanoClock.getAsLong() / bucketNanos;
    int n = calls.length;
    if (now - bucket >= n) {
      clear();
    } else {
      for (long b = bucket + 1; b <= now; b++) {
        int i = (int) Math.floorMod(b, (long) n);
        calls[i] = 0;
        failures[i] = 0;
        slow[i] = 0;
      }
    }
    bucket = Math.max(bucket, now);
    return (int) Math.floorMod(bucket, (long) n);
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }
}
