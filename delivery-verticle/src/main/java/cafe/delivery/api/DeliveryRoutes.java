package cafe.delivery.api;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Json;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.delivery.dispatch.Dispatch;
import cafe.delivery.dispatch.NoSuchDeliveryException;
import cafe.delivery.domain.Delivery;
import cafe.delivery.domain.DeliveryStatus;
import cafe.delivery.domain.IllegalMoveException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/** The rider's HTTP face (role rider, or admin): the deliveries, pickups and drop-offs. */
public final class DeliveryRoutes {
  private static final Logger LOG = Logger.getLogger(DeliveryRoutes.class.getName());
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 500;
  private static final List<DeliveryStatus> LISTED =
      List.of(DeliveryStatus.WAITING, DeliveryStatus.DELIVERING, DeliveryStatus.DELIVERED);

  private final Dispatch dispatch;

  private DeliveryRoutes(Dispatch dispatch) {
    this.dispatch = dispatch;
  }

  public static void mount(Router router, JwtVerifier jwt, Dispatch dispatch) {
    DeliveryRoutes routes = new DeliveryRoutes(dispatch);
    router.route("/deliveries*").handler(jwt.authenticate()).handler(JwtVerifier.requireRole(Caller.RIDER, Caller.ADMIN));
    router.get("/deliveries").handler(routes::list);
    router.get("/deliveries/:orderId").handler(routes::one);
    router.post("/deliveries/:orderId/pickup").handler(routes::pickUp);
    router.post("/deliveries/:orderId/complete").handler(routes::complete);
  }

  private void list(RoutingContext ctx) {
    List<DeliveryStatus> statuses = statuses(ctx.queryParam("status"));
    int limit = limit(ctx.queryParam("limit"));
    answer(ctx, dispatch.list(statuses, limit).map(list -> {
      JsonArray body = new JsonArray();
      list.forEach(d -> body.add(json(d)));
      return body;
    }));
  }

  private void one(RoutingContext ctx) {
    String orderId = ctx.pathParam("orderId");
    answer(ctx, dispatch.delivery(orderId).map(found -> json(found.orElseThrow(() -> new NoSuchDeliveryException(orderId)))));
  }

  private void pickUp(RoutingContext ctx) {
    String orderId = ctx.pathParam("orderId");
    Caller rider = Caller.of(ctx);
    answer(ctx, dispatch.pickUp(orderId, rider.username()).map(d -> {
      LOG.info("order " + orderId + ": picked up by " + rider.username() + " [request " + RequestId.of(ctx) + "]");
      return json(d);
    }));
  }

  private void complete(RoutingContext ctx) {
    String orderId = ctx.pathParam("orderId");
    answer(ctx, dispatch.complete(orderId).map(d -> {
      LOG.info("order " + orderId + ": delivered, confirmed by " + Caller.of(ctx).username()
          + " [request " + RequestId.of(ctx) + "]");
      return json(d);
    }));
  }

  private static List<DeliveryStatus> statuses(List<String> params) {
    if (params.isEmpty()) {
      return LISTED;
    }
    List<DeliveryStatus> statuses = new ArrayList<>();
    for (String param : params) {
      for (String name : param.split(",")) {
        statuses.add(LISTED.stream().filter(s -> s.name().equals(name.trim().toUpperCase(Locale.ROOT)))
            .findFirst()
            .orElseThrow(() -> ProblemException.badRequest(
                "status must be WAITING, DELIVERING or DELIVERED, not '" + name + "'")));
      }
    }
    return statuses;
  }

  private static int limit(List<String> params) {
    if (params.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(params.get(0));
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static <T> void answer(RoutingContext ctx, Future<T> result) {
    result.onSuccess(body -> {
      if (body instanceof JsonArray array) {
        Json.send(ctx, 200, array);
      } else {
        Json.send(ctx, 200, (JsonObject) body);
      }
    }).onFailure(err -> ctx.fail(problem(err)));
  }

  private static Throwable problem(Throwable err) {
    if (err instanceof NoSuchDeliveryException) {
      return ProblemException.notFound(err.getMessage());
    }
    if (err instanceof IllegalMoveException) {
      return ProblemException.conflict(err.getMessage());
    }
    return err;
  }

  static JsonObject json(Delivery d) {
    JsonObject json = new JsonObject()
        .put("orderId", d.orderId())
        .put("customerId", d.customerId())
        .put("status", d.status().name())
        .put("address", d.address())
        .put("createdAt", d.createdAt().toString())
        .put("updatedAt", d.updatedAt().toString());
    if (d.rider() != null) {
      json.put("rider", d.rider());
    }
    if (d.pickedUpAt() != null) {
      json.put("pickedUpAt", d.pickedUpAt().toString());
    }
    return json;
  }
}
