package cafe.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * A Kafka broker of its own that asks for what Amazon MSK asks for with SASL/SCRAM: TLS with a certificate
 * made for this run (so clients need its trust store) and a SCRAM-SHA-512 user. Tests of the services' Kafka
 * security connect to {@link #bootstrap()}; a plaintext listener beside it is for the broker's own use.
 */
public final class SecuredKafka implements AutoCloseable {
  private final KafkaNode node;
  private final int saslPort;
  private final Path truststore;
  private final String storePassword;

  private SecuredKafka(KafkaNode node, int saslPort, Path truststore, String storePassword) {
    this.node = node;
    this.saslPort = saslPort;
    this.truststore = truststore;
    this.storePassword = storePassword;
  }

  /** Starts the broker in {@code dir} with one SCRAM-SHA-512 user; answers once that user can sign in. */
  public static SecuredKafka start(Path dir, String user, String password) {
    String storePassword = "store-" + Long.toHexString(System.nanoTime());
    Path keystore = dir.resolve("broker.p12");
    Path certificate = dir.resolve("broker.pem");
    Path truststore = dir.resolve("truststore.p12");
    try {
      Files.createDirectories(dir);
      // A certificate for 127.0.0.1, which clients check against the address they connect to.
      keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
          "-dname", "CN=" + Ports.HOST, "-ext", "SAN=ip:" + Ports.HOST, "-storetype", "PKCS12",
          "-keystore", keystore.toString(), "-storepass", storePassword, "-keypass", storePassword);
      keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
          "-storepass", storePassword, "-file", certificate.toString());
      keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
          "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", storePassword);
    } catch (IOException e) {
      throw new InfraException("secured Kafka: could not make its certificate in " + dir + ": " + e.getMessage(), e);
    }
    int saslPort = Ports.free();
    KafkaNode node = KafkaNode.start(dir, dir, 0, Duration.ofSeconds(120),
        new KafkaNode.SaslSsl(saslPort, keystore, storePassword));
    try {
      addUser(node.bootstrap(), user, password);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return new SecuredKafka(node, saslPort, truststore, storePassword);
  }

  /** The SASL_SSL listener. */
  public String bootstrap() {
    return Ports.HOST + ":" + saslPort;
  }

  /** A PKCS12 trust store holding the broker's certificate. */
  public Path truststore() {
    return truststore;
  }

  public String truststorePassword() {
    return storePassword;
  }

  @Override
  public void close() {
    node.close();
  }

  private static void addUser(String plaintext, String user, String password) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext);
    try (Admin admin = Admin.create(config)) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(30, TimeUnit.SECONDS);
      // The credential reaches the broker's listener through the metadata log: wait until it is described.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!admin.describeUserScramCredentials(List.of(user)).all().get(10, TimeUnit.SECONDS).containsKey(user)) {
        if (System.nanoTime() > deadline) {
          throw new InfraException("secured Kafka: the SCRAM user " + user + " did not appear");
        }
        Thread.sleep(100);
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new InfraException("secured Kafka: could not add the SCRAM user " + user + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("secured Kafka: interrupted while adding the SCRAM user " + user);
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool");
    }
  }
}
