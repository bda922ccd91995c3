package cafe.common.kafka;

import cafe.common.config.ConfigException;
import cafe.common.events.Topics;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import java.util.Collection;

/**
 * A service's Kafka: topics ensured at start (failing fast with the setting's name when the
 * broker cannot be reached), one publisher, consumers that stop before the clients close. Kafka is
 * watched, not a readiness check: with the outbox a service answers HTTP while Kafka is away. A consumer
 * stuck on a batch fails liveness.
 */
public final class Messaging {
  private final ServiceRuntime runtime;
  private final KafkaSettings settings;
  private final KafkaAdminClient admin;
  private final EventPublisher publisher;

  private Messaging(ServiceRuntime runtime, KafkaSettings settings, KafkaAdminClient admin, EventPublisher publisher) {
    this.runtime = runtime;
    this.settings = settings;
    this.admin = admin;
    this.publisher = publisher;
  }

  public static Future<Messaging> start(ServiceRuntime runtime) {
    KafkaSettings settings = KafkaSettings.from(runtime.env());
    KafkaAdminClient admin = settings.adminClient(runtime.vertx(), runtime.name() + "-admin");
    return settings.ensureTopics(admin, Topics.ALL)
        .recover(err -> admin.close().transform(x -> Future.failedFuture(new ConfigException(
            KafkaSecurity.refusedCredentials(err)
                ? "KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (or the pod's IAM role): Kafka at "
                    + settings.bootstrapServers() + " refused them: " + oneLine(err)
                : "KAFKA_BOOTSTRAP_SERVERS=" + settings.bootstrapServers() + " cannot be reached: " + oneLine(err)))))
        .map(v -> {
          EventPublisher publisher = EventPublisher.create(runtime.vertx(), settings, runtime.name());
          runtime.onStop(admin::close);
          runtime.onStop(publisher::close);
          runtime.watch("kafka", admin::listTopics);
          return new Messaging(runtime, settings, admin, publisher);
        });
  }

  private static String oneLine(Throwable err) {
    String message = String.valueOf(err.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  public KafkaSettings settings() {
    return settings;
  }

  public EventPublisher publisher() {
    return publisher;
  }

  /**
   * The same, applying whole polls at once with {@code batch} ({@link EventConsumer.BatchHandler}) and
   * one event at a time with {@code handler} when a batch fails.
   */
  public Future<EventConsumer> consume(String group, Collection<String> topics, EventConsumer.Handler handler,
      EventConsumer.BatchHandler batch) {
    return consume(group, topics, handler).map(consumer -> consumer.inBatches(batch));
  }

  /**
   * Starts a consumer group member; it stops (finishing and committing its batch) at shutdown. Liveness
   * fails while it holds records and has finished none for {@code CONSUMER_STUCK_MS} (120 s).
   */
  public Future<EventConsumer> consume(String group, Collection<String> topics, EventConsumer.Handler handler) {
    long stuckMs = runtime.env().millis("CONSUMER_STUCK_MS", EventConsumer.DEFAULT_STUCK_MS);
    return EventConsumer.start(runtime.vertx(), settings, group, topics, handler, publisher,
            EventConsumer.Retry.from(runtime.env()), runtime.metrics(),
            runtime.env().integer("CONSUMER_CONCURRENCY", EventConsumer.DEFAULT_CONCURRENCY),
            runtime.env().millis("CONSUMER_COMMIT_INTERVAL_MS", EventConsumer.DEFAULT_COMMIT_INTERVAL_MS))
        .onSuccess(consumer -> {
          runtime.onStop(consumer::stop);
          runtime.liveUnless("consumer-" + group, () -> consumer.stuck(stuckMs));
        });
  }
}
