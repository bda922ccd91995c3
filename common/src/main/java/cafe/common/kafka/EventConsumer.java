package cafe.common.kafka;

import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * At-least-once consumption with an exactly-once effect: one key's records (one order's events) are
 * handled one after another in offset order, offsets are committed only after the handler's effect
 * is stored, a failing event is retried with backoff, and after {@code maxAttempts} it is parked
 * on {@code <topic>.dlq} so it never blocks its partition. The handler must be idempotent (inbox).
 *
 * <p>Different keys of a poll are handled side by side, up to {@code CONSUMER_CONCURRENCY} at a time
 * (1 = strictly one record after another): a handler mostly waits for its store, and one order's
 * round trips need not hold up the next order's. A partition's offset is committed only up to the
 * first record not done, so a record that could not even be parked is read again, together with the
 * records after it (which the inbox then skips). Offsets are committed at most every
 * {@code CONSUMER_COMMIT_INTERVAL_MS}, when the consumer runs idle, and when it stops.
 *
 * <p>Lag per partition is exported as {@code cafe_consumer_lag{group,topic,partition}}, read from the
 * Kafka client's own {@code records-lag} metric.
 */
public final class EventConsumer {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class.getName());
  /**
   * Keys of one poll handled side by side unless {@code CONSUMER_CONCURRENCY} says otherwise: a handler
   * mostly waits for its store, and at 16 the barista fell behind a saturating load.
   */
  public static final int DEFAULT_CONCURRENCY = 64;
  /** How often offsets are committed at most, unless {@code CONSUMER_COMMIT_INTERVAL_MS} says otherwise. */
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 200;
  private static final long LAG_SCAN_MS = 5_000;
  /** Records in hand and none finished for this long: the consumer is stuck (liveness fails). */
  public static final long DEFAULT_STUCK_MS = 120_000;

  /** Applies one event; fails to be retried. */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(Event event);
  }

  /**
   * Applies a whole poll's events at once, in their order (e.g. in one transaction, with one inbox
   * claim for all): one commit instead of one per event. It must apply all or nothing; when it fails,
   * the poll is handled again one event at a time by the {@link Handler}, with its retries and DLQ.
   */
  @FunctionalInterface
  public interface BatchHandler {
    Future<Void> handleAll(List<Event> events);
  }

  /** Retry settings: attempts per event, first backoff, longest backoff. */
  public record Retry(int maxAttempts, long firstBackoffMs, long maxBackoffMs) {
    public static Retry from(cafe.common.config.Env env) {
      return new Retry(env.integer("CONSUMER_MAX_ATTEMPTS", 5),
          env.millis("CONSUMER_RETRY_BACKOFF_MS", 100), env.millis("CONSUMER_MAX_BACKOFF_MS", 5000));
    }
  }

  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final EventPublisher deadLetters;
  private final Handler handler;
  private volatile BatchHandler batchHandler;
  private final Retry retry;
  private final String group;
  private final Promise<Void> stopped = Promise.promise();
  private final Counter handled;
  private final Counter deadLettered;
  private final int concurrency;
  private final MeterRegistry metrics;
  private final Set<String> lagGauges = ConcurrentHashMap.newKeySet();
  private volatile Set<String> topics = Set.of();
  /** Done but not committed yet; touched only by the poll loop, one batch at a time. */
  private final Map<TopicPartition, Long> pendingCommits = new LinkedHashMap<>();
  private final long commitIntervalNanos;
  private long lastCommitNanos = System.nanoTime();
  private long lagTimer = -1;
  private volatile boolean stopping;
  /** When the records in hand were polled (0: none in hand), and when the last one of them was finished. */
  private volatile long holdingSince;
  private volatile long lastFinished = System.nanoTime();

  private EventConsumer(Vertx vertx, KafkaConsumer<String, String> consumer, EventPublisher deadLetters,
      Handler handler, Retry retry, String group, MeterRegistry metrics, int concurrency, long commitIntervalMs) {
    this.commitIntervalNanos = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Math.max(0, commitIntervalMs));
    this.vertx = vertx;
    this.metrics = metrics;
    this.concurrency = Math.max(1, concurrency);
    this.consumer = consumer;
    this.deadLetters = deadLetters;
    this.handler = handler;
    this.retry = retry;
    this.group = group;
    this.handled = Counter.builder("cafe_events_handled").tag("group", group).register(metrics);
    this.deadLettered = Counter.builder("cafe_events_dead_lettered").tag("group", group).register(metrics);
  }

  /** Subscribes {@code group} to {@code topics} and starts handling; stop with {@link #stop()}. */
  public static Future<EventConsumer> start(Vertx vertx, KafkaSettings kafka, String group,
      Collection<String> topics, Handler handler, EventPublisher deadLetters, Retry retry,
      MeterRegistry metrics) {
    return start(vertx, kafka, group, topics, handler, deadLetters, retry, metrics, DEFAULT_CONCURRENCY,
        DEFAULT_COMMIT_INTERVAL_MS);
  }

  /**
   * The same, handling up to {@code concurrency} keys of a poll at a time and committing at most every
   * {@code commitIntervalMs} (0: after every poll).
   */
  public static Future<EventConsumer> start(Vertx vertx, KafkaSettings kafka, String group,
      Collection<String> topics, Handler handler, EventPublisher deadLetters, Retry retry,
      MeterRegistry metrics, int concurrency, long commitIntervalMs) {
    KafkaConsumer<String, String> consumer =
        KafkaConsumer.create(vertx, kafka.consumer(group, group + "-" + ProcessHandle.current().pid()));
    EventConsumer self = new EventConsumer(vertx, consumer, deadLetters, handler, retry, group, metrics, concurrency,
        commitIntervalMs);
    self.topics = Set.copyOf(topics);
    // Offsets done but not yet committed for partitions given away in a rebalance are dropped, not committed: the
    // handler runs after the member has rejoined, when a commit would be taken as the new owner's and could move
    // its offset back. The new owner reads from the last commit; the inbox absorbs what is read twice.
    consumer.partitionsRevokedHandler(revoked -> self.pendingCommits.keySet().removeAll(revoked));
    return consumer.subscribe(new HashSet<>(topics)).map(v -> {
      self.lagTimer = vertx.setPeriodic(LAG_SCAN_MS, t -> self.registerLagGauges());
      self.loop();
      return self;
    });
  }

  /** Applies whole polls with {@code batch} from now on, falling back to the event handler when it fails. */
  public EventConsumer inBatches(BatchHandler batch) {
    this.batchHandler = batch;
    return this;
  }

  /** Finishes the batch in hand, commits it and closes the consumer. */
  public Future<Void> stop() {
    stopping = true;
    if (lagTimer >= 0) {
      vertx.cancelTimer(lagTimer);
    }
    return stopped.future().eventually(consumer::close);
  }

  /**
   * One gauge per partition this member reads, backed by the client's {@code records-lag} (records
   * between the position and the partition's end). A partition handed to another member reads NaN here.
   */
  private void registerLagGauges() {
    Map<MetricName, ? extends Metric> all;
    try {
      all = consumer.unwrap().metrics();
    } catch (RuntimeException e) {
      return;
    }
    for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
      MetricName name = e.getKey();
      String topic = name.tags().get("topic");
      String partition = name.tags().get("partition");
      // The client also registers each metric under the topic's old name (dots as underscores): skipped.
      if (!"records-lag".equals(name.name()) || !topics.contains(topic) || partition == null
          || !lagGauges.add(topic + "/" + partition)) {
        continue;
      }
      Gauge.builder("cafe_consumer_lag", consumer, c -> lag(c, topic, partition))
          .description("records between the group's position and the end of the partition")
          .tags("group", group, "topic", topic, "partition", partition)
          .register(metrics);
    }
  }

  private static double lag(KafkaConsumer<String, String> consumer, String topic, String partition) {
    try {
      for (Map.Entry<MetricName, ? extends Metric> e : consumer.unwrap().metrics().entrySet()) {
        MetricName name = e.getKey();
        if ("records-lag".equals(name.name()) && topic.equals(name.tags().get("topic"))
            && partition.equals(name.tags().get("partition"))) {
          return e.getValue().metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
        }
      }
    } catch (RuntimeException e) {
      // closed meanwhile
    }
    return Double.NaN;
  }

  private void loop() {
    if (stopping) {
      flushCommits().onComplete(ar -> stopped.tryComplete());
      return;
    }
    consumer.poll(Duration.ofMillis(250))
        .compose(records -> {
          if (!records.isEmpty()) {
            holdingSince = System.nanoTime();
          }
          return handleBatch(records);
        })
        .onComplete(ar -> {
          holdingSince = 0;
          if (ar.failed()) {
            LOG.log(Level.WARNING, group + ": batch not finished, retrying: " + ar.cause(), ar.cause());
            vertx.setTimer(retry.firstBackoffMs(), t -> loop());
          } else {
            loop();
          }
        });
  }

  /**
   * Handles the poll, each key's records in order, and commits what was done. If one cannot even be
   * parked (Kafka is down), its key stops there and its partition is rewound to it, so nothing is skipped.
   */
  private Future<Void> handleBatch(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      // Nothing new: a good moment to commit what is done.
      return flushCommits();
    }
    BatchHandler batch = batchHandler;
    List<Event> events = batch == null ? null : parseAll(records);
    if (events == null) {
      return handleEach(records);
    }
    Future<Void> applied;
    try {
      applied = batch.handleAll(events);
    } catch (RuntimeException e) {
      applied = Future.failedFuture(e);
    }
    return applied.transform(ar -> {
      if (ar.failed()) {
        LOG.fine(() -> group + ": batch of " + events.size() + " not applied at once, one by one instead: "
            + ar.cause().getMessage());
        return handleEach(records);
      }
      handled.increment(events.size());
      Map<TopicPartition, Long> done = new LinkedHashMap<>();
      for (int i = 0; i < records.size(); i++) {
        KafkaConsumerRecord<String, String> record = records.recordAt(i);
        done.put(new TopicPartition(record.topic(), record.partition()), record.offset());
      }
      return commitSoon(done, false);
    });
  }

  /** Every record's event, or null when one cannot be read (it takes the one-by-one way to the DLQ). */
  private static List<Event> parseAll(KafkaConsumerRecords<String, String> records) {
    List<Event> events = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      try {
        events.add(Event.parse(records.recordAt(i).value()));
      } catch (BadEventException e) {
        return null;
      }
    }
    return events;
  }

  /** Each key's records in order, keys side by side; commits what was done, rewinds to what was not. */
  private Future<Void> handleEach(KafkaConsumerRecords<String, String> records) {
    int size = records.size();
    // A key's records in the order they came; records without a key keep their partition's order.
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      String key = record.key() != null ? "key:" + record.key() : "partition:" + record.topic() + "/" + record.partition();
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    AtomicReferenceArray<Boolean> done = new AtomicReferenceArray<>(size);
    Queue<List<Integer>> keys = new ConcurrentLinkedQueue<>(byKey.values());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(concurrency, byKey.size()); lane++) {
      lanes.add(nextKey(records, keys, done));
    }
    return Future.join(lanes).transform(ar -> {
      Map<TopicPartition, Long> commits = new LinkedHashMap<>();
      Map<TopicPartition, Long> rewinds = new LinkedHashMap<>();
      for (int i = 0; i < size; i++) {
        KafkaConsumerRecord<String, String> record = records.recordAt(i);
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (rewinds.containsKey(tp)) {
          continue;
        }
        if (Boolean.TRUE.equals(done.get(i))) {
          commits.put(tp, record.offset());
        } else {
          rewinds.put(tp, record.offset());
        }
      }
      return commitSoon(commits, !rewinds.isEmpty()).compose(c -> rewinds.isEmpty()
          ? Future.<Void>succeededFuture()
          : rewind(rewinds).compose(x -> Future.<Void>failedFuture(ar.failed() ? ar.cause()
              : new IllegalStateException("records left unhandled"))));
    });
  }

  /**
   * One lane: takes keys off the queue and handles each key's records in order, until none is left.
   * Keys whose handling finished at once (events the service ignores) are looped over here rather than
   * chained: chaining a whole poll of them nested one stack frame set per key and overflowed the stack.
   */
  private Future<Void> nextKey(KafkaConsumerRecords<String, String> records, Queue<List<Integer>> keys,
      AtomicReferenceArray<Boolean> done) {
    for (List<Integer> indexes = keys.poll(); indexes != null; indexes = keys.poll()) {
      Future<Void> chain = Future.succeededFuture();
      for (int index : indexes) {
        KafkaConsumerRecord<String, String> record = records.recordAt(index);
        chain = chain.compose(v -> handleRecord(record).onSuccess(x -> done.set(index, true)));
      }
      // A key that failed keeps its later records for the redelivery; the lane goes on with other keys.
      if (!chain.isComplete()) {
        return chain.transform(ar -> nextKey(records, keys, done));
      }
    }
    return Future.succeededFuture();
  }

  private Future<Void> handleRecord(KafkaConsumerRecord<String, String> record) {
    Event event;
    try {
      event = Event.parse(record.value());
    } catch (BadEventException e) {
      return deadLetter(record, "unreadable event: " + e.getMessage());
    }
    return attempt(event, 1).recover(err -> deadLetter(record,
        event.type() + " " + event.id() + " failed " + retry.maxAttempts() + " times: " + err.getMessage()))
        .onSuccess(v -> lastFinished = System.nanoTime());
  }

  /**
   * Why this member is stuck, or null: it holds polled records and has finished none of them (handled or
   * parked) for {@code stuckMs}. A member waiting for records, or draining, is not stuck.
   */
  public String stuck(long stuckMs) {
    long since = holdingSince;
    if (stopping || since == 0) {
      return null;
    }
    long quiet = System.nanoTime() - Math.max(since, lastFinished);
    return quiet > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(stuckMs)
        ? group + " has held records for " + java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(quiet)
            + " s without finishing one"
        : null;
  }

  private Future<Void> attempt(Event event, int attempt) {
    Future<Void> result;
    try {
      result = handler.handle(event);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.onSuccess(v -> handled.increment()).recover(err -> {
      if (attempt >= retry.maxAttempts()) {
        return Future.failedFuture(err);
      }
      long backoff = Math.min(retry.maxBackoffMs(), retry.firstBackoffMs() << (attempt - 1));
      LOG.fine(() -> group + ": " + event.type() + " for order " + event.orderId() + " failed (attempt "
          + attempt + "), retrying in " + backoff + " ms: " + err.getMessage());
      return vertx.timer(backoff).compose(t -> attempt(event, attempt + 1));
    });
  }

  private Future<Void> deadLetter(KafkaConsumerRecord<String, String> record, String reason) {
    LOG.warning(group + ": parking " + record.topic() + "/" + record.partition() + "@" + record.offset()
        + " (key " + record.key() + ") on " + Topics.dlq(record.topic()) + ": " + reason);
    Map<String, String> headers = new HashMap<>();
    headers.put("cafe-error", reason);
    headers.put("cafe-consumer-group", group);
    headers.put("cafe-origin", record.topic() + "/" + record.partition() + "@" + record.offset());
    return deadLetters.send(Topics.dlq(record.topic()), record.key(), record.value(), headers)
        .onSuccess(v -> deadLettered.increment());
  }

  /**
   * Notes offsets as done and commits them at most every {@code CONSUMER_COMMIT_INTERVAL_MS} (at once
   * when {@code now}): a commit per poll would cost the broker more than the events. Offsets are only
   * ever committed after the effect, so a crash before the commit means redelivery, which the inbox absorbs.
   */
  private Future<Void> commitSoon(Map<TopicPartition, Long> done, boolean now) {
    pendingCommits.putAll(done);
    if (now || System.nanoTime() - lastCommitNanos >= commitIntervalNanos) {
      return flushCommits();
    }
    return Future.succeededFuture();
  }

  private Future<Void> flushCommits() {
    if (pendingCommits.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, Long> done = new LinkedHashMap<>(pendingCommits);
    pendingCommits.clear();
    lastCommitNanos = System.nanoTime();
    return commit(done);
  }

  private Future<Void> commit(Map<TopicPartition, Long> done) {
    if (done.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    done.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset + 1, "")));
    // A commit lost to a rebalance only means redelivery, which the inbox absorbs.
    return consumer.commit(offsets).<Void>mapEmpty().recover(err -> {
      LOG.info(group + ": commit failed, events will be redelivered: " + err.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Seeks each partition back to its first record not done. */
  private Future<Void> rewind(Map<TopicPartition, Long> firstNotDone) {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<TopicPartition, Long> e : firstNotDone.entrySet()) {
      chain = chain.compose(v -> consumer.seek(e.getKey(), e.getValue()));
    }
    return chain.recover(err -> Future.succeededFuture());
  }
}
