package cafe.common.kafka;

import cafe.common.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * How every service talks to Kafka. Producers are idempotent with acks=all, so a retried send
 * never duplicates or reorders one order's events; consumers commit by hand after the effect.
 */
public record KafkaSettings(String bootstrapServers, int partitions, short replicationFactor, int lingerMs,
                            int fetchMinBytes, int fetchMaxWaitMs, KafkaSecurity security) {

  public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:19092";

  public static KafkaSettings from(Env env) {
    String bootstrap = env.string("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP);
    if (!bootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
      throw new cafe.common.config.ConfigException(
          "KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + " must be host:port[,host:port...]");
    }
    return new KafkaSettings(bootstrap, env.integer("KAFKA_TOPIC_PARTITIONS", 4),
        (short) env.integer("KAFKA_REPLICATION_FACTOR", 1), env.integer("KAFKA_LINGER_MS", 5),
        env.integer("KAFKA_FETCH_MIN_BYTES", 32 * 1024), env.integer("KAFKA_FETCH_MAX_WAIT_MS", 25),
        KafkaSecurity.from(env));
  }

  /** Defaults for everything but the brokers, partitions and replication. */
  public KafkaSettings(String bootstrapServers, int partitions, short replicationFactor) {
    this(bootstrapServers, partitions, replicationFactor, 5, 32 * 1024, 25, KafkaSecurity.PLAINTEXT);
  }

  public Map<String, String> producer(String clientId) {
    Map<String, String> c = common(clientId);
    c.put("acks", "all");
    c.put("enable.idempotence", "true");
    // A few ms of waiting lets a burst of events share one produce request (the broker's main cost).
    c.put("linger.ms", String.valueOf(lingerMs));
    c.put("delivery.timeout.ms", "30000");
    c.put("request.timeout.ms", "10000");
    c.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    c.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    return c;
  }

  public Map<String, String> consumer(String groupId, String clientId) {
    Map<String, String> c = common(clientId);
    c.put("group.id", groupId);
    c.put("enable.auto.commit", "false");
    // A new group, or one whose offsets expired, reads everything it missed.
    c.put("auto.offset.reset", "earliest");
    c.put("max.poll.records", "200");
    // A fetch waits a little for more events instead of returning each one on its own round trip:
    // a few ms more per hop, far fewer requests for the broker and the consumer.
    c.put("fetch.min.bytes", String.valueOf(fetchMinBytes));
    c.put("fetch.max.wait.ms", String.valueOf(fetchMaxWaitMs));
    // A crashed member's partitions move to the others after this, not after Kafka's 45 s default.
    c.put("session.timeout.ms", "10000");
    c.put("heartbeat.interval.ms", "3000");
    c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    c.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    return c;
  }

  public Map<String, String> admin(String clientId) {
    Map<String, String> c = common(clientId);
    c.put("request.timeout.ms", "3000");
    c.put("default.api.timeout.ms", "5000");
    return c;
  }

  /** Creates the topics (and their DLQs) that do not exist yet; a concurrent creator is fine. */
  public Future<Void> ensureTopics(KafkaAdminClient admin, Collection<String> topics) {
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        for (String name : List.of(topic, cafe.common.events.Topics.dlq(topic))) {
          if (!existing.contains(name)) {
            missing.add(new NewTopic(name, partitions, replicationFactor));
          }
        }
      }
      if (missing.isEmpty()) {
        return Future.succeededFuture();
      }
      return admin.createTopics(missing).recover(err -> isTopicExists(err)
          ? Future.succeededFuture() : Future.failedFuture(err));
    });
  }

  public KafkaAdminClient adminClient(Vertx vertx, String clientId) {
    return KafkaAdminClient.create(vertx, admin(clientId));
  }

  private static boolean isTopicExists(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof TopicExistsException) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> common(String clientId) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrapServers);
    c.put("client.id", clientId);
    c.putAll(security.clientProperties());
    return c;
  }
}
