package cafe.resilience;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads an instance's own Prometheus counters. */
final class Metrics {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();

  private Metrics() {
  }

  /** {@code POST /orders} this instance (this run of it) has answered. */
  static long ordersPlaced(ProcessStack stack, String instance) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(instance) + "/metrics"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    String text = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("vertx_http_server_requests_total{") && line.contains("method=\"POST\"")
          && line.contains("route=\"/orders\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) total;
  }
}
