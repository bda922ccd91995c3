package cafe.order.api;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Json;
import cafe.common.http.JsonContract;
import cafe.common.http.JsonContract.InvalidRequestException;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.order.OrderMetrics;
import cafe.order.domain.IllegalTransitionException;
import cafe.order.domain.InvalidOrderException;
import cafe.order.domain.LineRequest;
import cafe.order.domain.MenuItem;
import cafe.order.domain.Order;
import cafe.order.domain.OrderStatus;
import cafe.order.payment.Checkout;
import cafe.order.payment.PaymentSettings;
import cafe.order.store.NoSuchOrderException;
import cafe.order.store.OrderStore;
import cafe.order.store.OrderStore.Before;
import cafe.order.store.OrderStore.PendingCharge;
import cafe.order.store.OrderStore.Placement;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The order service's HTTP face (resources/openapi/order.json): the menu, placing and reading
 * orders, and asking to cancel. Bodies are checked against the contract before anything is stored.
 */
public final class OrderRoutes {
  private static final Logger LOG = Logger.getLogger(OrderRoutes.class.getName());
  private static final int DEFAULT_PAGE = 20;
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final OrderStore store;
  private final Checkout checkout;
  private final JwtVerifier jwt;
  private final JsonContract contract;
  private final PaymentSettings payment;
  private final OrderMetrics metrics;
  private final FrontDoor frontDoor;

  public OrderRoutes(OrderStore store, Checkout checkout, JwtVerifier jwt, JsonContract contract,
      PaymentSettings payment, OrderMetrics metrics, FrontDoor frontDoor) {
    this.metrics = metrics;
    this.frontDoor = frontDoor;
    this.store = store;
    this.checkout = checkout;
    this.jwt = jwt;
    this.contract = contract;
    this.payment = payment;
  }

  public void mount(Router router) {
    router.get("/menu").handler(handle(this::menu));
    router.get("/openapi.json").handler(ctx -> Json.send(ctx, 200, contract.document()));
    // Bad input is answered 400 before the front door, so it never waits for a place or is refused as busy.
    router.post("/orders").handler(jwt.authenticate()).handler(this::checkPlaceOrder).handler(frontDoor::admit)
        .handler(handle(this::place));
    router.get("/orders").handler(jwt.authenticate()).handler(handle(this::list));
    router.get("/orders/:id").handler(jwt.authenticate()).handler(handle(this::get));
    router.post("/orders/:id/cancel").handler(jwt.authenticate()).handler(handle(this::cancel));
  }

