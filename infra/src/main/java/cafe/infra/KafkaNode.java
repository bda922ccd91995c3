package cafe.infra;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** A single-node KRaft Kafka (broker and controller in one) running in a child JVM. */
final class KafkaNode implements AutoCloseable {

  private static final long STOP_GRACE_MILLIS = 20_000;
  private static final List<String> JVM_FLAGS = List.of(
      "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
      "-Djava.awt.headless=true");

  private final Path home;
  private final Path log;
  private final int port;
  private final Duration startTimeout;
  private final SaslSsl saslSsl;
  private Process process;

  /** A second listener, SASL_SSL with SCRAM-SHA-512, on {@code port}, its certificate in a PKCS12 keystore. */
  record SaslSsl(int port, Path keystore, String password) {
  }

  private KafkaNode(Path home, Path log, int port, Duration startTimeout, SaslSsl saslSsl) {
    this.home = home;
    this.log = log;
    this.port = port;
    this.startTimeout = startTimeout;
    this.saslSsl = saslSsl;
  }

  static KafkaNode start(Path dataDir, Path logDir, int port, Duration startTimeout) {
    return start(dataDir, logDir, port, startTimeout, null);
  }

  /** As above, with a SASL_SSL listener beside the plaintext one when {@code saslSsl} is not null. */
  static KafkaNode start(Path dataDir, Path logDir, int port, Duration startTimeout, SaslSsl saslSsl) {
    KafkaNode node = new KafkaNode(dataDir.resolve("kafka"), logDir.resolve("kafka.log"),
        port == 0 ? Ports.freePair() : port, startTimeout, saslSsl);
    node.launch(false);
    return node;
  }

  String bootstrap() {
    return Ports.HOST + ":" + port;
  }

  /** Starts the broker on the same ports and data; a no-op while it runs. */
  synchronized void launch(boolean appendLog) {
    if (process != null && process.isAlive()) {
      return;
    }
    Ports.requireFree(port, "Kafka");
    Ports.requireFree(port + 1, "Kafka controller");
    try {
      Files.createDirectories(home);
      Files.createDirectories(log.getParent());
      Path config = writeConfig();
      List<String> command = new ArrayList<>(List.of(Processes.javaBinary()));
      command.addAll(JVM_FLAGS);
      command.add("-D" + KafkaMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
      command.addAll(List.of("-cp", classpath(), KafkaMain.class.getName(), config.toString()));
      ProcessBuilder builder = new ProcessBuilder(Processes.detached(command))
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(appendLog ? Redirect.appendTo(log.toFile()) : Redirect.to(log.toFile()));
      builder.environment().remove("CLASSPATH");
      process = builder.start();
      Files.writeString(home.resolve("kafka.pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new InfraException("Kafka: could not start a JVM for the broker: " + e.getMessage(), e);
    }
    try {
      awaitReady();
    } catch (RuntimeException e) {
      Processes.stop(process, 5_000);
      throw e;
    }
  }

  /** Graceful stop, keeping the data. */
  synchronized void stop() {
    if (process != null) {
      Processes.stop(process, STOP_GRACE_MILLIS);
    }
  }

  /** SIGKILL, as a crash would. */
  synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  private Path writeConfig() throws IOException {
    String listeners = "PLAINTEXT://" + bootstrap() + ",CONTROLLER://" + Ports.HOST + ":" + (port + 1);
    String advertised = "PLAINTEXT://" + bootstrap();
    String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
    List<String> secured = new ArrayList<>();
    if (saslSsl != null) {
      String sasl = "SASL_SSL://" + Ports.HOST + ":" + saslSsl.port();
      listeners += "," + sasl;
      advertised += "," + sasl;
      protocols += ",SASL_SSL:SASL_SSL";
      String prefix = "listener.name.sasl_ssl.";
      secured.addAll(List.of(
          prefix + "sasl.enabled.mechanisms=SCRAM-SHA-512",
          prefix + "scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
          prefix + "ssl.keystore.location=" + saslSsl.keystore().toAbsolutePath(),
          prefix + "ssl.keystore.password=" + saslSsl.password(),
          prefix + "ssl.key.password=" + saslSsl.password(),
          prefix + "ssl.keystore.type=PKCS12"));
    }
    String config = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        // A static voter set is read from this file on every start, so a changed port cannot
        // disagree with voter endpoints stored in the metadata log.
        "controller.quorum.voters=1@" + Ports.HOST + ":" + (port + 1),
        "listeners=" + listeners,
        "advertised.listeners=" + advertised,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=" + protocols,
        String.join("\n", secured),
        "log.dirs=" + home.resolve("data").toAbsolutePath(),
        // One node: every internal topic must live with a single replica.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "default.replication.factor=1",
        // Few internal partitions: creating fifty on first use costs seconds on a small machine.
        "offsets.topic.num.partitions=4",
        "transaction.state.log.num.partitions=4",
        "share.coordinator.state.topic.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        "num.partitions=4",
        "auto.create.topics.enable=true",
        // The cleaner's default 128 MB buffer would take half of the small heap.
        "log.cleaner.dedupe.buffer.size=8388608",
        // After a crash the restarted broker waits for its old session to expire: keep that short.
        "broker.session.timeout.ms=4000",
        "broker.heartbeat.interval.ms=1000",
        "num.network.threads=2",
        "num.io.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "");
    Path file = home.resolve("server.properties");
    Files.writeString(file, config);
    return file;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (!Ports.accepts(port, 500)) {
      pause(deadline);
    }
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    try (Admin client = Admin.create(admin)) {
      while (true) {
        try {
          if (!client.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get().isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          // not ready yet
        }
        pause(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("Kafka: interrupted while waiting for the broker on " + bootstrap());
    }
  }

  /** Waits a little for the child to exit; fails if it did or the deadline passed. */
  private void pause(long deadline) {
    try {
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new InfraException("Kafka exited with code " + process.exitValue() + " while starting on "
            + bootstrap() + " (log " + log + "): " + Processes.lastError(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("Kafka: interrupted while waiting for the broker on " + bootstrap());
    }
    if (System.nanoTime() > deadline) {
      throw new InfraException("Kafka was not ready on " + bootstrap() + " within " + startTimeout.toSeconds()
          + " s (log " + log + ")");
    }
  }

  /** The class path for the child: this JVM's, made absolute, or the loader's own when it is not there. */
  private static String classpath() {
    String override = System.getProperty("cafe.kafka.classpath");
    if (override != null && !override.isBlank()) {
      return override;
    }
    ClassLoader system = ClassLoader.getSystemClassLoader();
    if (system.getResource("kafka/Kafka.class") != null && system.getResource(resourceOf(KafkaMain.class)) != null) {
      return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .filter(entry -> !entry.isBlank())
          .map(entry -> Path.of(entry).toAbsolutePath().toString())
          .collect(Collectors.joining(File.pathSeparator));
    }
    // Under a framework's own class loader (IDE runners, plugins) the JVM class path lacks Kafka.
    List<String> entries = new ArrayList<>();
    for (ClassLoader loader = KafkaNode.class.getClassLoader(); loader != null; loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
              // not a plain file: skip
            }
          }
        }
      }
    }
    if (entries.isEmpty()) {
      throw new InfraException("Kafka: the broker classes are not on this JVM's class path;"
          + " set -Dcafe.kafka.classpath to a class path holding kafka_2.13 and cafe infra");
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String resourceOf(Class<?> type) {
    return type.getName().replace('.', '/') + ".class";
  }
}
