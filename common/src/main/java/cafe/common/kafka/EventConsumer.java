package cafe.common.kafka;

import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import io.micrometer.core.instrument.Counter;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * At-least-once consumption with an exactly-once effect: records are handled one after another
 * (so one order's events keep their order), offsets are committed only after the handler's effect
 * is stored, a failing event is retried with backoff, and after {@code maxAttempts} it is parked
 * on {@code <topic>.dlq} so it never blocks its partition. The handler must be idempotent (inbox).
 */
public final class EventConsumer {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class.getName());

  /** Applies one event; fails to be retried. */
  @FunctionalInterface
  public interface Handler {
    Future<Void> handle(Event event);
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
  private final Retry retry;
  private final String group;
  private final Promise<Void> stopped = Promise.promise();
  private final Counter handled;
  private final Counter deadLettered;
  private volatile boolean stopping;

  private EventConsumer(Vertx vertx, KafkaConsumer<String, String> consumer, EventPublisher deadLetters,
      Handler handler, Retry retry, String group, MeterRegistry metrics) {
    this.vertx = vertx;
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
    KafkaConsumer<String, String> consumer =
        KafkaConsumer.create(vertx, kafka.consumer(group, group + "-" + ProcessHandle.current().pid()));
    EventConsumer self = new EventConsumer(vertx, consumer, deadLetters, handler, retry, group, metrics);
    return consumer.subscribe(new HashSet<>(topics)).map(v -> {
      self.loop();
      return self;
    });
  }

  /** Finishes the batch in hand, commits it and closes the consumer. */
  public Future<Void> stop() {
    stopping = true;
    return stopped.future().eventually(consumer::close);
  }

  private void loop() {
    if (stopping) {
      stopped.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(250))
        .compose(this::handleBatch)
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.log(Level.WARNING, group + ": batch not finished, retrying: " + ar.cause().getMessage());
            vertx.setTimer(retry.firstBackoffMs(), t -> loop());
          } else {
            loop();
          }
        });
  }

  /**
   * Handles the records in order and commits what was done. If one cannot even be parked (Kafka is
   * down), the partitions are rewound to the first record not done, so nothing is skipped.
   */
  private Future<Void> handleBatch(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, Long> done = new LinkedHashMap<>();
    Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      firstOffsets.putIfAbsent(tp, record.offset());
      chain = chain.compose(v -> handleRecord(record).onSuccess(x -> done.put(tp, record.offset())));
    }
    return chain.transform(ar -> commit(done).compose(c -> ar.succeeded()
        ? Future.<Void>succeededFuture()
        : rewind(firstOffsets, done).compose(x -> Future.<Void>failedFuture(ar.cause()))));
  }

  private Future<Void> handleRecord(KafkaConsumerRecord<String, String> record) {
    Event event;
    try {
      event = Event.parse(record.value());
    } catch (BadEventException e) {
      return deadLetter(record, "unreadable event: " + e.getMessage());
    }
    return attempt(event, 1).recover(err -> deadLetter(record,
        event.type() + " " + event.id() + " failed " + retry.maxAttempts() + " times: " + err.getMessage()));
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

  private Future<Void> rewind(Map<TopicPartition, Long> firstOffsets, Map<TopicPartition, Long> done) {
    Future<Void> chain = Future.succeededFuture();
    Set<TopicPartition> partitions = firstOffsets.keySet();
    for (TopicPartition tp : partitions) {
      long next = done.containsKey(tp) ? done.get(tp) + 1 : firstOffsets.get(tp);
      chain = chain.compose(v -> consumer.seek(tp, next));
    }
    return chain.recover(err -> Future.succeededFuture());
  }
}