  /**
   * One warm-up round (ServiceRuntime.warmUp): the placing path's CPU work without storing anything — the
   * contract check, pricing and the answer's JSON — a read from PostgreSQL, and a call through the HTTP stack.
   */
  public java.util.function.Supplier<Future<?>> warmUp(io.vertx.core.http.HttpClient self, int port) {
    JsonObject sample = new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("menuItemId", "latte").put("qty", 2))
            .add(new JsonObject().put("menuItemId", "croissant").put("qty", 1)))
        .put("card", "4242424242424242")
        .put("address", "1 Warm-up Street");
    List<LineRequest> lines = List.of(new LineRequest("latte", 2), new LineRequest("croissant", 1));
    return () -> {
      contract.check("PlaceOrder", sample.copy());
      Future<?> priced = store.menu().map(menu -> OrderJson.order(
          Order.place(UUID.randomUUID(), "warm-up", menu, lines, "1 Warm-up Street", OrderStore.now())).encode());
      Future<?> read = store.find(UUID.randomUUID());
      Future<?> served = self.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/menu")
          .compose(request -> request.send()).compose(response -> response.body());
      return Future.join(priced, read, served);
    };
  }

  private Future<?> menu(RoutingContext ctx) {
    return store.menu().onSuccess(menu -> {
      JsonArray items = new JsonArray();
      for (MenuItem item : menu.items()) {
        items.add(OrderJson.menuItem(item));
      }
      ctx.response().putHeader("Cache-Control", "public, max-age=30");
      Json.send(ctx, 200, items);
    });
  }

  // POST /orders ------------------------------------------------------------------------------

  private void checkPlaceOrder(RoutingContext ctx) {
    try {
      contract.check("PlaceOrder", Json.body(ctx));
      idempotencyKey(ctx);
    } catch (RuntimeException e) {
      fail(ctx, e);
      return;
    }
    ctx.next();
  }

  /** Places an order checked by {@link #checkPlaceOrder} and let in by the front door. */
  private Future<?> place(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    JsonObject body = Json.body(ctx);
    String key = idempotencyKey(ctx);
    List<LineRequest> lines = new ArrayList<>();
    JsonArray items = body.getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      lines.add(new LineRequest(item.getString("menuItemId"), item.getNumber("qty").intValue()));
    }
    String card = body.getString("card");
    String address = body.getString("address");
    // With a service credential configured, the customer's token is not kept for retries.
    String bearer = payment.serviceToken().isPresent() ? null : JwtVerifier.bearer(ctx);
    String digest = key == null ? null : digest(lines, address);
    String requestId = RequestId.of(ctx);
    return store.menu()
        .map(menu -> Order.place(UUID.randomUUID(), caller.id(), menu, lines, address, OrderStore.now()))
        .compose(order -> store.place(order, card, bearer, key, digest, payment.firstRetryAfterMs()))
        .compose(placement -> placement.created()
            ? firstCharge(placement.order(), card, bearer, requestId)
            : replay(placement, digest, requestId))
        .onSuccess(order -> answerPlaced(ctx, order));
  }

  private Future<Order> firstCharge(Order order, String card, String bearer, String requestId) {
    LOG.info("order " + order.id() + ": placed by " + order.customerId() + ", total " + order.total()
        + " [request " + requestId + "]");
    PendingCharge charge = new PendingCharge(order.id(), order.customerId(), order.total(), card, bearer, 0);
    return chargeNow(order, charge, requestId).onSuccess(metrics::placed);
  }

  /**
   * PAYMENT_TIMEOUT_MS counts from when the charge is sent: the front door keeps the time an order spends
   * in our own queues short, so it is not taken from payment's time to answer.
   */
  private Future<Order> chargeNow(Order order, PendingCharge charge, String requestId) {
    return checkout.charge(order, charge, payment.timeoutMs(), requestId);
  }

  /** The same key again: the same order; if its payment is still open, try it once more (payment takes it once). */
  private Future<Order> replay(Placement placement, String digest, String requestId) {
    Order order = placement.order();
    if (placement.requestDigest() != null && !placement.requestDigest().equals(digest)) {
      return Future.failedFuture(new ProblemException(422, "idempotency-key-reused", "Idempotency-Key reused",
          "this Idempotency-Key was used for a different order (" + order.id() + "); send a new key for a new order"));
    }
    LOG.info("order " + order.id() + ": repeated Idempotency-Key, answering the same order [request " + requestId + "]");
    if (order.status() != OrderStatus.PAYMENT_PENDING) {
      return Future.succeededFuture(order);
    }
    // No pending charge any more: it was settled since the order was read; answer it as it is now.
    return store.pendingCharge(order.id()).compose(charge -> charge.isPresent()
        ? chargeNow(order, charge.get(), requestId)
        : store.find(order.id()).map(now -> now.orElse(order)));
  }

  private static void answerPlaced(RoutingContext ctx, Order order) {
    String location = "/orders/" + order.id();
    switch (order.status()) {
      case PAYMENT_PENDING -> {
        ctx.response().putHeader("Location", location);
        Json.send(ctx, 202, OrderJson.order(order));
      }
      case REJECTED -> sendProblem(ctx, new ProblemException(402, "payment-declined", "Payment declined",
              "the payment was declined; order " + order.id() + " is REJECTED"),
          new JsonObject().put("orderId", order.id().toString()).put("order", OrderJson.order(order)));
      case CANCELLED -> Json.send(ctx, 200, OrderJson.order(order));
      default -> {
        ctx.response().putHeader("Location", location);
        Json.send(ctx, 201, OrderJson.order(order));
      }
    }
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null) {
      return null;
    }
    if (key.isEmpty() || key.length() > 200 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ProblemException.badRequest("Idempotency-Key must be 1..200 visible ASCII characters");
    }
    return key;
  }

  /** Tells a retry (same items and address) from a different order sent under a used key. */
  private static String digest(List<LineRequest> lines, String address) {
    StringBuilder canonical = new StringBuilder();
    for (LineRequest line : lines) {
      canonical.append(line.menuItemId()).append('\u0000').append(line.qty()).append('\u0001');
    }
    canonical.append('\u0002').append(address == null ? "" : address);
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // GET /orders, GET /orders/{id} -------------------------------------------------------------

  private Future<?> list(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String rawLimit = ctx.request().getParam("limit");
    String rawBefore = ctx.request().getParam("before");
    JsonObject query = new JsonObject();
    if (rawLimit != null) {
      query.put("limit", rawLimit.matches("-?\\d{1,9}") ? (Object) Integer.parseInt(rawLimit) : rawLimit);
    }
    if (rawBefore != null) {
      query.put("before", rawBefore);
    }
    contract.check("ListQuery", query);
    int limit = query.getInteger("limit", DEFAULT_PAGE);
    Before before = rawBefore == null ? null : before(rawBefore);
    return store.list(caller.isStaff() ? null : caller.id(), limit, before).onSuccess(orders -> {
      JsonArray page = new JsonArray();
      for (Order order : orders) {
        page.add(OrderJson.order(order));
      }
      if (orders.size() == limit) {
        ctx.response().putHeader("Link", "</orders?limit=" + limit + "&before=" + orders.get(orders.size() - 1).id()
            + ">; rel=\"next\"");
      }
      Json.send(ctx, 200, page);
    });
  }

  private static Before before(String raw) {
    try {
      return new Before(UUID.fromString(raw), null);
    } catch (IllegalArgumentException notAnId) {
      try {
        return new Before(null, Instant.parse(raw));
      } catch (DateTimeParseException notATime) {
        throw new InvalidRequestException("before must be an order id or an RFC 3339 instant",
            new JsonArray().add(new JsonObject().put("pointer", "/before")
                .put("detail", "before must be an order id or an RFC 3339 instant")));
      }
    }
  }

  private Future<?> get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Optional<UUID> id = orderId(ctx);
    String asked = ctx.pathParam("id");
    if (id.isEmpty() && caller.isStaff() && SHORT_ID.matcher(asked).matches()) {
      return byShortId(ctx, asked.toLowerCase(java.util.Locale.ROOT));
    }
    if (id.isEmpty()) {
      return Future.failedFuture(notFound(asked));
    }
    return store.find(id.get()).onSuccess(found -> {
      if (found.isEmpty() || !visible(found.get(), caller)) {
        ctx.fail(notFound(id.get().toString()));
        return;
      }
      Json.send(ctx, 200, OrderJson.order(found.get()));
    });
  }

  /** Staff look an order up by the short form the pages print (its id's first 8 hex digits). */
  private Future<?> byShortId(RoutingContext ctx, String shortId) {
    return store.findByShortId(shortId, 2).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(notFound(shortId));
      } else if (found.size() > 1) {
        ctx.fail(ProblemException.conflict("more than one order begins with " + shortId + ": give the whole id"));
      } else {
        Json.send(ctx, 200, OrderJson.order(found.get(0)));
      }
    });
  }

  // POST /orders/{id}/cancel --------------------------------------------------------------------

  private Future<?> cancel(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    Optional<UUID> id = orderId(ctx);
    if (id.isEmpty()) {
      return Future.failedFuture(notFound(ctx.pathParam("id")));
    }
    return store.change(id.get(), order -> {
      if (!visible(order, caller)) {
        throw notFound(order.id().toString());
      }
      if (!order.isOwnedBy(caller.id()) && !caller.has(Caller.ADMIN)) {
        throw ProblemException.forbidden("only the customer who placed the order, or an admin, may cancel it");
      }
      return order.requestCancel(OrderStore.now());
    }).onSuccess(t -> {
      metrics.stored(t);
      Order after = t.after();
      LOG.info("order " + after.id() + ": cancel asked by " + caller.id() + ": " + t.before().status() + " -> "
          + after.status() + " [request " + RequestId.of(ctx) + "]");
      Json.send(ctx, after.status() == OrderStatus.CANCELLED ? 200 : 202, OrderJson.order(after));
    });
  }

  // ---------------------------------------------------------------------------------------------

  /** The short form of an order id the pages print: its first 8 hex digits. */
  private static final java.util.regex.Pattern SHORT_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{8}");

  private static boolean visible(Order order, Caller caller) {
    return caller.isStaff() || order.isOwnedBy(caller.id());
  }

  private static Optional<UUID> orderId(RoutingContext ctx) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static ProblemException notFound(String id) {
    return ProblemException.notFound("no order " + id);
  }

  /** Runs a handler; whatever it fails with becomes a problem answer. */
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
    } else if (err instanceof InvalidOrderException invalid) {
      Problem.send(ctx, new ProblemException(400, "invalid-order", "Invalid order", invalid.getMessage()));
    } else if (err instanceof IllegalTransitionException illegal) {
      sendProblem(ctx, new ProblemException(409, "illegal-transition", "Conflict", illegal.getMessage()),
          new JsonObject().put("orderStatus", illegal.status().name()));
    } else if (err instanceof NoSuchOrderException missing) {
      Problem.send(ctx, ProblemException.notFound(missing.getMessage()));
    } else {
      ctx.fail(err);
    }
  }

  /** A problem with extension members (RFC 9457 §3.2). */
  private static void sendProblem(RoutingContext ctx, ProblemException p, JsonObject extensions) {
    JsonObject body = Problem.body(p, ctx.request().path());
    extensions.forEach(e -> body.put(e.getKey(), e.getValue()));
    ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.CONTENT_TYPE).end(body.encode());
  }
}
