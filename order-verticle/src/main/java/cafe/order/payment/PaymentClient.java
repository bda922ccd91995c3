package cafe.order.payment;

import cafe.common.http.RequestId;
import cafe.common.http.ServerTiming;
import cafe.order.payment.ChargeOutcome.Approved;
import cafe.order.payment.ChargeOutcome.Declined;
import cafe.order.payment.ChargeOutcome.Unsettled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Charges orders through payment's {@code POST /payments}, inside a circuit breaker. Payment
 * de-duplicates by order id, so a charge may be sent as often as needed and is taken once.
 *
 * <p>A charge's timeout counts from when it is sent, not from when the order arrived: time spent in our own
 * queues is not payment's. At most {@code PAYMENT_MAX_CONCURRENT_CHARGES}
 * charges are in flight (a bulkhead); one more is not sent and stays Unsettled.
 *
 * <p>The circuit opens when, over the last {@code PAYMENT_BREAKER_WINDOW_MS} and at least
 * {@code PAYMENT_BREAKER_MIN_CALLS} calls, {@code PAYMENT_BREAKER_FAILURE_PERCENT} of them got no answer
 * (timeout, refused, 5xx), or {@code PAYMENT_SLOW_CALL_PERCENT} were slow by payment's own account (its
 * {@code Server-Timing} over {@code PAYMENT_SLOW_CALL_MS}). A decline is an answer. While the circuit is open
 * charges fail at once (Unsettled); after {@code PAYMENT_BREAKER_RESET_MS} one probe goes through (half-open),
 * which closes it on an answer and opens it again on a failure.
 */
public final class PaymentClient {
  private static final Logger LOG = Logger.getLogger(PaymentClient.class.getName());

  private final WebClient client;
  private final CircuitBreaker breaker;
  private final PaymentSettings settings;
  private final Counter approved;
  private final Counter declined;
  private final Counter unsettled;
  private final ChargeRecord record;
  private final AtomicInteger inFlight = new AtomicInteger();

