package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One way in: an ALB in front of the gateway, nothing else exposed. */
class IngressTest {
  private static final String ALB = "alb.ingress.kubernetes.io/";

  static Stream<Arguments> renderings() {
    return Stream.of(Arguments.of("defaults", Chart.defaults()), Arguments.of("values-eks", Chart.eks()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void onlyTheGatewayIsBehindTheAlb(String name, Rendered r) {
    List<Ingress> ingresses = r.all(Ingress.class);
    assertEquals(1, ingresses.size());
    Ingress ingress = ingresses.get(0);
    assertEquals("alb", ingress.getSpec().getIngressClassName());
    List<IngressRule> rules = ingress.getSpec().getRules();
    assertEquals(1, rules.size());
    List<HTTPIngressPath> paths = rules.get(0).getHttp().getPaths();
    HTTPIngressPath root = paths.stream().filter(p -> p.getPath().equals("/")).findFirst().orElseThrow();
    assertEquals("Prefix", root.getPathType());
    String backend = root.getBackend().getService().getName();
    assertEquals("cafe-gateway", backend);
    String portName = root.getBackend().getService().getPort().getName();
    Service gateway = r.get(Service.class, backend);
    assertTrue(gateway.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(portName)));
    // Every other path is an ALB action, never another service.
    for (HTTPIngressPath path : paths) {
      if (path != root) {
        assertEquals("use-annotation", path.getBackend().getService().getPort().getName(), path.getPath());
        assertTrue(ingress.getMetadata().getAnnotations()
            .containsKey(ALB + "actions." + path.getBackend().getService().getName()), path.getPath());
      }
    }
    for (Service service : r.all(Service.class)) {
      assertEquals("ClusterIP", service.getSpec().getType(), service.getMetadata().getName() + " stays inside");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theAlbTargetsReadyPodsAndKeepsWebSocketsOpen(String name, Rendered r) {
    Map<String, String> a = r.all(Ingress.class).get(0).getMetadata().getAnnotations();
    assertEquals("internet-facing", a.get(ALB + "scheme"));
    assertEquals("ip", a.get(ALB + "target-type"));
    assertEquals("/health/ready", a.get(ALB + "healthcheck-path"));
    int idle = Integer.parseInt(a.get(ALB + "load-balancer-attributes").replace("idle_timeout.timeout_seconds=", ""));
    assertTrue(idle >= 60, "a WebSocket pings every 25 s; the ALB must not cut it first: " + idle);
    int deregistration = Integer.parseInt(
        a.get(ALB + "target-group-attributes").replace("deregistration_delay.timeout_seconds=", ""));
    long grace = r.deployment("gateway").getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    assertTrue(deregistration < grace, "requests to a leaving pod finish before it is killed");
  }

  @Test
  void withACertificateItServesHttpsAndRedirectsHttp() {
    Map<String, String> a = Chart.eks().all(Ingress.class).get(0).getMetadata().getAnnotations();
    assertTrue(a.get(ALB + "certificate-arn").startsWith("arn:aws:acm:"));
    assertEquals("[{\"HTTP\": 80}, {\"HTTPS\": 443}]", a.get(ALB + "listen-ports"));
    assertEquals("443", a.get(ALB + "ssl-redirect"));
    assertEquals("cafe.example.com", Chart.eks().all(Ingress.class).get(0).getSpec().getRules().get(0).getHost());
  }

  @Test
  void withoutACertificateItListensOnHttpOnly() {
    Ingress ingress = Chart.defaults().all(Ingress.class).get(0);
    Map<String, String> a = ingress.getMetadata().getAnnotations();
    assertEquals("[{\"HTTP\": 80}]", a.get(ALB + "listen-ports"));
    assertFalse(a.containsKey(ALB + "certificate-arn"));
    assertFalse(a.containsKey(ALB + "ssl-redirect"));
    assertNull(ingress.getSpec().getRules().get(0).getHost());
  }

  @Test
  void anInternalAlbAndExtraAnnotations() {
    Ingress ingress = Chart.with().set("ingress.scheme", "internal")
        .set("ingress.annotations.alb\\.ingress\\.kubernetes\\.io/wafv2-acl-arn", "arn:aws:wafv2:acl")
        .set("ingress.groupName", "shared").render().all(Ingress.class).get(0);
    Map<String, String> a = ingress.getMetadata().getAnnotations();
    assertEquals("internal", a.get(ALB + "scheme"));
    assertEquals("arn:aws:wafv2:acl", a.get(ALB + "wafv2-acl-arn"));
    assertEquals("shared", a.get(ALB + "group.name"));
  }

  @Test
  void theInternetDoesNotSeeTheGatewaysMetrics() throws Exception {
    Ingress ingress = Chart.defaults().all(Ingress.class).get(0);
    HTTPIngressPath metrics = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0);
    assertEquals("/metrics", metrics.getPath(), "the more specific path comes first");
    String action = ingress.getMetadata().getAnnotations().get(ALB + "actions." + metrics.getBackend().getService().getName());
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(action);
    assertEquals("fixed-response", json.get("type").asText());
    assertEquals("404", json.get("fixedResponseConfig").get("statusCode").asText());

    Ingress open = Chart.with().set("ingress.hideMetrics", false).render().all(Ingress.class).get(0);
    assertEquals(1, open.getSpec().getRules().get(0).getHttp().getPaths().size());
  }

  @Test
  void canBeLeftOut() {
    assertTrue(Chart.with().set("ingress.enabled", false).render().all(Ingress.class).isEmpty());
  }
}
