package cafe.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces and consumes plain strings for the infrastructure tests. */
final class KafkaClients {

  private KafkaClients() {
  }

  static void send(String bootstrap, String topic, List<String> values) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value)).get(30, TimeUnit.SECONDS);
      }
    }
  }

  static int partitions(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap, "partitions-probe")) {
      return consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
    }
  }

  /** Reads in the group until {@code count} values arrived or the deadline passed, committing what it read. */
  static List<String> receive(String bootstrap, String group, String topic, int count, Duration within) {
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
      consumer.subscribe(List.of(topic));
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      consumer.commitSync(Duration.ofSeconds(30));
    }
    return values;
  }

  static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
  }

}
