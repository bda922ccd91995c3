package cafe.barista.api;

import cafe.barista.counter.Counter;
import cafe.barista.counter.NoSuchTicketException;
import cafe.barista.domain.IllegalMoveException;
import cafe.barista.domain.Stock;
import cafe.barista.domain.Ticket;
import cafe.barista.domain.TicketLine;
import cafe.barista.domain.TicketStatus;
import cafe.barista.store.StockStore;
import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Json;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The barista's HTTP face (role barista, or admin): the ticket board and the stock. */
public final class BaristaRoutes {
  private static final Logger LOG = Logger.getLogger(BaristaRoutes.class.getName());
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 500;
  private static final List<TicketStatus> BOARD = Stream.of(TicketStatus.values()).filter(TicketStatus::onTheBoard).toList();

  /** Menu item ids are field names in the stock document: anything else is not an item the bar stocks. */
  private static final Pattern MENU_ITEM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Counter counter;
  private final StockStore stock;

  private BaristaRoutes(Counter counter, StockStore stock) {
    this.counter = counter;
    this.stock = stock;
  }

  public static void mount(Router router, JwtVerifier jwt, Counter counter, StockStore stock) {
    BaristaRoutes routes = new BaristaRoutes(counter, stock);
    router.route("/barista/*").handler(jwt.authenticate()).handler(JwtVerifier.requireRole(Caller.BARISTA, Caller.ADMIN));
    router.get("/barista/tickets").handler(routes::board);
    router.get("/barista/tickets/:orderId").handler(routes::ticket);
    router.post("/barista/tickets/:orderId/start").handler(ctx -> routes.move(ctx, "start"));
    router.post("/barista/tickets/:orderId/complete").handler(ctx -> routes.move(ctx, "complete"));
    router.get("/barista/stock").handler(routes::levels);
    router.put("/barista/stock/:menuItemId").handler(routes::setLevel);
  }

  private void board(RoutingContext ctx) {
    List<TicketStatus> statuses = statuses(ctx.queryParam("status"));
    int limit = limit(ctx.queryParam("limit"));
    answer(ctx, counter.board(statuses, limit).map(tickets -> {
      JsonArray body = new JsonArray();
      tickets.forEach(t -> body.add(json(t)));
      return body;
    }));
  }

  private void ticket(RoutingContext ctx) {
    String orderId = ctx.pathParam("orderId");
    answer(ctx, counter.ticket(orderId).map(found -> json(found.orElseThrow(() -> new NoSuchTicketException(orderId)))));
  }

  private void move(RoutingContext ctx, String what) {
    String orderId = ctx.pathParam("orderId");
    Future<Ticket> moved = what.equals("start") ? counter.start(orderId) : counter.complete(orderId);
    answer(ctx, moved.map(t -> {
      LOG.info("order " + orderId + ": " + what + " by " + Caller.of(ctx).username() + " [request " + RequestId.of(ctx) + "]");
      return json(t);
    }));
  }

  private void levels(RoutingContext ctx) {
    answer(ctx, stock.read().map(snapshot -> {
      JsonArray body = new JsonArray();
      snapshot.levels().forEach((item, qty) -> body.add(level(item, qty)));
      return body;
    }));
  }

  private void setLevel(RoutingContext ctx) {
    String item = ctx.pathParam("menuItemId");
    JsonObject body = Json.body(ctx);
    int quantity = quantity(body.getValue("quantity"));
    if (!MENU_ITEM_ID.matcher(item).matches()) {
      throw ProblemException.notFound("the bar does not stock " + item);
    }
    answer(ctx, stock.set(item, quantity).map(found -> {
      if (!found) {
        throw ProblemException.notFound("the bar does not stock " + item);
      }
      LOG.info("stock of " + item + " set to " + quantity + " by " + Caller.of(ctx).username()
          + " [request " + RequestId.of(ctx) + "]");
      return level(item, quantity);
    }));
  }

  private static int quantity(Object raw) {
    if (raw == null) {
      throw ProblemException.badRequest("quantity is required, e.g. {\"quantity\": 40}");
    }
    if (!(raw instanceof Integer || raw instanceof Long)) {
      throw ProblemException.badRequest("quantity must be a whole number from 0 to " + Stock.MAX_QUANTITY);
    }
    try {
      return Stock.checkQuantity(((Number) raw).longValue());
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
  }

  private static List<TicketStatus> statuses(List<String> params) {
    if (params.isEmpty()) {
      return BOARD;
    }
    List<TicketStatus> statuses = new ArrayList<>();
    for (String param : params) {
      for (String name : param.split(",")) {
        TicketStatus status = BOARD.stream().filter(s -> s.name().equals(name.trim().toUpperCase(Locale.ROOT)))
            .findFirst()
            .orElseThrow(() -> ProblemException.badRequest("status must be QUEUED, BREWING or READY, not '" + name + "'"));
        statuses.add(status);
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
    if (err instanceof NoSuchTicketException) {
      return ProblemException.notFound(err.getMessage());
    }
    if (err instanceof IllegalMoveException) {
      return ProblemException.conflict(err.getMessage());
    }
    return err;
  }

  static JsonObject json(Ticket t) {
    JsonArray items = new JsonArray();
    for (TicketLine line : t.items()) {
      items.add(new JsonObject().put("menuItemId", line.menuItemId()).put("name", line.name()).put("qty", line.qty()));
    }
    JsonObject json = new JsonObject()
        .put("orderId", t.orderId())
        .put("customerId", t.customerId())
        .put("status", t.status().name())
        .put("items", items)
        .put("address", t.address())
        .put("createdAt", t.createdAt().toString())
        .put("updatedAt", t.updatedAt().toString());
    if (t.startedAt() != null) {
      json.put("startedAt", t.startedAt().toString());
    }
    return json;
  }

  private static JsonObject level(String item, int quantity) {
    return new JsonObject().put("menuItemId", item).put("quantity", quantity);
  }
}
