package cafe.mypage.api;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Json;
import cafe.common.http.ProblemException;
import cafe.mypage.store.ViewStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * My page over HTTP: the caller's orders (staff: every customer's recent orders), one order, and the
 * caller's notifications. Another customer's order is answered 404, as if it did not exist.
 */
public final class MypageRoutes {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final ViewStore views;

  private MypageRoutes(ViewStore views) {
    this.views = views;
  }

  public static void mount(Router router, JwtVerifier jwt, ViewStore views) {
    MypageRoutes routes = new MypageRoutes(views);
    router.route("/mypage/*").handler(jwt.authenticate());
    router.get("/mypage/orders").handler(routes::orders);
    router.get("/mypage/orders/:id").handler(routes::order);
    router.get("/mypage/notifications").handler(routes::notifications);
  }

  private void orders(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    int limit = limit(ctx);
    Long before = before(ctx);
    (caller.isStaff() ? views.recentOrders(limit, before) : views.ordersOf(caller.id(), limit, before))
        // The view says whose order it is; an index entry never shows someone else's.
        .map(found -> caller.isStaff() ? found
            : found.stream().filter(view -> caller.id().equals(view.getString("customerId"))).toList())
        .onSuccess(found -> Json.send(ctx, 200, shown(found)))
        .onFailure(ctx::fail);
  }

  private void order(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    String id = ctx.pathParam("id");
    views.order(id)
        .onSuccess(view -> {
          if (view == null || !(caller.isStaff() || caller.id().equals(view.getString("customerId")))) {
            ctx.fail(ProblemException.notFound("there is no order " + id + " on your page"));
          } else {
            Json.send(ctx, 200, OrderViews.shown(view));
          }
        })
        .onFailure(ctx::fail);
  }

  private void notifications(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    views.notifications(caller.id(), limit(ctx))
        .onSuccess(notes -> Json.send(ctx, 200, new JsonArray(List.copyOf(notes))))
        .onFailure(ctx::fail);
  }

  private static JsonArray shown(List<JsonObject> stored) {
    JsonArray list = new JsonArray();
    stored.forEach(view -> list.add(OrderViews.shown(view)));
    return list;
  }

  private static int limit(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit");
    if (raw == null || raw.isBlank()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  /** {@code before}: an ISO-8601 instant; only orders created before it (the next page). */
  private static Long before(RoutingContext ctx) {
    String raw = ctx.request().getParam("before");
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(raw.trim()).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ProblemException.badRequest("before must be an ISO-8601 instant such as 2026-11-21T06:14:28.123Z");
    }
  }
}
