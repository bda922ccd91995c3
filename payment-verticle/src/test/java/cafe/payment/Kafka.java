package cafe.payment;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test access to the real broker: publish events as another service would, watch topics, check consumer progress. */
public final class Kafka implements AutoCloseable {
  private final String bootstrap;
  private final KafkaProducer<String, String> producer;
  private final Admin admin;
  private final ConcurrentLinkedQueue<JsonObject> seen = new ConcurrentLinkedQueue<>();
  private final List<Thread> taps = new ArrayList<>();
  private volatile boolean closed;

  public Kafka(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(a);
  }

  /** A CloudEvents envelope as another service would write it. */
  public static JsonObject event(String source, String type, String orderId, JsonObject data) {
    return new JsonObject().put("specversion", "1.0").put("id", UUID.randomUUID().toString()).put("source", source)
        .put("type", type).put("time", Instant.now().toString()).put("subject", orderId)
        .put("datacontenttype", "application/json").put("data", data.copy().put("orderId", orderId));
  }

  public RecordMetadata publish(String topic, JsonObject event) {
    try {
      return producer.send(new ProducerRecord<>(topic, event.getString("subject"), event.encode())).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
    }
  }

  /** Starts recording every event on the topics, from their beginning. */
  public void watch(String... topics) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Thread tap = new Thread(() -> {
      try (consumer) {
        while (!closed) {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
            seen.add(new JsonObject(r.value()).put("_topic", r.topic()));
          }
        }
      }
    }, "kafka-tap");
    tap.setDaemon(true);
    tap.start();
    taps.add(tap);
  }

  /** Events seen so far for this order, of this type. */
  public List<JsonObject> events(String orderId, String type) {
    List<JsonObject> found = new ArrayList<>();
    for (JsonObject e : seen) {
      if (orderId.equals(e.getString("subject")) && type.equals(e.getString("type"))) {
        found.add(e);
      }
    }
    return found;
  }

  /** Whether the group has committed past this record, i.e. handled it. */
  public boolean consumed(String group, RecordMetadata record) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      OffsetAndMetadata committed = offsets.get(new TopicPartition(record.topic(), record.partition()));
      return committed != null && committed.offset() > record.offset();
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : taps) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
  }
}
