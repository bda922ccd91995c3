package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every service's pod needs to run safely and stop without dropping a request, in both value sets. */
class DeploymentTest {

  static Stream<Arguments> services() {
    return Stream.of("defaults", "values-eks").flatMap(values -> Chart.SERVICES.stream()
        .map(service -> Arguments.of(values, service)));
  }

  static Rendered rendering(String values) {
    return values.equals("defaults") ? Chart.defaults() : Chart.eks();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("services")
  void listensOnItsHttpPortAndIsProbedOnItsHealthPaths(String values, String service) {
    Rendered r = rendering(values);
    Container c = r.container(service);
    int port = Integer.parseInt(r.config(service).get("HTTP_PORT"));
    assertEquals(8080, port, "every service listens on 8080 in the cluster");
    ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
    assertEquals(port, http.getContainerPort());

    assertHttpProbe(c.getLivenessProbe(), "/health/live", http);
    assertHttpProbe(c.getReadinessProbe(), "/health/ready", http);
    assertHttpProbe(c.getStartupProbe(), "/health/live", http);
    // A slow start is the startup probe's business: liveness must not kill a JVM that is still migrating.
    int startupBudget = c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold();
    assertTrue(startupBudget >= 60, service + " gets at least 60 s to start, has " + startupBudget);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("services")
  void asksForAndIsLimitedToResourcesAndSizesItsHeapFromThem(String values, String service) {
    Container c = rendering(values).container(service);
    Map<String, Quantity> requests = c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources().getLimits();
    assertNotNull(requests.get("cpu"), "cpu request (the HPA measures against it)");
    assertNotNull(requests.get("memory"), "memory request");
    assertNotNull(limits.get("memory"), "memory limit (the JVM sizes its heap from it)");
    assertTrue(Quantity.getAmountInBytes(requests.get("memory")).compareTo(Quantity.getAmountInBytes(limits.get("memory"))) <= 0);
    if (limits.get("cpu") != null) {
      assertTrue(requests.get("cpu").getNumericalAmount().compareTo(limits.get("cpu").getNumericalAmount()) <= 0);
    }
    String javaOptions = env(c, "JAVA_TOOL_OPTIONS").getValue();
    assertTrue(javaOptions.contains("-XX:MaxRAMPercentage="), javaOptions);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("services")
  void rollsOutWithoutEverHavingFewerReadyPods(String values, String service) {
    Deployment d = rendering(values).deployment(service);
    assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
    RollingUpdateDeployment rolling = d.getSpec().getStrategy().getRollingUpdate();
    assertEquals(0, rolling.getMaxUnavailable().getIntVal());
    assertTrue(rolling.getMaxSurge().getIntVal() != null && rolling.getMaxSurge().getIntVal() >= 1
        || rolling.getMaxSurge().getStrVal() != null, "a rollout must be able to add a pod");
    Map<String, String> annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
    assertNotNull(annotations.get("checksum/config"), "a settings change rolls the pods");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("services")
  void pausesBeforeSigtermAndGetsTimeToDrain(String values, String service) {
    Rendered r = rendering(values);
    Container c = r.container(service);
    List<String> preStop = c.getLifecycle().getPreStop().getExec().getCommand();
    assertEquals("sleep", preStop.get(0));
    int pauseSeconds = Integer.parseInt(preStop.get(1));
    assertTrue(pauseSeconds >= 5, "long enough for the endpoints and the ALB to let the pod go: " + pauseSeconds);

    Map<String, String> config = r.config(service);
    long drainMs = Long.parseLong(config.get("SHUTDOWN_TIMEOUT_MS")) + Long.parseLong(config.get("SHUTDOWN_DELAY_MS"));
    long grace = r.deployment(service).getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    assertTrue(grace > pauseSeconds + drainMs / 1000.0,
        "grace " + grace + " s must outlast the pause " + pauseSeconds + " s and the drain " + drainMs + " ms");
    if (values.equals("defaults")) {
      assertEquals(10, pauseSeconds);
      assertEquals("20000", config.get("SHUTDOWN_TIMEOUT_MS"));
      assertEquals(45, grace);
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("services")
  void runsAsNonRootOnAReadOnlyFilesystemWithNoPrivileges(String values, String service) {
    Rendered r = rendering(values);
    PodSpec pod = r.deployment(service).getSpec().getTemplate().getSpec();
    PodSecurityContext podContext = pod.getSecurityContext();
    assertEquals(Boolean.TRUE, podContext.getRunAsNonRoot());
    assertTrue(podContext.getRunAsUser() > 0);
    assertEquals("RuntimeDefault", podContext.getSeccompProfile().getType());
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    assertEquals(Rendered.name(service), pod.getServiceAccountName(), "an account of its own");

    Container c = r.container(service);
    SecurityContext context = c.getSecurityContext();
    assertEquals(Boolean.TRUE, context.getRunAsNonRoot());
    assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem());
    assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), context.getCapabilities().getDrop());
    assertNull(context.getPrivileged());

    // The JVM and Netty write to /tmp: a scratch volume, since the root filesystem is read-only.
    VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
    assertNotNull(volume.getEmptyDir());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("services")
  void runsItsOwnImage(String values, String service) {
    Container c = rendering(values).container(service);
    String repository = "cafe-" + service + "-verticle:latest";
    if (values.equals("defaults")) {
      assertEquals(repository, c.getImage());
      assertEquals("Always", c.getImagePullPolicy(), "a moving tag is pulled every time");
    } else {
      assertEquals("123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/" + repository, c.getImage());
      assertEquals("IfNotPresent", c.getImagePullPolicy());
    }
  }

  private static void assertHttpProbe(Probe probe, String path, ContainerPort port) {
    assertNotNull(probe, path);
    assertEquals(path, probe.getHttpGet().getPath());
    assertTrue(port.getName().equals(probe.getHttpGet().getPort().getStrVal())
        || port.getContainerPort().equals(probe.getHttpGet().getPort().getIntVal()), "probe on the http port");
  }

  static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
  }
}
