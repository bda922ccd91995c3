package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  @Test
  void defaultsMatchTheLocalLayout() {
    GatewaySettings settings = GatewaySettings.from(new Env(Map.of()));
    assertEquals(8080, settings.httpPort());
    assertEquals("http://127.0.0.1:8081", settings.upstream("order").url().toString());
    assertEquals("http://127.0.0.1:8085", settings.upstream("mypage").url().toString());
    assertEquals(2000, settings.upstream("barista").timeoutMs());
    assertEquals("cafe", settings.issuer());
    assertEquals(3600, settings.tokenTtlSeconds());
    assertTrue(settings.issuesTokens());
    assertTrue(settings.corsOrigins().isEmpty());
  }

  @Test
  void oneServiceMayGetItsOwnTimeout() {
    GatewaySettings settings = GatewaySettings.from(new Env(Map.of("UPSTREAM_TIMEOUT_MS", "1500",
        "ORDER_UPSTREAM_TIMEOUT_MS", "4000")));
    assertEquals(4000, settings.upstream("order").timeoutMs());
    assertEquals(1500, settings.upstream("payment").timeoutMs());
  }

  @Test
  void corsOriginsAreAListOfOrigins() {
    assertEquals(List.of("https://shop.example.com", "http://localhost:3000"), GatewaySettings.from(new Env(Map.of(
        "CORS_ORIGINS", "https://shop.example.com, http://localhost:3000"))).corsOrigins());
    ConfigException bad = assertThrows(ConfigException.class, () -> GatewaySettings.from(new Env(Map.of(
        "CORS_ORIGINS", "https://shop.example.com/path"))));
    assertTrue(bad.getMessage().contains("CORS_ORIGINS"));
  }

  @Test
  void badSettingsNameTheVariable() {
    for (Map<String, String> bad : List.of(
        Map.of("ORDER_URL", "order:8081"),
        Map.of("ORDER_URL", "http://order:8081/api"),
        Map.of("UPSTREAM_TIMEOUT_MS", "0"),
        Map.of("RATE_LIMIT_PER_MINUTE", "-1"),
        Map.of("PASSWORD_HASH_ITERATIONS", "10"),
        Map.of("JWT_JWKS_URL", "not a url"),
        Map.of("TRUSTED_PROXY_HOPS", "-1"),
        // The old switch trusted the left-most entry, which the caller writes: it is refused, not ignored.
        Map.of("TRUST_FORWARDED_HEADERS", "true"))) {
      String name = bad.keySet().iterator().next();
      ConfigException e = assertThrows(ConfigException.class, () -> GatewaySettings.from(new Env(bad)), name);
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }
}
