package cafe.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The settings and credentials each service gets, and that every reference in them points at something real. */
class ConfigurationTest {

  static Stream<Arguments> renderings() {
    return Stream.of(Arguments.of("defaults", Chart.defaults()), Arguments.of("values-eks", Chart.eks()),
        Arguments.of("existingSecret", Chart.with().set("secrets.existingSecret", "cafe-from-aws").render()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theGatewayFindsEveryServiceAndOrderFindsPayment(String name, Rendered r) {
    Map<String, String> gateway = r.config("gateway");
    for (String backend : List.of("order", "payment", "barista", "delivery", "mypage")) {
      String variable = backend.toUpperCase() + "_URL";
      assertReachesService(r, gateway.get(variable), backend);
      assertEquals("http://" + Chart.RELEASE + "-" + backend + ":8080", gateway.get(variable));
    }
    assertReachesService(r, r.config("order").get("PAYMENT_URL"), "payment");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyServiceButTheGatewayTalksToKafka(String name, Rendered r) {
    assertNull(r.config("gateway").get("KAFKA_BOOTSTRAP_SERVERS"));
    String expectedFactor = name.equals("values-eks") ? "3" : "1";
    for (String service : Chart.SERVICES.subList(1, 6)) {
      Map<String, String> config = r.config(service);
      assertTrue(config.get("KAFKA_BOOTSTRAP_SERVERS").matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*"), service);
      assertEquals(expectedFactor, config.get("KAFKA_REPLICATION_FACTOR"), service);
      assertNotNull(config.get("KAFKA_TOPIC_PARTITIONS"), service);
    }
    assertEquals("mypage", r.config("mypage").get("MYPAGE_CONSUMER_GROUP"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void eachServiceReadsItsOwnStoreAndTheKeysFromTheSecret(String name, Rendered r) {
    Map<String, Set<String>> expected = Map.of(
        "gateway", Set.of("PG_URL", "REDIS_URL", "JWT_PUBLIC_KEY", "JWT_PRIVATE_KEY"),
        "order", name.equals("existingSecret") ? Set.of("PG_URL", "JWT_PUBLIC_KEY", "PAYMENT_SERVICE_TOKEN")
            : Set.of("PG_URL", "JWT_PUBLIC_KEY"),
        "payment", Set.of("PG_URL", "JWT_PUBLIC_KEY"),
        "barista", Set.of("MONGO_URL", "JWT_PUBLIC_KEY"),
        "delivery", Set.of("MONGO_URL", "JWT_PUBLIC_KEY"),
        "mypage", Set.of("REDIS_URL", "JWT_PUBLIC_KEY"));
    // On EKS the keys are Cognito's, published in its JWKS: no JWT key comes from the Secret.
    boolean outsideKeys = name.equals("values-eks");
    for (String service : Chart.SERVICES) {
      Set<String> fromSecret = r.container(service).getEnv().stream()
          .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
          .map(EnvVar::getName).collect(Collectors.toCollection(TreeSet::new));
      Set<String> wanted = new TreeSet<>(expected.get(service));
      if (outsideKeys) {
        wanted.removeIf(variable -> variable.startsWith("JWT_"));
      }
      assertEquals(wanted, fromSecret, service);
    }
    assertEquals("order-pg-url", secretRef(r.container("order"), "PG_URL").getKey());
    assertEquals("payment-pg-url", secretRef(r.container("payment"), "PG_URL").getKey());
    assertEquals("gateway-pg-url", secretRef(r.container("gateway"), "PG_URL").getKey());
    assertEquals("barista-mongo-url", secretRef(r.container("barista"), "MONGO_URL").getKey());
    assertEquals("delivery-mongo-url", secretRef(r.container("delivery"), "MONGO_URL").getKey());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everySecretAndConfigMapReferenceResolves(String name, Rendered r) {
    boolean external = name.equals("existingSecret");
    for (String service : Chart.SERVICES) {
      Container c = r.container(service);
      for (EnvFromSource from : c.getEnvFrom()) {
        assertNotNull(from.getConfigMapRef(), "settings come from a ConfigMap");
        r.get(ConfigMap.class, from.getConfigMapRef().getName());
      }
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() == null) {
          continue;
        }
        SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
        assertNotNull(ref, service + " " + e.getName());
        if (external) {
          assertEquals("cafe-from-aws", ref.getName());
          continue;
        }
        Secret secret = r.get(Secret.class, ref.getName());
        assertTrue(secret.getStringData().containsKey(ref.getKey()) || Boolean.TRUE.equals(ref.getOptional()),
            service + " reads " + ref.getKey() + " which " + ref.getName() + " does not have: "
                + secret.getStringData().keySet());
      }
    }
    if (external) {
      assertTrue(r.all(Secret.class).isEmpty(), "with existingSecret the chart makes no Secret");
      assertNull(r.deployment("order").getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/secret"));
    }
  }

  @Test
  void connectionUrlsCarryEncodedPasswordsAndTheEksTlsSettings() {
    String password = "p@ss:w/rd#1";
    Rendered r = Chart.with().values(Chart.EKS_VALUES).set("samplePlaceholders", false)
        .set("postgresql.password", password)
        .set("mongodb.password", password)
        .set("redis.password", password)
        .render();
    Map<String, String> urls = r.get(Secret.class, "cafe-secrets").getStringData();

    URI order = URI.create(urls.get("order-pg-url"));
    assertEquals("postgresql", order.getScheme());
    assertEquals("cafe:" + password, order.getUserInfo(), "the password survives URL parsing");
    assertEquals("/order", order.getPath());
    assertEquals("sslmode=require", order.getQuery());
    assertEquals("/gateway", URI.create(urls.get("gateway-pg-url")).getPath());
    assertEquals("/payment", URI.create(urls.get("payment-pg-url")).getPath());

    URI barista = URI.create(urls.get("barista-mongo-url"));
    assertEquals("cafe:" + password, barista.getUserInfo());
    assertEquals("/barista", barista.getPath());
    assertTrue(barista.getHost().endsWith(".docdb.amazonaws.com"));
    assertEquals(Set.of("tls=true", "replicaSet=rs0", "retryWrites=false", "authSource=admin"),
        Set.of(barista.getQuery().split("&")));
    assertEquals("/delivery", URI.create(urls.get("delivery-mongo-url")).getPath());

    URI redis = URI.create(urls.get("redis-url"));
    assertEquals("rediss", redis.getScheme(), "ElastiCache with encryption in transit");
    assertEquals(":" + password, redis.getUserInfo());
    assertTrue(r.container("mypage").getEnv().stream().anyMatch(e -> e.getName().equals("REDIS_URL")));

    assertTrue(r.config("order").get("KAFKA_BOOTSTRAP_SERVERS").contains(".kafka.ap-northeast-2.amazonaws.com:"));
  }

  @Test
  void theJwtKeysGoIntoTheSecretAsTheyAre(@TempDir Path dir) throws IOException, NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Path publicKey = Files.writeString(dir.resolve("jwt-public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    Path privateKey = Files.writeString(dir.resolve("jwt-private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

    Rendered r = Chart.with().setFile("secrets.jwt.publicKey", publicKey).setFile("secrets.jwt.privateKey", privateKey)
        .set("secrets.paymentServiceToken", "service.jwt.token").render();
    Map<String, String> secret = r.get(Secret.class, "cafe-secrets").getStringData();

    assertEquals(Files.readString(publicKey), secret.get("jwt-public-key"));
    assertEquals(Files.readString(privateKey), secret.get("jwt-private-key"));
    assertEquals("service.jwt.token", secret.get("payment-service-token"));
    assertEquals("payment-service-token", secretRef(r.container("order"), "PAYMENT_SERVICE_TOKEN").getKey());
  }

  @Test
  void theEksSampleIsRefusedUntilAnOperatorsOwnValuesReplaceIt() {
    String refused = Chart.eksAsShipped().refusal();
    assertTrue(refused.contains("values-eks.yaml holds example account ids") && refused.contains("samplePlaceholders"),
        refused);
  }

  @Test
  void nothingRendersUntilTheOperatorHasChosenKeysAndTheAlbsScheme() {
    String noKeys = Chart.bare().set("ingress.scheme", "internal").refusal();
    assertTrue(noKeys.contains("secrets.jwt.publicKey and secrets.jwt.privateKey are required"), noKeys);
    assertTrue(noKeys.contains("config.identityProvider.jwksUrl"), "it names every way out: " + noKeys);
    String noScheme = Chart.with().set("ingress.scheme", "").refusal();
    assertTrue(noScheme.contains("ingress.scheme must be chosen"), noScheme);
    // Each way out renders: keys in a Secret made elsewhere, or an identity provider's keys.
    Chart.bare().set("ingress.scheme", "internal").set("secrets.existingSecret", "cafe-keys").render();
    Chart.bare().set("ingress.scheme", "internal")
        .set("config.identityProvider.jwksUrl", "https://idp.example/.well-known/jwks.json").render();
  }

  @Test
  void onEksTheServicesSignInToMskWithTheirIamRole() {
    Rendered r = Chart.eks();
    for (String service : Chart.SERVICES.subList(1, 6)) {
      io.fabric8.kubernetes.api.model.ServiceAccount account =
          r.get(io.fabric8.kubernetes.api.model.ServiceAccount.class, Rendered.name(service));
      assertEquals("arn:aws:iam::123456789012:role/cafe-" + service,
          account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"), "a role of its own: " + service);
    }
    Map<String, String> gateway = r.get(io.fabric8.kubernetes.api.model.ServiceAccount.class, Rendered.name("gateway"))
        .getMetadata().getAnnotations();
    assertTrue(gateway == null || gateway.isEmpty(), "the gateway needs nothing from AWS: " + gateway);
    for (String service : Chart.SERVICES.subList(1, 6)) {
      Map<String, String> config = r.config(service);
      assertEquals("SASL_SSL", config.get("KAFKA_SECURITY_PROTOCOL"), service);
      assertEquals("AWS_MSK_IAM", config.get("KAFKA_SASL_MECHANISM"), service);
      assertTrue(config.get("KAFKA_BOOTSTRAP_SERVERS").matches("([^,]+:9098)(,[^,]+:9098)*"), "MSK's IAM port");
    }
    assertEquals("PLAINTEXT", Chart.defaults().config("order").get("KAFKA_SECURITY_PROTOCOL"), "a Kafka in the cluster");
  }

  @Test
  void scramCredentialsComeFromTheSecretAndAreRequired() {
    Rendered r = Chart.with().set("kafka.securityProtocol", "SASL_SSL").set("kafka.saslMechanism", "SCRAM-SHA-512")
        .set("secrets.kafka.username", "cafe").set("secrets.kafka.password", "s3cret").render();
    assertEquals("SCRAM-SHA-512", r.config("barista").get("KAFKA_SASL_MECHANISM"));
    assertEquals("kafka-sasl-password", secretRef(r.container("barista"), "KAFKA_SASL_PASSWORD").getKey());
    assertEquals("kafka-sasl-username", secretRef(r.container("order"), "KAFKA_SASL_USERNAME").getKey());
    assertTrue(r.container("gateway").getEnv().stream().noneMatch(e -> e.getName().startsWith("KAFKA_SASL")),
        "the gateway does not talk to Kafka");

    String missing = Chart.with().set("kafka.securityProtocol", "SASL_SSL").set("kafka.saslMechanism", "SCRAM-SHA-512")
        .refusal();
    assertTrue(missing.contains("secrets.kafka.username and .password are required"), missing);
    String noMechanism = Chart.with().set("kafka.securityProtocol", "SASL_SSL").refusal();
    assertTrue(noMechanism.contains("kafka.saslMechanism is required"), noMechanism);
  }

  @Test
  void onEksEveryServiceChecksCognitosTokensItself() {
    Rendered r = Chart.eks();
    for (String service : Chart.SERVICES) {
      Map<String, String> config = r.config(service);
      assertTrue(config.get("JWT_JWKS_URL").matches("https://cognito-idp\\.[a-z0-9-]+\\.amazonaws\\.com/.+/\\.well-known/jwks\\.json"),
          service + ": " + config.get("JWT_JWKS_URL"));
      assertTrue(config.get("JWT_ISSUER").startsWith("https://cognito-idp."), service);
      assertEquals("cognito:groups", config.get("JWT_ROLES_CLAIM"), service);
      assertNotNull(config.get("JWT_AUDIENCE"), service);
    }
    Map<String, String> local = Chart.defaults().config("order");
    assertNull(local.get("JWT_JWKS_URL"), "by default the gateway's own key");
    assertEquals("roles", local.get("JWT_ROLES_CLAIM"));
  }

  @Test
  void extraVariablesAndImageTagsPerService(@TempDir Path dir) throws IOException {
    Path env = Files.writeString(dir.resolve("env.yaml"), """
        gateway:
          env:
            RATE_LIMIT_PER_MINUTE: "120"
            JWT_JWKS_URL: https://id.example.com/jwks
        """);
    Rendered r = Chart.with().values(env)
        .set("image.registry", "registry.example.com/")
        .set("image.tag", "abc1234")
        .set("order.image.tag", "hotfix-1")
        .render();

    assertEquals("120", r.config("gateway").get("RATE_LIMIT_PER_MINUTE"), "a service's env wins over the chart's");
    assertEquals("https://id.example.com/jwks", r.config("gateway").get("JWT_JWKS_URL"));
    assertEquals("registry.example.com/cafe-order-verticle:hotfix-1", r.container("order").getImage());
    assertEquals("registry.example.com/cafe-payment-verticle:abc1234", r.container("payment").getImage());
  }

  @Test
  void anImageDigestWinsOverTheTag() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    Rendered r = Chart.with().set("image.registry", "registry.example.com").set("image.tag", "abc1234")
        .set("barista.image.digest", digest).render();
    assertEquals("registry.example.com/cafe-barista-verticle@" + digest, r.container("barista").getImage());
    assertEquals("registry.example.com/cafe-order-verticle:abc1234", r.container("order").getImage());
    String refused = Chart.with().set("barista.image.digest", "latest").refusal();
    assertTrue(refused.contains("digest"), refused);
  }

  @Test
  void autoModesAreOnInATestClusterAndOffOnEks() {
    assertEquals("3000", Chart.defaults().config("barista").get("CAFE_AUTO_BREW_MS"));
    assertEquals("3000", Chart.defaults().config("delivery").get("CAFE_AUTO_DELIVER_MS"));
    assertEquals("false", Chart.defaults().config("gateway").get("CAFE_SEED_USERS"), "no demo logins unless asked for");
    assertEquals("true", Chart.with().set("gateway.seedUsers", true).render().config("gateway").get("CAFE_SEED_USERS"));
    assertEquals("0", Chart.eks().config("barista").get("CAFE_AUTO_BREW_MS"));
    assertEquals("0", Chart.eks().config("delivery").get("CAFE_AUTO_DELIVER_MS"));
    assertEquals("false", Chart.eks().config("gateway").get("CAFE_SEED_USERS"));
    assertEquals("1", Chart.eks().config("gateway").get("TRUSTED_PROXY_HOPS"), "behind the ALB");
  }

  @Test
  void onEksTheJvmTrustsTheRdsCertificates() {
    Rendered r = Chart.eks();
    for (String service : Chart.SERVICES) {
      Container c = r.container(service);
      String options = DeploymentTest.env(c, "JAVA_TOOL_OPTIONS").getValue();
      assertTrue(options.contains("-Djavax.net.ssl.trustStore=/etc/cafe/truststore/truststore.p12"), options);
      assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/cafe/truststore")
          && Boolean.TRUE.equals(m.getReadOnly())));
      assertTrue(r.deployment(service).getSpec().getTemplate().getSpec().getVolumes().stream()
          .anyMatch(v -> v.getSecret() != null && "cafe-aws-truststore".equals(v.getSecret().getSecretName())));
    }
    assertFalse(DeploymentTest.env(Chart.defaults().container("order"), "JAVA_TOOL_OPTIONS").getValue()
        .contains("trustStore"));
  }

  private static void assertReachesService(Rendered r, String url, String service) {
    assertNotNull(url, "no URL for " + service);
    URI uri = URI.create(url);
    Service target = r.get(Service.class, uri.getHost());
    ServicePort port = target.getSpec().getPorts().stream().filter(p -> p.getPort() == uri.getPort()).findFirst()
        .orElseThrow(() -> new AssertionError(url + " names a port " + uri.getHost() + " does not have"));
    assertEquals(Rendered.name(service), target.getMetadata().getName());
    // The Service sends that port to the container port named by targetPort, on the service's own pods.
    Container c = r.container(service);
    assertTrue(c.getPorts().stream().anyMatch(p -> p.getName().equals(port.getTargetPort().getStrVal())));
    Map<String, String> podLabels = r.deployment(service).getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(target.getSpec().getSelector().entrySet()));
  }

  private static SecretKeySelector secretRef(Container c, String variable) {
    return DeploymentTest.env(c, variable).getValueFrom().getSecretKeyRef();
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
