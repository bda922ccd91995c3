package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Both value sets render objects the Kubernetes models read as their own types, with nothing unknown in them. */
class RenderedObjectsTest {

  static Stream<Arguments> renderings() {
    return Stream.of(Arguments.of("defaults", Chart.defaults()), Arguments.of("values-eks", Chart.eks()));
  }

  /** Everything the chart renders with any options on: KEDA, monitoring, log volume, trust store. */
  static Rendered everythingOn() {
    return Chart.with().values(Chart.EKS_VALUES).set("samplePlaceholders", false)
        .set("keda.enabled", true)
        .set("monitoring.serviceMonitor.enabled", true)
        .set("monitoring.prometheusRule.enabled", true)
        .set("monitoring.grafanaDashboard.enabled", true)
        .set("logs.persistence.enabled", true)
        .render();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void rendersTheExpectedObjects(String name, Rendered rendered) {
    assertEquals(6, rendered.all(Deployment.class).size());
    assertEquals(6, rendered.all(Service.class).size());
    assertEquals(6, rendered.all(ConfigMap.class).size());
    assertEquals(6, rendered.all(PodDisruptionBudget.class).size());
    assertEquals(4, rendered.all(HorizontalPodAutoscaler.class).size());
    assertEquals(1, rendered.all(Ingress.class).size());
    assertEquals(1, rendered.all(Secret.class).size());
    assertEquals(6, rendered.all(ServiceAccount.class).size(), "one per service");
    assertTrue(rendered.all(GenericKubernetesResource.class).isEmpty(),
        "no custom resources unless asked for: " + rendered.all(GenericKubernetesResource.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyObjectHasOnlyFieldsItsKindKnows(String name, Rendered rendered) {
    assertNoUnknownFields(rendered.objects);
    assertNoUnknownFields(everythingOn().objects);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void namesAreUniquePerKindAndLabelledAsTheCafe(String name, Rendered rendered) {
    Set<String> seen = new HashSet<>();
    for (HasMetadata o : rendered.objects) {
      assertTrue(seen.add(o.getKind() + "/" + o.getMetadata().getName()), "twice: " + o.getMetadata().getName());
      assertTrue(o.getMetadata().getName().length() <= 63, o.getMetadata().getName());
      Map<String, String> labels = o.getMetadata().getLabels();
      assertEquals("cafe", labels.get("app.kubernetes.io/name"), o.getMetadata().getName());
      assertEquals(Chart.RELEASE, labels.get("app.kubernetes.io/instance"), o.getMetadata().getName());
      assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"), o.getMetadata().getName());
    }
  }

  private static void assertNoUnknownFields(List<HasMetadata> objects) {
    assertFalse(objects.isEmpty());
    for (HasMetadata o : objects) {
      List<String> unknown = UnknownFields.in(o);
      assertTrue(unknown.isEmpty(), () -> "fields Kubernetes does not know: " + unknown);
    }
  }
}
