package cafe.payment.api;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Json;
import cafe.common.http.JsonContract;
import cafe.common.http.JsonContract.InvalidRequestException;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.payment.domain.Card;
import cafe.payment.domain.InvalidCardException;
import cafe.payment.domain.Payment;
import cafe.payment.domain.PaymentStatus;
import cafe.payment.store.PaymentStore;
import cafe.payment.store.PaymentStore.Recorded;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Payment's HTTP face (resources/openapi/payment.json). {@code POST /payments} is internal: order
 * calls it with the customer's bearer token (or a service token), one charge per order id however
 * often it is sent.
 */
public final class PaymentRoutes {
  /** A service credential (e.g. order's PAYMENT_SERVICE_TOKEN) may charge on behalf of any customer. */
  public static final String SERVICE_ROLE = "service";
  private static final Logger LOG = Logger.getLogger(PaymentRoutes.class.getName());

  private final Vertx vertx;
  private final PaymentStore store;
  private final JwtVerifier jwt;
  private final JsonContract contract;
  private final ChargeDelay delay;

  public PaymentRoutes(Vertx vertx, PaymentStore store, JwtVerifier jwt, JsonContract contract, ChargeDelay delay) {
    this.vertx = vertx;
    this.store = store;
    this.jwt = jwt;
    this.contract = contract;
    this.delay = delay;
  }

  public void mount(Router router) {
    router.get("/openapi.json").handler(ctx -> Json.send(ctx, 200, contract.document()));
    router.post("/payments").handler(jwt.authenticate()).handler(handle(this::charge));
    router.get("/payments/:orderId").handler(jwt.authenticate())
        .handler(JwtVerifier.requireRole(Caller.ADMIN)).handler(handle(this::get));
  }

  /**
   * One warm-up round (ServiceRuntime.warmUp): a charge's CPU work without taking one — the contract check and
   * the card's checks — a read from PostgreSQL, and a call through the HTTP stack.
   */
  public java.util.function.Supplier<Future<?>> warmUp(io.vertx.core.http.HttpClient self, int port) {
    JsonObject sample = new JsonObject().put("orderId", UUID.randomUUID().toString()).put("customerId", "warm-up")
        .put("amount", 9000).put("card", "4242424242424242");
    return () -> {
      contract.check("Charge", sample.copy());
      Card.of(sample.getString("card"));
      Future<?> read = store.find(UUID.randomUUID());
      Future<?> served = self.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1",
              "/payments/" + UUID.randomUUID())
          .compose(request -> request.send()).compose(response -> response.body());
      return Future.join(read, served);
    };
  }

  private Future<?> charge(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonObject body = Json.body(ctx);
    contract.check("Charge", body);
    UUID orderId = UUID.fromString(body.getString("orderId"));
    String customerId = body.getString("customerId");
    long amount = body.getNumber("amount").longValue();
    Card card = Card.of(body.getString("card"));
    if (!caller.id().equals(customerId) && !caller.hasAny(Caller.ADMIN, SERVICE_ROLE)) {
      throw ProblemException.forbidden("a customer may only pay for their own orders");
    }
    long wait = delay.next();
    Future<Void> slow = wait > 0 ? vertx.timer(wait).mapEmpty() : Future.succeededFuture();
    return slow
        .compose(v -> store.record(Payment.charge(orderId, customerId, amount, card)))
        .onSuccess(recorded -> answer(ctx, recorded, customerId, amount, card));
  }

  private static void answer(RoutingContext ctx, Recorded recorded, String customerId, long amount, Card card) {
    Payment p = recorded.payment();
    if (recorded.first()) {
      LOG.info("order " + p.orderId() + ": payment " + p.status() + ", amount " + p.amount() + ", card " + card
          + " [request " + RequestId.of(ctx) + "]");
    } else {
      ctx.response().putHeader("Idempotent-Replayed", "true");
      if (!p.sameChargeAs(customerId, amount)) {
        sendProblem(ctx, ProblemException.conflict("order " + p.orderId() + " was already charged for a different"
            + " customer or amount (" + p.amount() + "); a charge is taken once per order"), new JsonObject());
        return;
      }
    }
    switch (p.status()) {
      case APPROVED -> Json.send(ctx, 201, paymentJson(p));
      case REFUNDED -> Json.send(ctx, 200, paymentJson(p));
      case DECLINED -> sendProblem(ctx, new ProblemException(402, "payment-declined", "Payment declined",
              "the payment for order " + p.orderId() + " was declined: " + p.declineReason()),
          new JsonObject().put("orderId", p.orderId().toString()).put("amount", p.amount())
              .put("paymentStatus", PaymentStatus.DECLINED.name()).put("reason", p.declineReason()));
      case VOIDED -> sendProblem(ctx, ProblemException.conflict("order " + p.orderId()
              + " was cancelled before it was charged; nothing is taken"),
          new JsonObject().put("orderId", p.orderId().toString()).put("paymentStatus", PaymentStatus.VOIDED.name()));
    }
  }

  private Future<?> get(RoutingContext ctx) {
    UUID orderId;
    try {
      orderId = UUID.fromString(ctx.pathParam("orderId"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ProblemException.notFound("no payment for order " + ctx.pathParam("orderId")));
    }
    return store.find(orderId).onSuccess(found -> {
      if (found.isEmpty() || found.get().status() == PaymentStatus.VOIDED) {
        ctx.fail(ProblemException.notFound("no payment for order " + orderId));
        return;
      }
      Json.send(ctx, 200, paymentJson(found.get()));
    });
  }

  private static JsonObject paymentJson(Payment p) {
    return new JsonObject().put("orderId", p.orderId().toString()).put("amount", p.amount())
        .put("status", p.status().name());
  }

  private static Handler<RoutingContext> handle(Function<RoutingContext, Future<?>> handler) {
    return ctx -> {
      Future<?> result;
      try {
        result = handler.apply(ctx);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onFailure(err -> fail(ctx, err));
    };
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    if (ctx.response().ended()) {
      return;
    }
    if (err instanceof InvalidRequestException invalid) {
      sendProblem(ctx, invalid, new JsonObject().put("errors", invalid.errors()));
    } else if (err instanceof InvalidCardException invalid) {
      Problem.send(ctx, ProblemException.badRequest(invalid.getMessage()));
    } else {
      ctx.fail(err);
    }
  }

  /** A problem with extension members (RFC 9457 §3.2); {@code status} stays the HTTP status. */
  private static void sendProblem(RoutingContext ctx, ProblemException p, JsonObject extensions) {
    JsonObject body = Problem.body(p, ctx.request().path());
    extensions.forEach(e -> body.put(e.getKey(), e.getValue()));
    ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.CONTENT_TYPE).end(body.encode());
  }
}
