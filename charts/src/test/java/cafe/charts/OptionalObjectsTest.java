package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Monitoring objects and the log volume: absent unless asked for, valid when asked for. */
class OptionalObjectsTest {

  private static Rendered monitoringOn() {
    return Chart.with()
        .set("monitoring.serviceMonitor.enabled", true)
        .set("monitoring.serviceMonitor.labels.release", "kube-prometheus-stack")
        .set("monitoring.prometheusRule.enabled", true)
        .set("monitoring.grafanaDashboard.enabled", true)
        .render();
  }

  @Test
  void noneOfThemByDefault() {
    for (Rendered r : List.of(Chart.defaults(), Chart.eks())) {
      assertTrue(r.custom("ServiceMonitor").isEmpty());
      assertTrue(r.custom("PrometheusRule").isEmpty());
      assertTrue(r.custom("ScaledObject").isEmpty());
      assertTrue(r.all(PersistentVolumeClaim.class).isEmpty());
      assertTrue(r.all(ConfigMap.class).stream().noneMatch(c -> c.getMetadata().getLabels().containsKey("grafana_dashboard")));
      for (String service : Chart.SERVICES) {
        assertTrue(r.container(service).getVolumeMounts().stream().noneMatch(m -> m.getMountPath().equals("/logs")));
        assertTrue(r.container(service).getCommand().isEmpty(), "the image's own entrypoint");
      }
    }
  }

  @Test
  void theServiceMonitorScrapesEveryServicesMetrics() {
    Rendered r = monitoringOn();
    List<GenericKubernetesResource> monitors = r.custom("ServiceMonitor");
    assertEquals(1, monitors.size());
    GenericKubernetesResource monitor = monitors.get(0);
    assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
    assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertEquals("/metrics", endpoints.get(0).get("path"));
    String port = (String) endpoints.get(0).get("port");
    List<String> selected = new ArrayList<>();
    for (Service service : r.all(Service.class)) {
      if (service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(port)));
        selected.add(service.getMetadata().getName());
      }
    }
    assertEquals(Chart.SERVICES.stream().map(Rendered::name).sorted().toList(), selected.stream().sorted().toList());
    assertEquals(List.of(Chart.NAMESPACE), monitor.get("spec", "namespaceSelector", "matchNames"));
  }

  @Test
  void thePrometheusRuleAlertsOnBreakersLagAndServerErrors() {
    GenericKubernetesResource rule = monitoringOn().custom("PrometheusRule").get(0);
    assertEquals("monitoring.coreos.com/v1", rule.getApiVersion());
    List<Map<String, Object>> groups = rule.get("spec", "groups");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rules = (List<Map<String, Object>>) groups.get(0).get("rules");
    Map<String, String> exprByAlert = new java.util.HashMap<>();
    for (Map<String, Object> alert : rules) {
      exprByAlert.put((String) alert.get("alert"), (String) alert.get("expr"));
      assertTrue(((Map<?, ?>) alert.get("labels")).containsKey("severity"), alert.get("alert").toString());
      String summary = (String) ((Map<?, ?>) alert.get("annotations")).get("summary");
      assertFalse(summary.isBlank());
      assertFalse(summary.contains("<no value>"), summary);
    }
    assertTrue(exprByAlert.get("CafeCircuitBreakerOpen").contains("cafe_.*circuit_state"));
    assertTrue(exprByAlert.get("CafeCircuitBreakerOpen").contains("== 2"));
    String lag = exprByAlert.get("CafeConsumerLagHigh");
    for (String group : List.of("order-saga", "payment-refunds", "barista", "delivery", "mypage")) {
      assertTrue(lag.contains(group), lag);
    }
    assertTrue(lag.startsWith("sum by (consumergroup) (kafka_consumergroup_lag{"), lag);
    String errors = exprByAlert.get("CafeHttp5xxRateHigh");
    assertTrue(errors.contains("vertx_http_server_requests_total{namespace=\"shop\", code=~\"5..\"}"), errors);
    assertTrue(errors.endsWith("> 0.05"), errors);
    assertTrue(exprByAlert.get("CafeEventsDeadLettered").contains("cafe_events_dead_lettered_total"));
    // Kafka left readiness for this alert: a pod that cannot reach it is told, not taken out of its Service.
    assertTrue(exprByAlert.get("CafeKafkaUnreachable").contains("cafe_dependency_up{namespace=\"shop\", dependency=\"kafka\"}"),
        exprByAlert.get("CafeKafkaUnreachable"));
    // Prometheus templating survives Helm's: the summary keeps {{ $labels.service }}.
    assertTrue(rules.stream().anyMatch(a -> ((Map<?, ?>) a.get("annotations")).get("summary").toString()
        .contains("{{ $labels.service }}")));
  }

  @Test
  void theGrafanaDashboardIsAConfigMapTheSidecarPicksUp() throws Exception {
    ConfigMap dashboard = monitoringOn().get(ConfigMap.class, "cafe-dashboard");
    assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("cafe.json"));
    assertEquals("Cafe", json.get("title").asText());
    StringBuilder exprs = new StringBuilder();
    json.get("panels").forEach(panel -> panel.get("targets").forEach(t -> exprs.append(t.get("expr").asText()).append('\n')));
    for (String metric : List.of("vertx_http_server_requests_total", "vertx_http_server_response_time_seconds_bucket",
        "code=~\"5..\"", "cafe_events_handled_total", "cafe_events_dead_lettered_total", "cafe_outbox_published_total",
        "jvm_memory_used_bytes")) {
      assertTrue(exprs.toString().contains(metric), "the dashboard shows " + metric);
    }
    assertTrue(exprs.toString().contains("histogram_quantile(0.99"));
  }

  @Test
  void theLogVolumeKeepsEachPodsOutputUnderLogs() {
    Rendered r = Chart.with().set("logs.persistence.enabled", true).set("logs.persistence.storageClassName", "efs-sc").render();
    PersistentVolumeClaim claim = r.get(PersistentVolumeClaim.class, "cafe-logs");
    assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes());
    assertEquals("efs-sc", claim.getSpec().getStorageClassName());
    assertEquals("keep", claim.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
    for (String service : Chart.SERVICES) {
      Container c = r.container(service);
      assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/logs") && m.getName().equals("logs")));
      Volume logs = r.deployment(service).getSpec().getTemplate().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals("logs")).findFirst().orElseThrow();
      assertEquals("cafe-logs", logs.getPersistentVolumeClaim().getClaimName());
      String script = c.getArgs().get(0);
      assertEquals(List.of("/bin/sh", "-c"), c.getCommand());
      assertTrue(script.contains("/logs/" + service + "/${HOSTNAME}.log"), script);
      assertTrue(script.contains("exec java -cp @/app/jib-classpath-file"), "java stays the process that gets SIGTERM");
    }
    Rendered existing = Chart.with().set("logs.persistence.enabled", true).set("logs.persistence.existingClaim", "shared-logs").render();
    assertTrue(existing.all(PersistentVolumeClaim.class).isEmpty());
    assertEquals("shared-logs", existing.deployment("order").getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals("logs")).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
  }
}
