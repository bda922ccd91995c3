package cafe.common.launch;

import static cafe.common.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.auth.JwtVerifier;
import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.kafka.Messaging;
import cafe.common.store.MongoStore;
import cafe.common.store.PgStore;
import cafe.common.store.RedisStore;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad configuration fails fast, with one line that names the setting. */
class StartupFailureIT {
  ServiceRuntime runtime;
  int closedPort;

  @BeforeEach
  void setUp() throws Exception {
    runtime = ServiceRuntime.create("failing-it", new Env(Map.of()));
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    cafe.common.Await.await(runtime.shutdown());
  }

  @Test
  void unreachableStoresNameTheirSetting() throws Exception {
    Env env = new Env(Map.of(
        "PG_URL", "postgresql://postgres@127.0.0.1:" + closedPort + "/x",
        "MONGO_URL", "mongodb://127.0.0.1:" + closedPort + "/x",
        "REDIS_URL", "redis://127.0.0.1:" + closedPort,
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort));
    assertNamed("PG_URL=", failure(PgStore.from(env, "x").open(runtime, List.of())));
    assertNamed("MONGO_URL=", failure(MongoStore.from(env, "x").open(runtime)));
    assertNamed("REDIS_URL=", failure(RedisStore.from(env).open(runtime)));
    ServiceRuntime kafkaRuntime = ServiceRuntime.create("failing-kafka", env);
    assertNamed("KAFKA_BOOTSTRAP_SERVERS=", failure(Messaging.start(kafkaRuntime)));
    cafe.common.Await.await(kafkaRuntime.shutdown());
  }

  @Test
  void malformedSettingsAreRefusedBeforeAnythingStarts() throws Exception {
    assertNamed("PG_URL=", assertThrows(ConfigException.class,
        () -> PgStore.from(new Env(Map.of("PG_URL", "localhost:5432")), "x")));
    assertNamed("KAFKA_BOOTSTRAP_SERVERS=", assertThrows(ConfigException.class,
        () -> cafe.common.kafka.KafkaSettings.from(new Env(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka")))));
    assertNamed("JWT_PUBLIC_KEY", jwtFailure(Map.of()));
    assertNamed("JWT_PUBLIC_KEY", jwtFailure(Map.of("JWT_PUBLIC_KEY", "not a key")));
    assertNamed("JWT_JWKS_URL", jwtFailure(Map.of("JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----",
        "JWT_JWKS_URL", "http://127.0.0.1:1/jwks")));
  }

  private static Throwable jwtFailure(Map<String, String> settings) throws Exception {
    ServiceRuntime jwtRuntime = ServiceRuntime.create("jwt-settings", new Env(settings));
    try {
      return failure(JwtVerifier.start(jwtRuntime));
    } finally {
      cafe.common.Await.await(jwtRuntime.shutdown());
    }
  }

  static void assertNamed(String setting, Throwable error) {
    String line = ServiceMain.describe(error);
    assertTrue(line.startsWith(setting), line);
    assertEquals(1, line.lines().count(), line);
  }
}
