package cafe.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What {@link LocalInfra} starts and where.
 *
 * @param dataDir      where data and logs live; null means a temporary folder deleted on close
 * @param components   the pieces to start
 * @param kafkaPort    Kafka client port, the controller uses the next one; 0 picks free ports
 * @param postgresPort 0 picks a free port
 * @param redisPort    0 picks a free port
 * @param mongoPort    0 picks a free port
 * @param shutdownHook whether a JVM shutdown hook closes everything; off when the owner orders shutdown itself
 * @param startTimeout how long each piece may take to become ready
 */
public record InfraOptions(Path dataDir, Set<Component> components, int kafkaPort, int postgresPort,
                           int redisPort, int mongoPort, boolean shutdownHook, Duration startTimeout) {

  public enum Component { KAFKA, POSTGRES, REDIS, MONGO }

  public static final int DEFAULT_KAFKA_PORT = 19092;
  public static final int DEFAULT_POSTGRES_PORT = 15432;
  public static final int DEFAULT_REDIS_PORT = 16379;
  public static final int DEFAULT_MONGO_PORT = 17017;

  public InfraOptions {
    components = components.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(components));
    checkPort("kafkaPort", kafkaPort, 65534);
    checkPort("postgresPort", postgresPort, 65535);
    checkPort("redisPort", redisPort, 65535);
    checkPort("mongoPort", mongoPort, 65535);
    if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive");
    }
  }

  /** Everything, on free ports, in a temporary folder: what tests use. */
  public static InfraOptions ephemeral() {
    return new InfraOptions(null, EnumSet.allOf(Component.class), 0, 0, 0, 0, true, Duration.ofSeconds(60));
  }

  /** Everything, on the fixed ./cafe ports, keeping data in {@code dataDir}. */
  public static InfraOptions persistent(Path dataDir) {
    return new InfraOptions(dataDir, EnumSet.allOf(Component.class), DEFAULT_KAFKA_PORT, DEFAULT_POSTGRES_PORT,
        DEFAULT_REDIS_PORT, DEFAULT_MONGO_PORT, true, Duration.ofSeconds(60));
  }

  public InfraOptions without(Component... skipped) {
    EnumSet<Component> kept = EnumSet.allOf(Component.class);
    kept.retainAll(components);
    Arrays.asList(skipped).forEach(kept::remove);
    return new InfraOptions(dataDir, kept, kafkaPort, postgresPort, redisPort, mongoPort, shutdownHook, startTimeout);
  }

  public InfraOptions withDataDir(Path dir) {
    return new InfraOptions(dir, components, kafkaPort, postgresPort, redisPort, mongoPort, shutdownHook, startTimeout);
  }

  public InfraOptions withPorts(int kafka, int postgres, int redis, int mongo) {
    return new InfraOptions(dataDir, components, kafka, postgres, redis, mongo, shutdownHook, startTimeout);
  }

  public InfraOptions withShutdownHook(boolean hook) {
    return new InfraOptions(dataDir, components, kafkaPort, postgresPort, redisPort, mongoPort, hook, startTimeout);
  }

  public InfraOptions withStartTimeout(Duration timeout) {
    return new InfraOptions(dataDir, components, kafkaPort, postgresPort, redisPort, mongoPort, shutdownHook, timeout);
  }

  public boolean starts(Component component) {
    return components.contains(component);
  }

  private static void checkPort(String name, int port, int max) {
    if (port < 0 || port > max) {
      throw new IllegalArgumentException(name + " must be between 0 and " + max + ", got " + port);
    }
  }
}
