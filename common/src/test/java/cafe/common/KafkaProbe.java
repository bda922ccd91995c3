package cafe.common;

import cafe.common.events.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, as an outside observer, to see what really went out. */
public final class KafkaProbe implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

  public KafkaProbe(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (partitions.isEmpty() && System.nanoTime() < deadline) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null) {
        infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until {@code done} holds for the records seen so far, or fails after {@code timeout}. */
  public List<ConsumerRecord<String, String>> until(Duration timeout,
      Predicate<List<ConsumerRecord<String, String>>> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(seen)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within " + timeout + "; saw " + seen.size() + " records");
      }
      consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    }
    return List.copyOf(seen);
  }

  public static Predicate<List<ConsumerRecord<String, String>>> hasKey(String key) {
    return records -> records.stream().anyMatch(r -> key.equals(r.key()));
  }

  /**
   * The key's events in the order first seen, each once however often it was published: relays publish
   * at least once, so a copy of an event may follow it.
   */
  public static List<Event> distinctEvents(List<ConsumerRecord<String, String>> records, String key) {
    Map<String, Event> byId = new LinkedHashMap<>();
    records.stream().filter(r -> key.equals(r.key())).map(r -> Event.parse(r.value()))
        .forEach(e -> byId.putIfAbsent(e.id(), e));
    return List.copyOf(byId.values());
  }

  @Override
  public void close() {
    consumer.close();
  }
}
