package cafe.gateway.proxy;

import cafe.gateway.GatewaySettings;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One service behind the gateway, called through its own circuit breaker: after
 * {@code BREAKER_MAX_FAILURES} calls without an answer (refused, timed out, or answered 502/503/504)
 * the circuit opens and calls fail at once, without touching the service, for
 * {@code BREAKER_RESET_MS}; then one call tries again and closes it on success.
 */
public final class Upstream {
  private static final Logger LOG = Logger.getLogger(Upstream.class.getName());

  private final String name;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final long timeoutMs;
  private final int retryAfterSeconds;
  private final CircuitBreaker breaker;
  private final HttpClient http;
  private final WebSocketClient webSockets;

  /** An answer the service gave, read whole (answers are small JSON documents). */
  public record Answer(int status, MultiMap headers, Buffer body) {
  }

  /** The service answered, but with "I cannot serve now": counts against its circuit, and is passed on as it came. */
  public static final class UnavailableAnswer extends RuntimeException {
    private final transient Answer answer;

    UnavailableAnswer(Answer answer) {
      super("answered " + answer.status(), null, false, false);
      this.answer = answer;
    }

    public Answer answer() {
      return answer;
    }
  }

  /** The service refused the WebSocket upgrade for a reason of its own (401, 403, 404). */
  public record Upgrade(WebSocket socket, UpgradeRejectedException refused) {
  }

  Upstream(Vertx vertx, GatewaySettings.Upstream settings, int maxFailures, long resetMs, HttpClient http,
           WebSocketClient webSockets) {
    this.name = settings.name();
    URI url = settings.url();
    this.ssl = "https".equalsIgnoreCase(url.getScheme());
    this.host = url.getHost();
    this.port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
    this.timeoutMs = settings.timeoutMs();
    this.retryAfterSeconds = (int) Math.max(1, (resetMs + 999) / 1000);
    this.http = http;
    this.webSockets = webSockets;
    this.breaker = CircuitBreaker.create("upstream-" + name, vertx, new CircuitBreakerOptions()
            .setMaxFailures(maxFailures)
            .setTimeout(timeoutMs)
            .setResetTimeout(resetMs)
            .setNotificationAddress(null))
        .openHandler(v -> LOG.warning("circuit to " + name + " opened: answering 503 at once for "
            + resetMs + " ms"))
        .halfOpenHandler(v -> LOG.info("circuit to " + name + " half-open: trying one call"))
        .closeHandler(v -> LOG.info("circuit to " + name + " closed: " + name + " answers again"));
  }

  public String name() {
    return name;
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /**
   * Sends one request to the service. A GET that got no answer, or an "unavailable" one, is tried
   * once more (reads are safe to repeat; anything else is sent once only).
   */
  public Future<Answer> send(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body) {
    Future<Answer> first = attempt(method, pathAndQuery, headers, body);
    if (method != HttpMethod.GET) {
      return first;
    }
    return first.recover(err -> worthRetrying(err) ? attempt(method, pathAndQuery, headers, body) : first);
  }

  private static boolean worthRetrying(Throwable err) {
    return !(err instanceof OpenCircuitException) && !(err instanceof io.vertx.circuitbreaker.TimeoutException);
  }

  private Future<Answer> attempt(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body) {
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
        .compose(answer -> unavailable(answer.status())
            ? Future.failedFuture(new UnavailableAnswer(answer))
            : Future.succeededFuture(answer)))
        .onFailure(err -> {
          HttpClientRequest request = sent.get();
          if (err instanceof io.vertx.circuitbreaker.TimeoutException && request != null) {
            // Given up on: free the connection instead of waiting for an answer nobody will read.
            request.reset();
          }
        });
  }

  /**
   * Opens a WebSocket to the service through the same circuit; a refusal with a 4xx is the
   * service's answer. The socket comes paused: resume it once its messages have somewhere to go.
   */
  public Future<Upgrade> connect(String pathAndQuery, MultiMap headers) {
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
        .recover(err -> err instanceof UpgradeRejectedException refused && !unavailable(refused.getStatus())
            ? Future.succeededFuture(new Upgrade(null, refused))
            : Future.failedFuture(err)))
        .onFailure(err -> abandoned.set(true));
  }

  private static boolean unavailable(int status) {
    return status == 502 || status == 503 || status == 504;
  }
}
