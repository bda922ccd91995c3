package cafe.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

  @Test
  void defaultsApplyWhenUnset() {
    Env env = new Env(Map.of());
    assertEquals(8081, env.integer("HTTP_PORT", 8081));
    assertEquals("postgresql", env.url("PG_URL", "postgresql://h:1/db", "postgresql").getScheme());
    assertFalse(env.flag("X", false));
  }

  @Test
  void badValuesNameTheSetting() {
    Env env = new Env(Map.of("HTTP_PORT", "eighty", "PG_URL", "mysql://h/db", "FLAG", "maybe"));
    assertTrue(assertThrows(ConfigException.class, () -> env.integer("HTTP_PORT", 1)).getMessage()
        .startsWith("HTTP_PORT=eighty"));
    assertTrue(assertThrows(ConfigException.class, () -> env.url("PG_URL", null, "postgresql")).getMessage()
        .startsWith("PG_URL="));
    assertTrue(assertThrows(ConfigException.class, () -> env.flag("FLAG", true)).getMessage().startsWith("FLAG="));
    assertTrue(assertThrows(ConfigException.class, () -> env.required("JWT", "give a key")).getMessage()
        .startsWith("JWT is not set"));
  }

  @Test
  void passwordsInUrlsAreNeverPrinted() {
    String message = assertThrows(ConfigException.class,
        () -> new Env(Map.of("PG_URL", "mysql://cafe:s3cret@db:5432/x")).url("PG_URL", null, "postgresql"))
        .getMessage();
    assertFalse(message.contains("s3cret"), message);
  }
}
