package cafe.common.kafka;

import static cafe.common.Await.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.Eventually;
import cafe.common.config.Env;
import cafe.common.events.Event;
import cafe.common.launch.ServiceRuntime;
import cafe.infra.TestInfra;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Liveness with a consumer: a member stuck on its records fails it, so Kubernetes restarts the pod. */
class ConsumerHealthIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aConsumerWhoseHandlerNeverFinishesFailsLivenessAndAnIdleOneDoesNot() throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("stuck-it", new Env(Map.of(
        "KAFKA_BOOTSTRAP_SERVERS", TestInfra.shared().kafkaBootstrap(),
        "HTTP_INSTANCES", "1",
        "CONSUMER_STUCK_MS", "1500")));
    Messaging messaging = await(Messaging.start(runtime));
    String topic = "it.stuck." + UUID.randomUUID();
    String group = "stuck-" + UUID.randomUUID();
    Promise<Void> never = Promise.promise();
    AtomicInteger received = new AtomicInteger();
    await(messaging.consume(group, List.of(topic), event -> {
      received.incrementAndGet();
      return never.future();
    }));
    int port = await(runtime.serve(0, router -> { }));
    try {
      // Waiting for records is not being stuck, however long it lasts.
      Eventually.await(Duration.ofSeconds(10), () -> live(port).statusCode() == 200);
      await(messaging.publisher().publish(topic, Event.of("it", "Poured", "order-" + UUID.randomUUID(),
          new JsonObject())));
      Eventually.await(Duration.ofSeconds(30), () -> received.get() == 1);
      Eventually.await(Duration.ofSeconds(20), () -> live(port).statusCode() == 503);
      String body = live(port).body();
      assertTrue(body.contains("consumer-" + group) && body.contains("without finishing one"), body);
    } finally {
      // Let the record finish, so the drain has nothing left to wait for.
      never.complete();
    }
    Eventually.await(Duration.ofSeconds(10), () -> live(port).statusCode() == 200);
    await(runtime.shutdown());
  }

  private static HttpResponse<String> live(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
