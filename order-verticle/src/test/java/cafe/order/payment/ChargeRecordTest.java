package cafe.order.payment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.order.payment.ChargeRecord.Outcome;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChargeRecordTest {
  private final AtomicLong clock = new AtomicLong();

  /** A 10 s window of 10 buckets, opening at 50 % failures or 80 % slow answers over at least 20 calls. */
  private ChargeRecord record() {
    return new ChargeRecord(10_000, 10, 20, 0.5, 0.8, clock::get);
  }

  @Test
  void aRunOfFailuresUnderTheMinimumOfCallsDoesNotOpen() {
    ChargeRecord record = record();
    for (int i = 0; i < 19; i++) {
      assertFalse(record.record(Outcome.FAILED), "call " + i);
    }
    assertTrue(record.record(Outcome.FAILED), "the 20th failure of 20 calls");
  }

  @Test
  void failuresUnderTheRateDoNotOpen() {
    ChargeRecord record = record();
    for (int i = 0; i < 100; i++) {
      assertFalse(record.record(i % 3 == 0 ? Outcome.FAILED : Outcome.ANSWERED), "call " + i);
    }
  }

  @Test
  void slowAnswersOverTheirRateOpen() {
    ChargeRecord record = record();
    for (int i = 0; i < 4; i++) {
      record.record(Outcome.ANSWERED);
    }
    boolean open = false;
    for (int i = 0; i < 16; i++) {
      open = record.record(Outcome.SLOW);
    }
    assertTrue(open, "16 slow of 20 calls is 80 %");
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    ChargeRecord record = record();
    for (int i = 0; i < 19; i++) {
      record.record(Outcome.FAILED);
    }
    clock.addAndGet(11_000_000_000L);
    assertFalse(record.record(Outcome.FAILED), "the 19 earlier failures left the window");
  }

  @Test
  void aClearedRecordStartsAfresh() {
    ChargeRecord record = record();
    for (int i = 0; i < 19; i++) {
      record.record(Outcome.FAILED);
    }
    record.clear();
    assertFalse(record.record(Outcome.FAILED));
  }
}
