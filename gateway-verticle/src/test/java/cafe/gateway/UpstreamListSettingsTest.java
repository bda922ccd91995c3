package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's URL may be a comma-separated list of its instances. */
class UpstreamListSettingsTest {

  @Test
  void oneUrlIsOneInstance() {
    GatewaySettings.Upstream order = GatewaySettings.from(new Env(Map.of("ORDER_URL", "http://order:8081")))
        .upstream("order");
    assertEquals(List.of(URI.create("http://order:8081")), order.urls());
    assertEquals(URI.create("http://order:8081"), order.url());
    assertEquals(1000, order.probeMs());
  }

  @Test
  void aListNamesEveryInstanceInItsOrder() {
    GatewaySettings settings = GatewaySettings.from(new Env(Map.of(
        "ORDER_URL", "http://order-1:8081, http://order-2:8081,https://order-3",
        "UPSTREAM_PROBE_MS", "250")));
    assertEquals(List.of(URI.create("http://order-1:8081"), URI.create("http://order-2:8081"),
        URI.create("https://order-3")), settings.upstream("order").urls());
    assertEquals(250, settings.upstream("order").probeMs());
    assertEquals(1, settings.upstream("payment").urls().size());
  }

  @Test
  void aBadEntryNamesTheVariable() {
    for (String bad : List.of("http://order-1:8081,", "http://order-1:8081,,http://order-2:8081",
        "http://order-1:8081,order-2:8081", "http://order-1:8081,http://order-2:8081/api",
        "http://order-1:8081,http://order-1:8081")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> GatewaySettings.from(new Env(Map.of("ORDER_URL", bad))), bad);
      assertTrue(e.getMessage().startsWith("ORDER_URL"), e.getMessage());
    }
    ConfigException probe = assertThrows(ConfigException.class,
        () -> GatewaySettings.from(new Env(Map.of("UPSTREAM_PROBE_MS", "0"))));
    assertTrue(probe.getMessage().contains("UPSTREAM_PROBE_MS"));
  }
}
