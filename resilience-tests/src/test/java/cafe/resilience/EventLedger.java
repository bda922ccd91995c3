package cafe.resilience;

import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Everything the services wrote to the four topics and their dead-letter topics, read from the start
 * without a consumer group, indexed by order id (the key). An event published twice (a relay that
 * crashed before it marked the batch sent) has one id; two events of one type with different ids for
 * one order are two effects.
 */
final class EventLedger implements AutoCloseable {
  /** What was seen for one order: event ids by type, and how often each id arrived. */
  static final class Trail {
    private final Map<String, Set<String>> idsByType = new HashMap<>();
    private final Map<String, Integer> copies = new HashMap<>();

    /** Distinct events of the type: the number of effects. */
    int count(String type) {
      return idsByType.getOrDefault(type, Set.of()).size();
    }

    /** Arrivals of an event id beyond its first (at-least-once publishing). */
    int republished() {
      return copies.values().stream().mapToInt(n -> n - 1).sum();
    }

    Set<String> types() {
      return idsByType.keySet();
    }
  }

  private final KafkaConsumer<String, String> consumer;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private final Map<String, Trail> trails = new HashMap<>();
  private final Map<String, List<String>> deadLetters = new HashMap<>();
  private final List<String> unreadable = new ArrayList<>();

  EventLedger(String bootstrap) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "resilience-ledger");
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    List<String> topics = new ArrayList<>(Topics.ALL);
    Topics.ALL.forEach(topic -> topics.add(Topics.dlq(topic)));
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist: are the services up?");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads up to the end of every partition as it is now. */
  synchronized void catchUp() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (behind(ends)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("could not read the topics to their end within 60 s");
      }
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
        add(record);
      }
    }
  }

  synchronized Trail trail(String orderId) {
    return trails.getOrDefault(orderId, new Trail());
  }

  synchronized Map<String, Trail> trails() {
    return Map.copyOf(trails);
  }

  /** Events parked on a dead-letter topic, by order id: each is an effect that never happened. */
  synchronized Map<String, List<String>> deadLetters() {
    return Map.copyOf(deadLetters);
  }

  synchronized List<String> unreadable() {
    return List.copyOf(unreadable);
  }

  private boolean behind(Map<TopicPartition, Long> ends) {
    for (TopicPartition partition : partitions) {
      if (consumer.position(partition, Duration.ofSeconds(30)) < ends.getOrDefault(partition, 0L)) {
        return true;
      }
    }
    return false;
  }

  private void add(ConsumerRecord<String, String> record) {
    if (record.topic().endsWith(".dlq")) {
      String error = record.headers().lastHeader("cafe-error") == null ? "?"
          : new String(record.headers().lastHeader("cafe-error").value(), java.nio.charset.StandardCharsets.UTF_8);
      deadLetters.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>())
          .add(record.topic() + ": " + error + ": " + record.value());
      return;
    }
    Event event;
    try {
      event = Event.parse(record.value());
    } catch (BadEventException e) {
      unreadable.add(record.topic() + "@" + record.partition() + ":" + record.offset() + " " + e.getMessage());
      return;
    }
    Trail trail = trails.computeIfAbsent(event.subject(), k -> new Trail());
    trail.idsByType.computeIfAbsent(event.type(), k -> new LinkedHashSet<>()).add(event.id());
    trail.copies.merge(event.id(), 1, Integer::sum);
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
