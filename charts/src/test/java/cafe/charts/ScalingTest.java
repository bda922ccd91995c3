package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Autoscalers and disruption budgets: who scales each service, and how many pods a drain may take. */
class ScalingTest {

  static Stream<Arguments> renderings() {
    return Stream.of(Arguments.of("defaults", Chart.defaults()), Arguments.of("values-eks", Chart.eks()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theHttpFacingServicesScaleOnCpu(String name, Rendered r) {
    for (String service : Chart.HTTP_FACING) {
      HorizontalPodAutoscaler hpa = r.get(HorizontalPodAutoscaler.class, Rendered.name(service));
      assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
      assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion());
      assertEquals(r.deployment(service).getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
      assertTrue(hpa.getSpec().getMinReplicas() >= 2, service + " keeps two pods for rolling updates and drains");
      assertTrue(hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas(), service);
      MetricSpec cpu = hpa.getSpec().getMetrics().get(0);
      assertEquals("Resource", cpu.getType());
      assertEquals("cpu", cpu.getResource().getName());
      assertEquals("Utilization", cpu.getResource().getTarget().getType());
      int target = cpu.getResource().getTarget().getAverageUtilization();
      assertTrue(target > 0 && target <= 100);
      assertNull(r.deployment(service).getSpec().getReplicas(),
          service + ": the HPA owns the replica count, an upgrade must not reset it");
    }
    for (String service : List.of("barista", "delivery")) {
      assertTrue(r.find(HorizontalPodAutoscaler.class, Rendered.name(service)).isEmpty(), service);
      assertTrue(r.deployment(service).getSpec().getReplicas() >= 2, service);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void aDrainTakesAtMostOnePodOfAServiceAtATime(String name, Rendered r) {
    for (String service : Chart.SERVICES) {
      PodDisruptionBudget pdb = r.get(PodDisruptionBudget.class, Rendered.name(service));
      assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), service);
      assertNull(pdb.getSpec().getMinAvailable());
      // A crash-looping pod must not hold up a node drain.
      assertEquals("AlwaysAllow", pdb.getSpec().getUnhealthyPodEvictionPolicy(), service);
      Map<String, String> podLabels = r.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
      assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()), service);
      // and only that service's pods
      assertEquals(service, pdb.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/component"));
    }
  }

  @Test
  void aBudgetCanAskForPodsToStayInstead() {
    Rendered r = Chart.with().set("podDisruptionBudget.minAvailable", 1).render();
    PodDisruptionBudget pdb = r.get(PodDisruptionBudget.class, "cafe-order");
    assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
    assertNull(pdb.getSpec().getMaxUnavailable());
  }

  @Test
  void withoutAutoscalingTheReplicaCountIsTheValue() {
    Rendered r = Chart.with().set("order.autoscaling.enabled", false).set("order.replicas", 5).render();
    assertEquals(5, r.deployment("order").getSpec().getReplicas());
    assertTrue(r.find(HorizontalPodAutoscaler.class, "cafe-order").isEmpty());
  }

  @Test
  void kedaScalesTheConsumersOnTheirLagInsteadOfAnHpa() {
    Rendered r = Chart.with().set("keda.enabled", true).set("keda.authenticationRef", "msk-auth").render();
    List<GenericKubernetesResource> scaled = r.custom("ScaledObject");
    assertEquals(3, scaled.size());

    assertKafkaTrigger(r, "barista", "barista", "cafe.orders");
    assertKafkaTrigger(r, "delivery", "delivery", null);
    assertKafkaTrigger(r, "mypage", "mypage", null);

    // mypage is HTTP-facing too: its CPU target moves into the ScaledObject, whose HPA replaces the chart's.
    List<Map<String, Object>> mypageTriggers = triggers(r, "mypage");
    assertEquals("cpu", mypageTriggers.get(1).get("type"));
    assertTrue(r.find(HorizontalPodAutoscaler.class, "cafe-mypage").isEmpty(), "two HPAs would fight");
    for (String service : List.of("barista", "delivery", "mypage")) {
      assertNull(r.deployment(service).getSpec().getReplicas(), service + ": KEDA owns the replica count");
    }
    assertNotNull(r.find(HorizontalPodAutoscaler.class, "cafe-order").orElse(null), "order keeps its HPA");
    assertTrue(Chart.defaults().custom("ScaledObject").isEmpty(), "KEDA is off by default");
  }

  @Test
  void kedaWouldNotAddConsumersThatGetNoPartition() {
    String refusal = Chart.with().set("keda.enabled", true).set("keda.barista.maxReplicas", 8)
        .set("kafka.topicPartitions", 4).refusal();
    assertTrue(refusal.contains("keda.barista.maxReplicas"), refusal);
  }

  private static void assertKafkaTrigger(Rendered r, String service, String group, String topic) {
    GenericKubernetesResource so = r.custom("ScaledObject").stream()
        .filter(o -> o.getMetadata().getName().equals(Rendered.name(service))).findFirst().orElseThrow();
    assertEquals("keda.sh/v1alpha1", so.getApiVersion());
    assertEquals(Rendered.name(service), so.get("spec", "scaleTargetRef", "name"));
    r.deployment(service);
    Number min = so.get("spec", "minReplicaCount");
    Number max = so.get("spec", "maxReplicaCount");
    assertTrue(min.intValue() >= 1 && max.intValue() >= min.intValue(), service);
    Map<String, Object> kafka = triggers(r, service).get(0);
    assertEquals("kafka", kafka.get("type"));
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) kafka.get("metadata");
    assertEquals(group, metadata.get("consumerGroup"));
    assertEquals(topic, metadata.get("topic"));
    assertEquals("cafe-kafka:9092", metadata.get("bootstrapServers"));
    assertTrue(Integer.parseInt((String) metadata.get("lagThreshold")) > 0, "KEDA wants the threshold as a string");
    assertEquals(Map.of("name", "msk-auth"), kafka.get("authenticationRef"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> triggers(Rendered r, String service) {
    GenericKubernetesResource so = r.custom("ScaledObject").stream()
        .filter(o -> o.getMetadata().getName().equals(Rendered.name(service))).findFirst().orElseThrow();
    return (List<Map<String, Object>>) so.get("spec", "triggers");
  }
}
