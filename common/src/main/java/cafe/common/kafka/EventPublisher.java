package cafe.common.kafka;

import cafe.common.events.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Map;

/** Sends events to Kafka keyed by order id. Used by the outbox relays and for dead letters. */
public final class EventPublisher {
  private final KafkaProducer<String, String> producer;

  private EventPublisher(KafkaProducer<String, String> producer) {
    this.producer = producer;
  }

  public static EventPublisher create(Vertx vertx, KafkaSettings kafka, String clientId) {
    return new EventPublisher(KafkaProducer.create(vertx, kafka.producer(clientId)));
  }

  public Future<Void> publish(String topic, Event event) {
    return send(topic, event.orderId(), event.encode(), Map.of());
  }

  /** Sends a raw value as it is, with headers (a dead letter keeps the bytes it came with). */
  public Future<Void> send(String topic, String key, String value, Map<String, String> headers) {
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(topic, key, value);
    headers.forEach(record::addHeader);
    return producer.send(record).mapEmpty();
  }

  public Future<Void> close() {
    return producer.close();
  }
}
