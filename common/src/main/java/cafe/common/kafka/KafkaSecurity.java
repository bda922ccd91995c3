package cafe.common.kafka;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a service proves itself to Kafka and checks the brokers, the same for producers, consumers and admin
 * clients:
 * <ul>
 *   <li>{@code KAFKA_SECURITY_PROTOCOL} {@code PLAINTEXT} (default, the local broker), {@code SSL} or
 *   {@code SASL_SSL};</li>
 *   <li>with {@code SASL_SSL}, {@code KAFKA_SASL_MECHANISM}: {@code SCRAM-SHA-512} (or -256) with
 *   {@code KAFKA_SASL_USERNAME} and {@code KAFKA_SASL_PASSWORD}, or {@code AWS_MSK_IAM}, which signs in with
 *   the pod's IAM role (IRSA) and takes no username or password;</li>
 *   <li>for TLS, {@code KAFKA_SSL_TRUSTSTORE_LOCATION} (and {@code _PASSWORD}, {@code _TYPE}) when the brokers'
 *   certificates are not signed by a CA the JVM trusts (MSK's are), and {@code KAFKA_SSL_KEYSTORE_LOCATION}
 *   with {@code KAFKA_SSL_KEYSTORE_PASSWORD} for a client certificate.</li>
 * </ul>
 * A missing or contradictory setting stops the start with a message naming it.
 */
public record KafkaSecurity(Map<String, String> clientProperties) {
  public static final KafkaSecurity PLAINTEXT = new KafkaSecurity(Map.of());
  static final String IAM = "AWS_MSK_IAM";
  private static final Set<String> SCRAM = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256");

  public KafkaSecurity {
    clientProperties = Map.copyOf(clientProperties);
  }

  public static KafkaSecurity from(Env env) {
    String protocol = env.string("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").toUpperCase(java.util.Locale.ROOT);
    Optional<String> mechanism = env.optional("KAFKA_SASL_MECHANISM");
    Optional<String> username = env.optional("KAFKA_SASL_USERNAME");
    Optional<String> password = env.optional("KAFKA_SASL_PASSWORD");
    Optional<String> truststore = env.optional("KAFKA_SSL_TRUSTSTORE_LOCATION");
    Optional<String> keystore = env.optional("KAFKA_SSL_KEYSTORE_LOCATION");
    Map<String, String> props = new LinkedHashMap<>();
    switch (protocol) {
      case "PLAINTEXT" -> {
        for (String name : new String[] {"KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD",
            "KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_SSL_KEYSTORE_LOCATION"}) {
          if (env.optional(name).isPresent()) {
            throw new ConfigException(name + " is set but KAFKA_SECURITY_PROTOCOL is PLAINTEXT: set "
                + "KAFKA_SECURITY_PROTOCOL to SSL or SASL_SSL, or leave " + name + " out");
          }
        }
        return PLAINTEXT;
      }
      case "SSL" -> {
        for (String name : new String[] {"KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"}) {
          if (env.optional(name).isPresent()) {
            throw new ConfigException(name + " is set but KAFKA_SECURITY_PROTOCOL is SSL, which has no SASL: "
                + "use SASL_SSL, or leave " + name + " out");
          }
        }
      }
      case "SASL_SSL" -> props.putAll(sasl(mechanism, username, password));
      default -> throw new ConfigException("KAFKA_SECURITY_PROTOCOL=" + protocol
          + " is not supported: use PLAINTEXT, SSL or SASL_SSL (traffic outside this machine is encrypted)");
    }
    props.put("security.protocol", protocol);
    truststore.ifPresent(location -> {
      props.put("ssl.truststore.location", readable("KAFKA_SSL_TRUSTSTORE_LOCATION", location));
      env.optional("KAFKA_SSL_TRUSTSTORE_PASSWORD").ifPresent(p -> props.put("ssl.truststore.password", p));
      props.put("ssl.truststore.type", env.string("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"));
    });
    keystore.ifPresent(location -> {
      props.put("ssl.keystore.location", readable("KAFKA_SSL_KEYSTORE_LOCATION", location));
      String secret = env.optional("KAFKA_SSL_KEYSTORE_PASSWORD").orElseThrow(() -> new ConfigException(
          "KAFKA_SSL_KEYSTORE_PASSWORD is not set: the client certificate in KAFKA_SSL_KEYSTORE_LOCATION needs it"));
      props.put("ssl.keystore.password", secret);
      props.put("ssl.key.password", secret);
      props.put("ssl.keystore.type", env.string("KAFKA_SSL_KEYSTORE_TYPE", "PKCS12"));
    });
    return new KafkaSecurity(props);
  }

  private static Map<String, String> sasl(Optional<String> mechanism, Optional<String> username,
      Optional<String> password) {
    String chosen = mechanism.orElseThrow(() -> new ConfigException("KAFKA_SASL_MECHANISM is not set: "
        + "with KAFKA_SECURITY_PROTOCOL=SASL_SSL choose SCRAM-SHA-512 (a username and password) or AWS_MSK_IAM "
        + "(the pod's IAM role)")).toUpperCase(java.util.Locale.ROOT);
    Map<String, String> props = new LinkedHashMap<>();
    if (SCRAM.contains(chosen)) {
      String user = username.orElseThrow(() -> new ConfigException("KAFKA_SASL_USERNAME is not set: "
          + chosen + " signs in with a username and KAFKA_SASL_PASSWORD"));
      String secret = password.orElseThrow(() -> new ConfigException("KAFKA_SASL_PASSWORD is not set: "
          + chosen + " signs in as KAFKA_SASL_USERNAME=" + user + " with a password"));
      props.put("sasl.mechanism", chosen);
      props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
          + jaas(user) + "\" password=\"" + jaas(secret) + "\";");
      return props;
    }
    if (IAM.equals(chosen)) {
      if (username.isPresent() || password.isPresent()) {
        throw new ConfigException((username.isPresent() ? "KAFKA_SASL_USERNAME" : "KAFKA_SASL_PASSWORD")
            + " is set but KAFKA_SASL_MECHANISM is AWS_MSK_IAM, which signs in with the pod's IAM role: leave it out");
      }
      props.put("sasl.mechanism", IAM);
      props.put("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;");
      props.put("sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
      return props;
    }
    throw new ConfigException("KAFKA_SASL_MECHANISM=" + chosen
        + " is not supported: use SCRAM-SHA-512, SCRAM-SHA-256 or AWS_MSK_IAM");
  }

  /** A JAAS value is in double quotes: a quote or backslash in it would end it early. */
  private static String jaas(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String readable(String name, String location) {
    if (!Files.isReadable(Path.of(location))) {
      throw new ConfigException(name + "=" + location + " cannot be read");
    }
    return location;
  }

  /** Whether a failure is Kafka refusing who we are (a wrong password, a role without access). */
  static boolean refusedCredentials(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.AuthenticationException
          || t instanceof org.apache.kafka.common.errors.AuthorizationException) {
        return true;
      }
    }
    return false;
  }
}
