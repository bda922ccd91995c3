package cafe.gateway.proxy;

import cafe.gateway.proxy.Upstream.Answer;
import cafe.gateway.proxy.Upstream.UnavailableAnswer;
import cafe.gateway.proxy.Upstream.Upgrade;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.ConnectException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One instance of a service (one URL), with its own circuit breaker. When a service has several
 * instances the gateway also keeps track of whether each one is ready: its {@code /health/ready}
 * answers 200 and it has not refused a connection since.
 */
final class Instance {
  private static final Logger LOG = Logger.getLogger(Instance.class.getName());
  private static final String READY_PATH = "/health/ready";

  private final String service;
  private final String label;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final long timeoutMs;
  private final CircuitBreaker breaker;
  private final HttpClient http;
  private final WebSocketClient webSockets;
  private final AtomicBoolean probing = new AtomicBoolean();
  /** Readiness matters only where there is another instance to send to. */
  private final boolean balanced;
  private volatile boolean ready = true;

  Instance(Vertx vertx, String service, URI url, boolean alone, long timeoutMs, int maxFailures, long resetMs,
           HttpClient http, WebSocketClient webSockets) {
    this.service = service;
    this.ssl = "https".equalsIgnoreCase(url.getScheme());
    this.host = url.getHost();
    this.port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
    this.label = alone ? service : service + " at " + host + ":" + port;
    this.balanced = !alone;
    this.timeoutMs = timeoutMs;
    this.http = http;
    this.webSockets = webSockets;
    this.breaker = CircuitBreaker.create(alone ? "upstream-" + service : "upstream-" + service + "-" + host + ":" + port,
            vertx, new CircuitBreakerOptions()
                .setMaxFailures(maxFailures)
                .setTimeout(timeoutMs)
                .setResetTimeout(resetMs)
                .setNotificationAddress(null))
        .openHandler(v -> LOG.warning("circuit to " + label + " opened: answering 503 at once for "
            + resetMs + " ms"))
        .halfOpenHandler(v -> LOG.info("circuit to " + label + " half-open: trying one call"))
        .closeHandler(v -> LOG.info("circuit to " + label + " closed: " + label + " answers again"));
  }

  String label() {
    return label;
  }

  /** host:port, for the breaker's gauge. */
  String address() {
    return host + ":" + port;
  }

  /** The circuit as a number for cafe_breaker_state: 0 closed, 1 half-open, 2 open. */
  int breakerState() {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** Worth sending to first: ready as far as the gateway knows, and its circuit not open. */
  boolean available() {
    return ready && breaker.state() != CircuitBreakerState.OPEN;
  }

  /** One request through this instance's circuit; 502/503/504 answers fail it with {@link UnavailableAnswer}. */
  Future<Answer> attempt(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body) {
    // The circuit's timeout decides; the connection's own idle timeout is only a backstop.
    RequestOptions options = new RequestOptions()
        .setMethod(method)
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(pathAndQuery)
        .setHeaders(headers)
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs * 2);
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    return breaker.<Answer>execute(() -> http.request(options)
        .compose(request -> {
          sent.set(request);
          return body == null ? request.send() : request.send(body);
        })
        .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(), response.headers(), bytes)))
        .compose(answer -> Upstream.unavailable(answer)
            ? Future.failedFuture(new UnavailableAnswer(answer))
            : Future.succeededFuture(answer)))
        .onFailure(err -> {
          HttpClientRequest request = sent.get();
          if (err instanceof io.vertx.circuitbreaker.TimeoutException && request != null) {
            // Given up on: free the connection instead of waiting for an answer nobody will read.
            request.reset();
          }
          if (err instanceof ConnectException) {
            markNotReady("refused a connection");
          }
        });
  }

  /**
   * Opens a WebSocket to this instance through its circuit; a refusal with a 4xx is the service's
   * answer. The socket comes paused: resume it once its messages have somewhere to go.
   */
  Future<Upgrade> connect(String pathAndQuery, MultiMap headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(pathAndQuery)
        .setHeaders(headers)
        .setConnectTimeout(timeoutMs)
        .setTimeout(timeoutMs * 2);
    AtomicBoolean abandoned = new AtomicBoolean();
    return breaker.<Upgrade>execute(() -> webSockets.connect(options)
        .onSuccess(socket -> {
          // Held until the caller's side is joined to it, so a first message is not lost.
          socket.pause();
          if (abandoned.get()) {
            // Opened after the circuit gave up on it: nobody is on the other end.
            socket.close();
          }
        })
        .map(socket -> new Upgrade(socket, null))
        .recover(err -> err instanceof UpgradeRejectedException refused && !Upstream.unavailable(refused.getStatus())
            ? Future.succeededFuture(new Upgrade(null, refused))
            : Future.failedFuture(err)))
        .onFailure(err -> {
          abandoned.set(true);
          if (err instanceof ConnectException) {
            markNotReady("refused a connection");
          }
        });
  }

  /**
   * Asks the instance's {@code /health/ready}; one probe at a time. An instance that turns ready
   * again gets its circuit closed, so it takes its share at once instead of after the reset time.
   */
  void probe() {
    if (!probing.compareAndSet(false, true)) {
      return;
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(READY_PATH)
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs);
    http.request(options)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(bytes -> response.statusCode()))
        .onComplete(ar -> {
          probing.set(false);
          if (ar.succeeded() && ar.result() == 200) {
            markReady();
          } else {
            markNotReady(ar.succeeded() ? "is not ready (" + READY_PATH + " answered " + ar.result() + ")"
                : "did not answer " + READY_PATH + ": " + ar.cause().getMessage());
          }
        });
  }

  private void markReady() {
    if (balanced && !ready) {
      ready = true;
      if (breaker.state() != CircuitBreakerState.CLOSED) {
        breaker.reset();
      }
      LOG.info(label + " is ready: sending it requests again");
    }
  }

  private void markNotReady(String why) {
    if (balanced && ready) {
      ready = false;
      LOG.info(label + " " + why + ": sending its share to the other " + service + " instances until it is ready");
    }
  }
}
