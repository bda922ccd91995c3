package cafe.gateway.proxy;

import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.gateway.GatewaySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One service behind the gateway, called through a circuit breaker per instance: after
 * {@code BREAKER_MAX_FAILURES} calls without an answer (refused, timed out, or answered 502/503/504)
 * the circuit opens and calls fail at once, without touching the instance, for
 * {@code BREAKER_RESET_MS}; then one call tries again and closes it on success.
 *
 * <p>A service given as several URLs is balanced round-robin over its instances. Each is asked for
 * {@code /health/ready} every {@code UPSTREAM_PROBE_MS}; one that is not ready (draining before a
 * restart, say), refused a connection, or whose circuit is open is skipped while another is there.
 * A call that never reached an instance (refused, open circuit) goes to the next one; so does one
 * that got no answer when it is safe to repeat: a GET, or a request with an {@code Idempotency-Key}.
 */
public final class Upstream {
  private static final Logger LOG = Logger.getLogger(Upstream.class.getName());
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final String name;
  private final long timeoutMs;
  private final int retryAfterSeconds;
  private final List<Instance> instances;
  private final AtomicInteger next = new AtomicInteger();
  private final Vertx vertx;
  private final long probeTimer;

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
    this.vertx = vertx;
    this.name = settings.name();
    this.timeoutMs = settings.timeoutMs();
    this.retryAfterSeconds = (int) Math.max(1, (resetMs + 999) / 1000);
    boolean alone = settings.urls().size() == 1;
    List<Instance> all = new ArrayList<>();
    for (URI url : settings.urls()) {
      all.add(new Instance(vertx, name, url, alone, timeoutMs, maxFailures, resetMs, http, webSockets));
    }
    this.instances = List.copyOf(all);
    // One URL is a load balancer's or a Service's, which keeps its own endpoints: nothing to probe.
    this.probeTimer = alone ? -1 : vertx.setPeriodic(1, settings.probeMs(), t -> instances.forEach(Instance::probe));
  }

  public String name() {
    return name;
  }

  /** One gauge per instance: {@code cafe_breaker_state{upstream,instance}}, 0 closed, 1 half-open, 2 open. */
  void registerBreakerGauges(MeterRegistry metrics) {
    for (Instance instance : instances) {
      Gauge.builder("cafe_breaker_state", instance, Instance::breakerState)
          .description("circuit to a service behind the gateway: 0 closed, 1 half-open, 2 open")
          .tags("upstream", name, "instance", instance.address())
          .register(metrics);
    }
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /**
   * Sends one request to the service. With one instance, a GET that got no answer, or an
   * "unavailable" one, is tried once more (reads are safe to repeat; anything else is sent once
   * only). With several, see the class comment.
   */
  public Future<Answer> send(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body) {
    if (instances.size() == 1) {
      Instance only = instances.get(0);
      Future<Answer> first = only.attempt(method, pathAndQuery, headers, body);
      if (method != HttpMethod.GET) {
        return first;
      }
      return first.recover(err -> worthRetrying(err) ? only.attempt(method, pathAndQuery, headers, body) : first);
    }
    boolean repeatable = method == HttpMethod.GET || method == HttpMethod.HEAD || headers.contains(IDEMPOTENCY_KEY);
    return inTurn(candidates(), 0, repeatable, headers,
        instance -> instance.attempt(method, pathAndQuery, headers, body));
  }

  private static boolean worthRetrying(Throwable err) {
    return !(err instanceof OpenCircuitException) && !(err instanceof io.vertx.circuitbreaker.TimeoutException);
  }

  /**
   * Opens a WebSocket to the service through the same circuits; a refusal with a 4xx is the
   * service's answer. The socket comes paused: resume it once its messages have somewhere to go.
   * A handshake is a GET, so a failed one may be tried on the next instance.
   */
  public Future<Upgrade> connect(String pathAndQuery, MultiMap headers) {
    if (instances.size() == 1) {
      return instances.get(0).connect(pathAndQuery, headers);
    }
    return inTurn(candidates(), 0, true, headers, instance -> instance.connect(pathAndQuery, headers));
  }

  /** Stops asking the instances whether they are ready. */
  void close() {
    if (probeTimer >= 0) {
      vertx.cancelTimer(probeTimer);
    }
  }

  /** Every instance, the next in turn first, those worth sending to before the others. */
  private List<Instance> candidates() {
    int count = instances.size();
    int first = Math.floorMod(next.getAndIncrement(), count);
    List<Instance> ordered = new ArrayList<>(count);
    List<Instance> skipped = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instance instance = instances.get((first + i) % count);
      (instance.available() ? ordered : skipped).add(instance);
    }
    // When none is known to be fine, they are still tried: their circuits decide.
    ordered.addAll(skipped);
    return ordered;
  }

  private <T> Future<T> inTurn(List<Instance> candidates, int index, boolean repeatable, MultiMap headers,
                               Function<Instance, Future<T>> call) {
    Instance instance = candidates.get(index);
    return call.apply(instance).recover(err -> {
      boolean last = index + 1 >= candidates.size();
      if (last || !mayTryAnother(err, repeatable)) {
        return Future.failedFuture(err);
      }
      LOG.info(instance.label() + " gave no answer (" + describe(err) + "); trying " + candidates.get(index + 1).label()
          + " [request " + headers.get(RequestId.HEADER) + "]");
      return inTurn(candidates, index + 1, repeatable, headers, call);
    });
  }

  /**
   * Whether a call that failed on one instance may go to another: always when it never reached the
   * instance; never after its timeout (the caller's time is spent, and the instance may still act on
   * it); otherwise (the connection closed without an answer, or a 502/503/504) when it is repeatable.
   */
  static boolean mayTryAnother(Throwable err, boolean repeatable) {
    if (err instanceof OpenCircuitException || err instanceof ConnectException) {
      return true;
    }
    if (err instanceof io.vertx.circuitbreaker.TimeoutException) {
      return false;
    }
    return repeatable;
  }

  private static String describe(Throwable err) {
    if (err instanceof OpenCircuitException) {
      return "its circuit is open";
    }
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  static boolean unavailable(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /**
   * Whether an answer says the service cannot serve now. A 503 "busy" is not that: the service is up and
   * refuses work it could not finish in time (flow control), so it goes to the client as it came and does
   * not count against the circuit, which would otherwise open on the service's own load shedding.
   */
  static boolean unavailable(Answer answer) {
    return unavailable(answer.status()) && !busy(answer);
  }

  static boolean busy(Answer answer) {
    if (answer.status() != 503 || answer.body() == null || answer.body().length() == 0) {
      return false;
    }
    try {
      Object type = answer.body().toJsonObject().getValue("type");
      return type instanceof String t && t.equals(Problem.TYPE_PREFIX + ProblemException.BUSY);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
