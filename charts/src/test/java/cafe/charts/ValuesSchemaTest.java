package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A wrong value stops the install with a message that names it, before anything reaches the cluster. */
class ValuesSchemaTest {

  static Stream<Arguments> wrongValues() {
    return Stream.of(
        Arguments.of("gateway.replicas", 0, "/gateway/replicas"),
        Arguments.of("order.replicas", "two", "/order/replicas"),
        Arguments.of("image.pullPolicy", "Sometimes", "/image/pullPolicy"),
        Arguments.of("image.tag", 1234567, "/image/tag"),
        Arguments.of("rollingUpdate.maxUnavailable", 1, "/rollingUpdate/maxUnavailable"),
        Arguments.of("ingress.enabled", "yes", "/ingress/enabled"),
        Arguments.of("ingress.scheme", "public", "/ingress/scheme"),
        Arguments.of("ingress.certificateArn", "my-cert", "/ingress/certificateArn"),
        Arguments.of("kafka.bootstrapServers", "kafka", "/kafka/bootstrapServers"),
        Arguments.of("kafka.replicationFactor", 0, "/kafka/replicationFactor"),
        Arguments.of("http.port", 80, "/http/port"),
        Arguments.of("shutdown.timeoutMs", -1, "/shutdown/timeoutMs"),
        Arguments.of("securityContext.runAsUser", 0, "/securityContext/runAsUser"),
        Arguments.of("payment.autoscaling.targetCPUUtilizationPercentage", 150,
            "/payment/autoscaling/targetCPUUtilizationPercentage"),
        Arguments.of("mypage.resources.requests.memory", "lots", "/mypage/resources/requests/memory"),
        Arguments.of("barista.autoBrewMs", -5, "/barista/autoBrewMs"),
        Arguments.of("gateway.env.RATE_LIMIT_PER_MINUTE", 100, "/gateway/env/RATE_LIMIT_PER_MINUTE"),
        Arguments.of("config.logLevel", "DEBUG", "/config/logLevel"),
        Arguments.of("gatway.replicas", 2, "gatway"),
        Arguments.of("logs.persistence.accessMode", "ReadWriteSometimes", "/logs/persistence/accessMode"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("wrongValues")
  void refusesAWrongValueNamingIt(String key, Object value, String named) {
    String refusal = Chart.with().set(key, value).refusal();
    assertTrue(refusal.contains("values don't meet the specifications of the schema"), refusal);
    assertTrue(refusal.contains(named), "the message names " + named + ": " + refusal);
  }

  @Test
  void refusesAServiceWithoutResourceRequests(@TempDir Path dir) throws IOException {
    Path values = Files.writeString(dir.resolve("values.yaml"), """
        order:
          resources:
            requests: null
            limits: {memory: 512Mi}
        """);
    String refusal = Chart.with().values(values).refusal();
    assertTrue(refusal.contains("/order/resources") && refusal.contains("requests"), refusal);
  }

  @Test
  void refusesAPkcs1PrivateKeyTheGatewayCouldNotRead(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
    String refusal = Chart.with().setFile("secrets.jwt.privateKey", key).refusal();
    assertTrue(refusal.contains("/secrets/jwt/privateKey"), refusal);
  }

  @Test
  void refusesWhatNoSchemaCanSayWithTheSameClarity() {
    assertRefused(Chart.with().set("order.autoscaling.minReplicas", 20), "order.autoscaling.minReplicas (20) is above");
    assertRefused(Chart.with().set("ingress.deregistrationDelaySeconds", 60), "ingress.deregistrationDelaySeconds (60)");
    assertRefused(Chart.with().set("trustStore.enabled", true), "trustStore.secretName is required");
  }

  @Test
  void acceptsATagThatLooksLikeANumberWhenGivenAsAString(@TempDir Path dir) throws IOException {
    // A commit hash can be all digits: give it as a string (--set-string, as the pipeline does).
    Path values = Files.writeString(dir.resolve("tag.yaml"), "image:\n  tag: \"1234567\"\n");
    assertTrue(Chart.with().values(values).render().container("order").getImage().endsWith(":1234567"));
  }

  private static void assertRefused(Chart chart, String message) {
    String refusal = chart.refusal();
    assertTrue(refusal.contains(message), refusal);
  }
}
