package cafe.mypage;

import cafe.common.events.Event;
import cafe.infra.TestInfra;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes events to the real topics as the other services would: keyed by order id, one envelope each. */
final class Kafka implements AutoCloseable {
  private final KafkaProducer<String, String> producer;

  Kafka() {
    Properties p = new Properties();
    p.put("bootstrap.servers", TestInfra.shared().kafkaBootstrap());
    p.put("key.serializer", StringSerializer.class.getName());
    p.put("value.serializer", StringSerializer.class.getName());
    p.put("acks", "all");
    p.put("linger.ms", "0");
    producer = new KafkaProducer<>(p);
  }

  void publish(Sent... events) throws Exception {
    for (Sent sent : events) {
      producer.send(new ProducerRecord<>(sent.topic(), sent.event().orderId(), sent.event().encode()))
          .get(10, TimeUnit.SECONDS);
    }
  }

  /** An event and the topic its service writes it to. */
  record Sent(String topic, Event event) {
  }

  @Override
  public void close() {
    producer.close();
  }
}
