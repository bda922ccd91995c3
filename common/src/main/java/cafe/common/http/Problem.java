package cafe.common.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every 4xx and 5xx answer, as RFC 9457 application/problem+json. */
public final class Problem {
  public static final String CONTENT_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = "urn:cafe:problem:";
  private static final Logger LOG = Logger.getLogger(Problem.class.getName());

  private Problem() {
  }

  public static JsonObject body(ProblemException p, String instance) {
    JsonObject json = new JsonObject()
        .put("type", TYPE_PREFIX + p.slug())
        .put("title", p.title())
        .put("status", p.status())
        .put("detail", p.detail());
    if (instance != null) {
      json.put("instance", instance);
    }
    return json;
  }

  public static void send(RoutingContext ctx, ProblemException p) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(p.status()).putHeader("Content-Type", CONTENT_TYPE);
    p.headers().forEach(response::putHeader);
    response.end(body(p, ctx.request().path()).encode());
  }

  /** Router failure handler: turns whatever failed into a problem a client can act on. */
  public static Handler<RoutingContext> failureHandler() {
    return ctx -> send(ctx, toProblem(ctx));
  }

  static ProblemException toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProblemException p) {
      return p;
    }
    if (failure instanceof DecodeException || (failure != null && failure.getCause() instanceof DecodeException)) {
      return ProblemException.badRequest("the body is not valid JSON");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> ProblemException.badRequest(failure != null && failure.getMessage() != null
          ? failure.getMessage() : "the request is malformed");
      case 401 -> ProblemException.unauthorized("a valid bearer token is required");
      case 403 -> ProblemException.forbidden("your role may not do this");
      case 404 -> ProblemException.notFound("no such resource: " + ctx.request().path());
      case 405 -> new ProblemException(405, "method-not-allowed", "Method not allowed",
          ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> new ProblemException(413, "too-large", "Payload too large", "the request body is too large");
      case 415 -> new ProblemException(415, "unsupported-media-type", "Unsupported media type",
          "send the body as application/json");
      default -> {
        if (status > 0 && status < 500) {
          yield new ProblemException(status, "error", "Request failed", "the request cannot be served");
        }
        LOG.log(Level.SEVERE, "unexpected failure on " + ctx.request().method() + " " + ctx.request().path()
            + " [request " + RequestId.of(ctx) + "]", failure);
        yield new ProblemException(500, "internal", "Internal error",
            "something went wrong on our side; quote request id " + RequestId.of(ctx));
      }
    };
  }
}
