package cafe.delivery.it;

import cafe.common.events.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's view of Kafka: publishes events as another service would, records every event the
 * services emit (each event id once, as a de-duplicating consumer sees them), and tells when a
 * consumer group has handled a record (its committed offset moved past it).
 */
public final class KafkaTap implements AutoCloseable {
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final Admin admin;
  private final Thread reader;
  private final Map<String, Event> seen = new ConcurrentHashMap<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public KafkaTap(String bootstrap, Collection<String> topics) {
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "tap-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    consumer.subscribe(List.copyOf(topics));
    reader = new Thread(this::read, "kafka-tap");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            Event event = Event.parse(record.value());
            if (seen.putIfAbsent(event.id(), event) == null) {
              events.add(event);
            }
          } catch (RuntimeException e) {
            // Not an event of the contract; not ours to judge here.
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** Publishes an event keyed by its order id; answers where it landed. */
  public RecordMetadata publish(String topic, Event event) {
    try {
      return producer.send(new ProducerRecord<>(topic, event.orderId(), event.encode())).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish " + event.type() + ": " + e.getMessage(), e);
    }
  }

  /** Waits until {@code group} has committed past this record, i.e. handled it and stored its effect. */
  public void awaitHandled(String group, RecordMetadata record, Duration timeout) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    Eventually.await(timeout, group + " handles " + tp + "@" + record.offset(), () -> {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
      OffsetAndMetadata committed = offsets.get(tp);
      return committed != null && committed.offset() > record.offset();
    });
  }

  /**
   * Waits until {@code group} has handled everything on {@code topic} so far, so records left by an
   * earlier test class cannot change what this one observes.
   */
  public void awaitCaughtUp(String group, String topic, Duration timeout) {
    Eventually.await(timeout, group + " catches up on " + topic, () -> {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
      for (var end : ends.entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        long handled = done == null ? 0 : done.offset();
        if (end.getValue().offset() > handled) {
          return false;
        }
      }
      return true;
    });
  }

  /** Waits until {@code group} has this many members, each with partitions of its own. */
  public void awaitMembers(String group, int members, Duration timeout) {
    Eventually.await(timeout, group + " has " + members + " members with partitions", () -> {
      var description = admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group);
      return description.members().size() == members
          && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    });
  }

  public List<Event> events(String orderId) {
    List<Event> mine = new ArrayList<>();
    for (Event e : events) {
      if (e.orderId().equals(orderId)) {
        mine.add(e);
      }
    }
    return mine;
  }

  public List<Event> events(String orderId, String type) {
    return events(orderId).stream().filter(e -> e.type().equals(type)).toList();
  }

  /** How many events of this type were emitted for these orders. */
  public long count(Set<String> orderIds, String type) {
    return events.stream().filter(e -> e.type().equals(type) && orderIds.contains(e.orderId())).count();
  }

  public Event awaitEvent(String orderId, String type, Duration timeout) {
    return Eventually.await(timeout, type + " for order " + orderId, () -> events(orderId, type), l -> !l.isEmpty()).get(0);
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
    admin.close();
  }
}
