package cafe.payment.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChargeDelayTest {
  @Test
  void aRangeGivesDelaysWithinIt() {
    ChargeDelay delay = ChargeDelay.parse("400-610");
    for (int i = 0; i < 1000; i++) {
      long next = delay.next();
      assertTrue(next >= 400 && next <= 610, "delay " + next);
    }
  }

  @Test
  void aSingleNumberIsAFixedDelayAndNothingMeansNone() {
    assertEquals(500, ChargeDelay.parse("500").next());
    assertEquals(ChargeDelay.NONE, ChargeDelay.from(new Env(Map.of())));
    assertEquals(0, ChargeDelay.NONE.next());
  }

  @ParameterizedTest
  @ValueSource(strings = {"slow", "610-400", "-5", "400-", "1.5"})
  void aMalformedSettingNamesTheVariable(String raw) {
    ConfigException e = assertThrows(ConfigException.class, () -> ChargeDelay.parse(raw));
    assertTrue(e.getMessage().startsWith("PAYMENT_DELAY_MS=" + raw), e.getMessage());
  }
}
