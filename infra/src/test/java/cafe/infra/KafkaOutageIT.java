package cafe.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import cafe.infra.InfraOptions.Component;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uses its own broker so stopping it does not disturb tests on the shared one. */
class KafkaOutageIT {

  private static LocalInfra infra;

  @BeforeAll
  static void start() {
    infra = LocalInfra.start(InfraOptions.ephemeral().without(Component.POSTGRES, Component.REDIS, Component.MONGO));
  }

  @AfterAll
  static void stop() {
    infra.close();
  }

  @Test
  void aStoppedBrokerComesBackWithItsData() throws Exception {
    String bootstrap = infra.kafkaBootstrap();
    KafkaClients.send(bootstrap, "kept", List.of("a", "b"));

    infra.stopKafka();
    assertFalse(Ports.accepts(Integer.parseInt(bootstrap.split(":")[1]), 500), "broker is down");
    infra.startKafka();

    assertEquals(bootstrap, infra.kafkaBootstrap(), "same address after a restart");
    List<String> values = KafkaClients.receive(bootstrap, "after-restart", "kept", 2, Duration.ofSeconds(30));
    assertEquals(List.of("a", "b"), values.stream().sorted().toList());
  }

  @Test
  void aKilledBrokerComesBackWithAcknowledgedData() throws Exception {
    String bootstrap = infra.kafkaBootstrap();
    KafkaClients.send(bootstrap, "crashed", List.of("x"));

    infra.killKafka();
    infra.startKafka();

    List<String> values = KafkaClients.receive(bootstrap, "after-crash", "crashed", 1, Duration.ofSeconds(30));
    assertEquals(List.of("x"), values);
  }
}
