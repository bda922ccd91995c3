package cafe.common.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers for JSON requests and answers. */
public final class Json {
  private Json() {
  }

  /** The request body as a JSON object, or a 400 that says why it is not one. */
  public static JsonObject body(RoutingContext ctx) {
    String raw = ctx.body() == null ? null : ctx.body().asString();
    if (raw == null || raw.isBlank()) {
      throw ProblemException.badRequest("a JSON body is required");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(raw);
    } catch (RuntimeException e) {
      throw ProblemException.badRequest("the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject object)) {
      throw ProblemException.badRequest("the body must be a JSON object");
    }
    return object;
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  public static void send(RoutingContext ctx, int status, JsonArray body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
