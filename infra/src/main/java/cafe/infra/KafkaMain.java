package cafe.infra;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * Entry point of the Kafka child JVM: formats the log directory on first use, then runs the broker.
 * Doing both in one JVM saves a JVM start. The broker exits when the JVM that started it is gone,
 * so a test JVM that dies without running its shutdown hooks does not leave a broker behind.
 */
public final class KafkaMain {

  static final String PARENT_PID_PROPERTY = "cafe.parent.pid";

  private KafkaMain() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: KafkaMain <server.properties>");
      System.exit(2);
    }
    exitWithParent();
    String config = Path.of(args[0]).toAbsolutePath().toString();
    Path logDir = Path.of(load(config).getProperty("log.dirs"));
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      String[] format = {"format", "--cluster-id", Uuid.randomUuid().toString(), "--config", config,
          "--ignore-formatted"};
      int code = StorageTool.execute(format, System.out);
      if (code != 0) {
        System.err.println("ERROR formatting " + logDir + " failed with code " + code);
        System.exit(code);
      }
    }
    kafka.Kafka.main(new String[] {config});
  }

  private static Properties load(String file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file))) {
      properties.load(reader);
    }
    return properties;
  }

  private static void exitWithParent() {
    String pid = System.getProperty(PARENT_PID_PROPERTY);
    if (pid == null) {
      return;
    }
    ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
        parent -> parent.onExit().thenRun(KafkaMain::parentGone),
        KafkaMain::parentGone);
  }

  private static void parentGone() {
    System.err.println("parent process is gone, shutting down");
    // System.exit runs Kafka's own shutdown hook, which closes the logs cleanly.
    System.exit(0);
  }
}