  public PaymentClient(Vertx vertx, PaymentSettings settings, MeterRegistry metrics) {
    this.settings = settings;
    boolean tls = "https".equalsIgnoreCase(settings.url().getScheme());
    int port = settings.url().getPort() > 0 ? settings.url().getPort() : tls ? 443 : 80;
    WebClientOptions options = new WebClientOptions()
        .setDefaultHost(settings.url().getHost())
        .setDefaultPort(port)
        .setSsl(tls)
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeoutMs()));
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(settings.poolSize()));
    this.record = new ChargeRecord(settings.breakerWindowMs(), 10, settings.breakerMinCalls(),
        settings.breakerFailurePercent() / 100.0, settings.slowCallPercent() / 100.0, System::nanoTime);
    // The record decides when to open: the breaker's own count of failures never trips it. Each call brings
    // its own deadline (the request path's is shorter than the retrier's).
    this.breaker = CircuitBreaker.create("payment", vertx, new CircuitBreakerOptions()
            .setMaxFailures(Integer.MAX_VALUE)
            .setResetTimeout(settings.breakerResetMs())
            .setTimeout(-1)
            .setFallbackOnFailure(false)
            .setNotificationAddress(null))
        .halfOpenHandler(v -> LOG.info("payment circuit HALF-OPEN: probing payment"))
        .closeHandler(v -> LOG.info("payment circuit CLOSED: payment answers again"));
    Counter opened = Counter.builder("cafe_payment_circuit_opened").description("times the payment circuit opened")
        .register(metrics);
    breaker.openHandler(v -> {
      opened.increment();
      record.clear();
      LOG.warning("payment circuit OPEN: charges are kept PAYMENT_PENDING and retried later");
    });
    Gauge.builder("cafe_payment_circuit_state", breaker, b -> switch (b.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    }).description("payment circuit: 0 closed, 1 half-open, 2 open").register(metrics);
    this.approved = charges(metrics, "approved");
    this.declined = charges(metrics, "declined");
    this.unsettled = charges(metrics, "unsettled");
    Gauge.builder("cafe_payment_charges_in_flight", inFlight, AtomicInteger::get)
        .description("charges sent to payment and not answered yet").register(metrics);
  }

  private static Counter charges(MeterRegistry metrics, String outcome) {
    return Counter.builder("cafe_payment_charges").tag("outcome", outcome).register(metrics);
  }

  public boolean circuitOpen() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }

  public boolean circuitHalfOpen() {
    return breaker.state() == CircuitBreakerState.HALF_OPEN;
  }

  /** Charges sent and not answered yet. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The charge's outcome; never fails: no answer is {@link Unsettled}. */
  public Future<ChargeOutcome> charge(UUID orderId, String customerId, long amount, String card, String bearer,
      long timeoutMs, String requestId) {
    JsonObject body = new JsonObject()
        .put("orderId", orderId.toString())
        .put("customerId", customerId)
        .put("amount", amount)
        .put("card", card);
    String credential = settings.serviceToken().orElse(bearer);
    if (inFlight.incrementAndGet() > settings.maxConcurrentCharges()) {
      inFlight.decrementAndGet();
      unsettled.increment();
      return Future.succeededFuture(new Unsettled("already " + settings.maxConcurrentCharges()
          + " charges in flight"));
    }
    boolean probe = breaker.state() == CircuitBreakerState.HALF_OPEN;
    return breaker.<ChargeOutcome>execute(() -> {
      var request = client.post("/payments")
          .putHeader(RequestId.HEADER, requestId)
          .idleTimeout(timeoutMs);
      if (credential != null) {
        request.bearerTokenAuthentication(credential);
      }
      // The clock starts as the charge leaves (connecting included): time spent before, in our own queues, is not
      // payment's. The bulkhead keeps charges within the pool, so none waits for a connection.
      return request.sendJsonObject(body).timeout(timeoutMs, TimeUnit.MILLISECONDS).compose(response -> {
        if (response.statusCode() < 500) {
          note(probe, slow(response) ? ChargeRecord.Outcome.SLOW : ChargeRecord.Outcome.ANSWERED);
        }
        // A 5xx fails the call and is noted as a failure below.
        return outcome(response);
      });
    }).recover(err -> {
      if (!(err instanceof OpenCircuitException)) {
        note(probe, ChargeRecord.Outcome.FAILED);
      }
      return Future.succeededFuture(new Unsettled(why(err, timeoutMs)));
    }).onComplete(ar -> inFlight.decrementAndGet())
        .onSuccess(outcome -> {
          if (outcome instanceof Approved) {
            approved.increment();
          } else if (outcome instanceof Declined) {
            declined.increment();
          } else {
            unsettled.increment();
          }
        });
  }

  /** Notes a call's outcome: the circuit opens when the record says so, or when a half-open probe failed. */
  private void note(boolean probe, ChargeRecord.Outcome outcome) {
    boolean trip = record.record(outcome);
    CircuitBreakerState state = breaker.state();
    if (state == CircuitBreakerState.CLOSED && trip
        || state == CircuitBreakerState.HALF_OPEN && probe && outcome == ChargeRecord.Outcome.FAILED) {
      breaker.open();
    }
  }

  /** Whether payment itself took longer than PAYMENT_SLOW_CALL_MS, by its {@code Server-Timing: app;dur=<ms>}. */
  private boolean slow(HttpResponse<Buffer> response) {
    Double took = ServerTiming.duration(response.getHeader(ServerTiming.HEADER));
    return took != null && took > settings.slowCallMs();
  }

  /** Payment's answer as an outcome; a failed future is a failure for the breaker. */
  private static Future<ChargeOutcome> outcome(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = json(response);
    String state = body != null && body.getValue("status") instanceof String s ? s : null;
    if (status >= 500) {
      return Future.failedFuture("payment answered " + status);
    }
    if ((status == 200 || status == 201) && ("APPROVED".equals(state) || "REFUNDED".equals(state))) {
      return Future.succeededFuture(new Approved());
    }
    if (status == 402) {
      String reason = body == null ? null
          : body.getValue("reason") instanceof String r ? r
          : body.getValue("detail") instanceof String d ? d : null;
      return Future.succeededFuture(new Declined(reason == null ? "declined" : reason));
    }
    if (status == 409 && body != null && "VOIDED".equals(body.getValue("paymentStatus"))) {
      // The order was cancelled before payment saw this charge: nothing was, or will be, taken.
      return Future.succeededFuture(new Declined("the order was cancelled before it was charged"));
    }
    String detail = body != null && body.getValue("detail") instanceof String d ? ": " + d : "";
    return Future.succeededFuture(new Unsettled("payment answered " + status + detail));
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    try {
      Buffer raw = response.body();
      return raw == null || raw.length() == 0 ? null : raw.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String why(Throwable err, long timeoutMs) {
    if (err instanceof OpenCircuitException) {
      return "the payment circuit is open";
    }
    if (err instanceof TimeoutException) {
      return "payment did not answer within " + timeoutMs + " ms";
    }
    return "payment cannot be reached: " + err.getMessage();
  }

  public Future<Void> close() {
    breaker.close();
    client.close();
    return Future.succeededFuture();
  }
}
