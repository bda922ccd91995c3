package cafe.infra;

/**
 * The infrastructure tests share: one {@link LocalInfra} per test JVM with every component on free ports in a
 * temporary folder, started on first use and stopped by a shutdown hook when the JVM ends.
 */
public final class TestInfra {

  private static LocalInfra shared;
  private static RuntimeException failure;
  private static long startMillis;

  private TestInfra() {
  }

  public static synchronized LocalInfra shared() {
    if (shared != null) {
      return shared;
    }
    if (failure != null) {
      // Do not pay the start-up time again in every test class once it failed.
      throw new InfraException("test infrastructure failed to start earlier: " + failure.getMessage(), failure);
    }
    long begin = System.nanoTime();
    try {
      shared = LocalInfra.start(InfraOptions.ephemeral());
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
    startMillis = (System.nanoTime() - begin) / 1_000_000;
    System.err.println("test infrastructure ready in " + startMillis + " ms: kafka " + shared.kafkaBootstrap()
        + ", " + shared.redisUrl() + ", " + shared.mongoUrl("") + ", data " + shared.dataDir());
    return shared;
  }

  /** How long the shared infrastructure took to start; 0 before it has. */
  public static synchronized long startMillis() {
    return startMillis;
  }
}
