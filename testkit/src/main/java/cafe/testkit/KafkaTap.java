package cafe.testkit;

import cafe.common.events.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tests' view of Kafka, as an outside observer: publishes events as another service would
 * (keyed by order id), records everything on the watched topics from their beginning, and tells
 * when a consumer group has handled a record (its committed offset moved past it).
 *
 * <p>{@link #events} answer each event id once, as a de-duplicating consumer sees them;
 * {@link #records} answer every record, redeliveries included.
 */
public final class KafkaTap implements AutoCloseable {
  /** Partitions of a topic the tap creates because no service has yet (the services' default). */
  private static final int PARTITIONS = 4;
  private static final Queue<Event> EMPTY = new ConcurrentLinkedQueue<>();

  /** One record as it was read; {@code event} is null when the value is not an event of the contract. */
  public record Received(String topic, int partition, long offset, String key, String value, Event event) {
  }

  private final String bootstrap;
  private final KafkaProducer<String, String> producer;
  private final Admin admin;
  private final Queue<Received> records = new ConcurrentLinkedQueue<>();
  private final Queue<Event> events = new ConcurrentLinkedQueue<>();
  private final Map<String, Queue<Event>> eventsByOrder = new ConcurrentHashMap<>();
  private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
  /** Per partition: the offset of the next record to read. */
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final List<String> watched = new CopyOnWriteArrayList<>();
  private KafkaConsumer<String, String> consumer;
  private Thread reader;
  private volatile boolean closed;

  private KafkaTap(String bootstrap) {
    this.bootstrap = bootstrap;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, "0",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  /** Watches {@code topics} (created if no service has yet) from their beginning; with none, only publishes. */
  public static KafkaTap open(String bootstrap, Collection<String> topics) {
    KafkaTap tap = new KafkaTap(bootstrap);
    if (!topics.isEmpty()) {
      try {
        tap.watch(List.copyOf(topics));
      } catch (RuntimeException e) {
        tap.close();
        throw e;
      }
    }
    return tap;
  }

  public static KafkaTap open(String bootstrap, String... topics) {
    return open(bootstrap, List.of(topics));
  }

  private void watch(List<String> topics) {
    ensureTopics(topics);
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    // Assigned, not subscribed: no group to join, so recording starts at once.
    List<TopicPartition> partitions = new ArrayList<>();
    // A topic just created may take a moment to be described.
    Map<String, Integer> described = Eventually.value(Duration.ofSeconds(20), "topics " + topics,
        () -> describe(topics), d -> d.size() == topics.size());
    described.forEach((topic, count) -> {
      for (int p = 0; p < count; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
    });
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    watched.addAll(topics);
    reader = new Thread(this::read, "kafka-tap");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          Event event = parse(r.value());
          records.add(new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), event));
          if (event != null && eventIds.add(event.id())) {
            events.add(event);
            eventsByOrder.computeIfAbsent(event.orderId(), id -> new ConcurrentLinkedQueue<>()).add(event);
          }
          positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private static Event parse(String value) {
    try {
      return value == null ? null : Event.parse(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  // Publishing ------------------------------------------------------------------------------------

  /** Publishes an event keyed by its order id; answers where it landed. */
  public RecordMetadata publish(String topic, Event event) {
    return publish(topic, event.orderId(), event.encode());
  }

  /** Publishes any value, e.g. one that is not an event at all. */
  public RecordMetadata publish(String topic, String key, String value) {
    try {
      return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish to " + topic + ": " + e.getMessage(), e);
    }
  }

  // What was seen -----------------------------------------------------------------------------------

  /** Every distinct event seen so far, in the order read. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<Event> events(String orderId) {
    return List.copyOf(eventsByOrder.getOrDefault(orderId, EMPTY));
  }

  public List<Event> events(String orderId, String type) {
    return eventsByOrder.getOrDefault(orderId, EMPTY).stream().filter(e -> type.equals(e.type())).toList();
  }

  /** How many distinct events of this type were seen for these orders. */
  public long count(Collection<String> orderIds, String type) {
    return Set.copyOf(orderIds).stream().mapToLong(id -> events(id, type).size()).sum();
  }

  /** Every record seen so far, redeliveries and non-events included. */
  public List<Received> records() {
    return List.copyOf(records);
  }

  /** Every record with this key (an order id) on this topic, e.g. a dead-letter topic. */
  public List<Received> on(String topic, String key) {
    return records.stream().filter(r -> topic.equals(r.topic()) && key.equals(r.key())).toList();
  }

  /** Waits until the tap has read everything that was on its topics when called. */
  public void awaitRecorded(Duration timeout) {
    Map<TopicPartition, Long> ends = endOffsets(watched);
    Eventually.await(timeout, "the tap reads " + watched + " to their ends", () -> ends.entrySet().stream()
        .allMatch(end -> end.getValue() == 0 || positions.getOrDefault(end.getKey(), 0L) >= end.getValue()));
  }

  /** Waits for the first event of this type for the order. */
  public Event awaitEvent(String orderId, String type, Duration timeout) {
    return Eventually.value(timeout, type + " for order " + orderId, () -> events(orderId, type), l -> !l.isEmpty())
        .get(0);
  }

  // Consumer groups ---------------------------------------------------------------------------------

  /** Whether {@code group} has committed past this record, i.e. handled it and stored its effect. */
  public boolean consumed(String group, RecordMetadata record) {
    OffsetAndMetadata committed = committed(group).get(new TopicPartition(record.topic(), record.partition()));
    return committed != null && committed.offset() > record.offset();
  }

  public void awaitHandled(String group, RecordMetadata record, Duration timeout) {
    Eventually.await(timeout, group + " handles " + record.topic() + "-" + record.partition() + "@" + record.offset(),
        () -> consumed(group, record));
  }

  /** Whether {@code group} has handled everything on {@code topics} so far (a group with no offsets has not). */
  public boolean caughtUp(String group, Collection<String> topics) {
    Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
    for (Map.Entry<TopicPartition, Long> end : endOffsets(topics).entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      if (end.getValue() > (done == null ? 0 : done.offset())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until {@code group} has handled everything on {@code topic} so far, so records left by an
   * earlier test cannot change what this one observes.
   */
  public void awaitCaughtUp(String group, String topic, Duration timeout) {
    awaitCaughtUp(group, List.of(topic), timeout);
  }

  public void awaitCaughtUp(String group, Collection<String> topics, Duration timeout) {
    Eventually.await(timeout, group + " catches up on " + topics, () -> caughtUp(group, topics));
  }

  /** Waits until {@code group} has this many members, each with partitions of its own. */
  public void awaitMembers(String group, int members, Duration timeout) {
    Eventually.await(timeout, group + " has " + members + " members with partitions", () -> {
      var description = admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group);
      return description.members().size() == members
          && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    });
  }

  /** The offsets {@code group} has committed (none for a group that never committed). */
  public Map<TopicPartition, OffsetAndMetadata> committed(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> known = new HashMap<>();
      offsets.forEach((tp, offset) -> {
        if (offset != null) {
          known.put(tp, offset);
        }
      });
      return known;
    } catch (Exception e) {
      throw new IllegalStateException("could not read the offsets of " + group + ": " + e.getMessage(), e);
    }
  }

  /** Where each partition of the topics ends now. */
  public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
    Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
    describe(topics).forEach((topic, count) -> {
      for (int p = 0; p < count; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    });
    try {
      Map<TopicPartition, Long> ends = new LinkedHashMap<>();
      admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (Exception e) {
      throw new IllegalStateException("could not read the end offsets of " + topics + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------------------------

  private Map<String, Integer> describe(Collection<String> topics) {
    try {
      Map<String, Integer> partitions = new LinkedHashMap<>();
      admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS)
          .forEach((name, description) -> partitions.put(name, description.partitions().size()));
      return partitions;
    } catch (Exception e) {
      throw new IllegalStateException("could not describe " + topics + ": " + e.getMessage(), e);
    }
  }

  private void ensureTopics(Collection<String> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create " + topics + ": " + e.getMessage(), e);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not create " + topics + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (consumer != null) {
      consumer.wakeup();
      try {
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(Duration.ofSeconds(2));
    admin.close(Duration.ofSeconds(2));
  }
}
