package cafe.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
  @Test
  void plaintextByDefaultAddsNothing() {
    KafkaSettings settings = KafkaSettings.from(new Env(Map.of()));
    assertFalse(settings.producer("p").containsKey("security.protocol"));
    assertFalse(settings.admin("a").containsKey("sasl.mechanism"));
  }

  @Test
  void scramGoesToProducersConsumersAndAdminsAlike(@TempDir Path dir) throws Exception {
    Path trust = Files.writeString(dir.resolve("trust.p12"), "x");
    KafkaSettings settings = KafkaSettings.from(new Env(Map.of(
        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME", "order", "KAFKA_SASL_PASSWORD", "pa\"ss",
        "KAFKA_SSL_TRUSTSTORE_LOCATION", trust.toString(), "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit")));
    for (Map<String, String> client : List.of(settings.producer("p"), settings.consumer("g", "c"), settings.admin("a"))) {
      assertEquals("SASL_SSL", client.get("security.protocol"));
      assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
      assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"order\" "
          + "password=\"pa\\\"ss\";", client.get("sasl.jaas.config"), "a quote in the password stays inside it");
      assertEquals(trust.toString(), client.get("ssl.truststore.location"));
      assertEquals("changeit", client.get("ssl.truststore.password"));
      assertEquals("PKCS12", client.get("ssl.truststore.type"));
    }
  }

  @Test
  void mskIamSignsInWithThePodsRole() {
    Map<String, String> client = KafkaSettings.from(new Env(Map.of(
        "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "AWS_MSK_IAM"))).consumer("g", "c");
    assertEquals("AWS_MSK_IAM", client.get("sasl.mechanism"));
    assertEquals("software.amazon.msk.auth.iam.IAMLoginModule required;", client.get("sasl.jaas.config"));
    assertEquals("software.amazon.msk.auth.iam.IAMClientCallbackHandler", client.get("sasl.client.callback.handler.class"));
    // The classes it names are on the class path: a missing jar would only show at the first connection.
    assertTrue(exists(client.get("sasl.client.callback.handler.class")));
    assertTrue(exists("software.amazon.msk.auth.iam.IAMLoginModule"));
  }

  @Test
  void tlsWithAClientCertificate(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("client.p12"), "x");
    Map<String, String> client = KafkaSettings.from(new Env(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
        "KAFKA_SSL_KEYSTORE_LOCATION", key.toString(), "KAFKA_SSL_KEYSTORE_PASSWORD", "secret"))).admin("a");
    assertEquals("SSL", client.get("security.protocol"));
    assertEquals(key.toString(), client.get("ssl.keystore.location"));
    assertEquals("secret", client.get("ssl.keystore.password"));
    assertFalse(client.containsKey("sasl.mechanism"));
  }

  @Test
  void missingOrContradictorySettingsAreNamed() {
    Map<String, Map<String, String>> bad = Map.of(
        "KAFKA_SECURITY_PROTOCOL", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
        "KAFKA_SASL_MECHANISM", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
        "KAFKA_SASL_USERNAME", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
        "KAFKA_SASL_PASSWORD", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "KAFKA_SASL_USERNAME", "order"),
        "KAFKA_SASL_USERNAME ", Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "AWS_MSK_IAM",
            "KAFKA_SASL_USERNAME", "order"),
        "KAFKA_SASL_MECHANISM ", Map.of("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
        "KAFKA_SASL_MECHANISM  ", Map.of("KAFKA_SECURITY_PROTOCOL", "SSL", "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
        "KAFKA_SSL_TRUSTSTORE_LOCATION", Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "/no/such/truststore.p12"),
        "KAFKA_SSL_KEYSTORE_PASSWORD", Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
            "KAFKA_SSL_KEYSTORE_LOCATION", "pom.xml"));
    bad.forEach((named, env) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> KafkaSettings.from(new Env(env)), env.toString());
      assertTrue(e.getMessage().startsWith(named.trim()), named.trim() + " first: " + e.getMessage());
    });
  }

  private static boolean exists(String className) {
    try {
      Class.forName(className, false, KafkaSecurityTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
