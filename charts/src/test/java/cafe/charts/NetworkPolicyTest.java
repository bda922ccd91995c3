package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Who may talk to whom, as the NetworkPolicies say it (on by default, on EKS with the VPC's CIDR). */
class NetworkPolicyTest {
  private static final String COMPONENT = "app.kubernetes.io/component";

  private static NetworkPolicy policy(Rendered r, String service) {
    return r.get(NetworkPolicy.class, Rendered.name(service));
  }

  /** The components of the pods an ingress rule lets in (pod selectors only). */
  private static Set<String> callers(NetworkPolicyIngressRule rule) {
    return rule.getFrom().stream().filter(p -> p.getPodSelector() != null && p.getNamespaceSelector() == null)
        .map(p -> p.getPodSelector().getMatchLabels().get(COMPONENT)).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every TCP/UDP port a policy lets its pods reach. */
  private static Set<Integer> egressPorts(NetworkPolicy policy) {
    return policy.getSpec().getEgress().stream().flatMap(rule -> rule.getPorts().stream())
        .map(NetworkPolicyPort::getPort).map(p -> p.getIntVal()).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void eachServiceIsReachedOnlyByWhoCallsIt() {
    Rendered r = Chart.eks();
    assertEquals(6, r.all(NetworkPolicy.class).size());
    Map<String, Set<String>> expected = Map.of("order", Set.of("gateway"), "payment", Set.of("gateway", "order"),
        "barista", Set.of("gateway"), "delivery", Set.of("gateway"), "mypage", Set.of("gateway"));
    expected.forEach((service, from) -> {
      NetworkPolicy policy = policy(r, service);
      assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes(), service);
      assertEquals(service, policy.getSpec().getPodSelector().getMatchLabels().get(COMPONENT));
      assertEquals(from, callers(policy.getSpec().getIngress().get(0)), service);
    });
    NetworkPolicyPeer alb = policy(r, "gateway").getSpec().getIngress().get(0).getFrom().get(0);
    assertEquals("10.0.0.0/16", alb.getIpBlock().getCidr(), "the gateway only from the VPC, where the ALB is");
    for (String service : Chart.SERVICES) {
      NetworkPolicyIngressRule scrape = policy(r, service).getSpec().getIngress().get(1);
      assertEquals("monitoring", scrape.getFrom().get(0).getNamespaceSelector().getMatchLabels()
          .get("kubernetes.io/metadata.name"), "Prometheus scrapes " + service);
    }
  }

  @Test
  void eachServiceReachesOnlyDnsKafkaItsOwnStoreAndWhatItCalls() {
    Rendered r = Chart.eks();
    // On EKS: MSK's IAM port, the stores' ports, HTTPS for Cognito's keys and STS.
    assertEquals(Set.of(53, 6379, 5432, 8080, 443), egressPorts(policy(r, "gateway")));
    assertEquals(Set.of(53, 9098, 5432, 8080, 443), egressPorts(policy(r, "order")));
    assertEquals(Set.of(53, 9098, 5432, 443), egressPorts(policy(r, "payment")));
    assertEquals(Set.of(53, 9098, 27017, 443), egressPorts(policy(r, "barista")));
    assertEquals(Set.of(53, 9098, 27017, 443), egressPorts(policy(r, "delivery")));
    assertEquals(Set.of(53, 9098, 6379, 443), egressPorts(policy(r, "mypage")));
    NetworkPolicyEgressRule calls = policy(r, "order").getSpec().getEgress().stream()
        .filter(rule -> rule.getTo().stream().anyMatch(p -> p.getPodSelector() != null && p.getNamespaceSelector() == null))
        .findFirst().orElseThrow();
    assertEquals(List.of("payment"), calls.getTo().stream().map(p -> p.getPodSelector().getMatchLabels().get(COMPONENT)).toList());
    // Without an identity provider or MSK's IAM sign-in nothing goes out on 443.
    assertEquals(Set.of(53, 9092, 27017), egressPorts(policy(Chart.defaults(), "barista")));
  }

  @Test
  void theyCanBeLeftToTheCluster() {
    assertTrue(Chart.with().set("networkPolicy.enabled", false).render().all(NetworkPolicy.class).isEmpty());
  }
}
