package cafe.gateway.proxy;

import cafe.gateway.GatewaySettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every service behind the gateway, sharing one pooled HTTP client (keep-alive) and one WebSocket client. */
public final class Upstreams {
  /** Live-status sockets are long-lived, one per open page: allow many per service. */
  private static final int MAX_WEBSOCKETS = 100_000;

  private final Map<String, Upstream> byName;
  private final HttpClient http;
  private final WebSocketClient webSockets;

  private Upstreams(Map<String, Upstream> byName, HttpClient http, WebSocketClient webSockets) {
    this.byName = byName;
    this.http = http;
    this.webSockets = webSockets;
  }

  public static Upstreams create(Vertx vertx, GatewaySettings settings) {
    HttpClient http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setKeepAliveTimeout(30))
        .with(new PoolOptions().setHttp1MaxSize(settings.upstreamPoolSize()).setMaxWaitQueueSize(4096))
        .build();
    WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(MAX_WEBSOCKETS));
    Map<String, Upstream> byName = new LinkedHashMap<>();
    settings.upstreams().forEach((name, upstream) -> byName.put(name, new Upstream(vertx, upstream,
        settings.breakerMaxFailures(), settings.breakerResetMs(), http, webSockets)));
    return new Upstreams(Map.copyOf(byName), http, webSockets);
  }

  /** Exports every upstream's circuits as {@code cafe_breaker_state}. */
  public Upstreams withMetrics(MeterRegistry metrics) {
    byName.values().forEach(upstream -> upstream.registerBreakerGauges(metrics));
    return this;
  }

  public Upstream get(String name) {
    Upstream upstream = byName.get(name);
    if (upstream == null) {
      throw new IllegalArgumentException("no upstream named " + name);
    }
    return upstream;
  }

  public Future<Void> close() {
    byName.values().forEach(Upstream::close);
    return Future.join(http.close(), webSockets.close()).mapEmpty();
  }
}
