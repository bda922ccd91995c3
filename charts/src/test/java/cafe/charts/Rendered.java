package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Every object of one rendering, each read as its typed Kubernetes model (CRDs as generic resources). */
final class Rendered {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern DOCUMENT_START = Pattern.compile("(?m)^---\\s*$");

  final String yaml;
  final List<HasMetadata> objects = new ArrayList<>();

  Rendered(String yaml) {
    this.yaml = yaml;
    for (String document : DOCUMENT_START.split(yaml)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      KubernetesResource resource = SERIALIZATION.unmarshal(document);
      objects.add(assertInstanceOf(HasMetadata.class, resource, () -> "not a Kubernetes object:\n" + document));
    }
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name
        + " among " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
  }

  /** Objects of kinds the models do not know (ScaledObject, ServiceMonitor, PrometheusRule). */
  List<GenericKubernetesResource> custom(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(o -> o.getKind().equals(kind)).toList();
  }

  Deployment deployment(String service) {
    return get(Deployment.class, name(service));
  }

  Container container(String service) {
    List<Container> containers = deployment(service).getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size(), service + " runs one container");
    return containers.get(0);
  }

  /** The service's settings: its ConfigMap, the one its container reads all variables from. */
  Map<String, String> config(String service) {
    return get(ConfigMap.class, name(service)).getData();
  }

  static String name(String service) {
    return Chart.RELEASE + "-" + service;
  }
}
