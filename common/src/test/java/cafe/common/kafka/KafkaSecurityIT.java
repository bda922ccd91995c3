package cafe.common.kafka;

import static cafe.common.Await.await;
import static cafe.common.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.Eventually;
import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.events.Event;
import cafe.common.launch.ServiceMain;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.SecuredKafka;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services' Kafka clients against a broker that asks what MSK asks with SASL/SCRAM: TLS with a
 * certificate the clients must trust, and a SCRAM-SHA-512 user.
 */
class KafkaSecurityIT {
  static final String USER = "cafe-order";
  static final String PASSWORD = "flat-white-" + UUID.randomUUID();
  static Path dir;
  static SecuredKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("secured-kafka");
    kafka = SecuredKafka.start(dir, USER, PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static Env env(String password) {
    Map<String, String> env = new HashMap<>(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrap(),
        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME", USER,
        "KAFKA_SASL_PASSWORD", password,
        "KAFKA_SSL_TRUSTSTORE_LOCATION", kafka.truststore().toString(),
        "KAFKA_SSL_TRUSTSTORE_PASSWORD", kafka.truststorePassword(),
        "KAFKA_TOPIC_PARTITIONS", "1"));
    return new Env(env);
  }

  @Test
  void aServicePublishesAndConsumesOverSaslSsl() throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("scram-it", env(PASSWORD));
    try {
      Messaging messaging = await(Messaging.start(runtime));
      String topic = "it.secured." + UUID.randomUUID();
      List<String> received = new CopyOnWriteArrayList<>();
      await(messaging.consume("secured-" + UUID.randomUUID(), List.of(topic), event -> {
        received.add(event.type());
        return Future.succeededFuture();
      }));
      await(messaging.publisher().publish(topic, Event.of("it", "Brewed", "order-" + UUID.randomUUID(),
          new JsonObject())));
      Eventually.await(Duration.ofSeconds(60), () -> received.contains("Brewed"));
      assertEquals(List.of("Brewed"), received);
    } finally {
      await(runtime.shutdown());
    }
  }

  @Test
  void aWrongPasswordStopsTheStartWithOneLine() throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("scram-wrong-it", env("espresso"));
    try {
      Throwable error = failure(Messaging.start(runtime));
      assertInstanceOf(ConfigException.class, error);
      String line = ServiceMain.describe(error);
      assertEquals(1, line.lines().count(), line);
      assertTrue(line.startsWith("KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD") && line.contains("refused"), line);
    } finally {
      await(runtime.shutdown());
    }
  }
}
