package cafe.gateway.api;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.gateway.domain.Access;
import cafe.gateway.domain.Route;
import cafe.gateway.proxy.Upstream;
import cafe.gateway.proxy.Upstreams;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/** Checks a route's access rule, then passes the call to its service and the answer back; WebSockets are bridged. */
final class Forwarder {
  private static final Logger LOG = Logger.getLogger(Forwarder.class.getName());

  /** What a client may tell a service; everything else (cookies, hop-by-hop headers) stays at the gateway. */
  private static final Set<String> FORWARDED = Set.of("content-type", "accept", "accept-language",
      "idempotency-key", "if-match", "if-none-match", "if-modified-since", "user-agent");

  /** Hop-by-hop headers and the ones the gateway sets itself. */
  private static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-authenticate", "proxy-authorization", "content-length", "x-request-id");

  private final Upstreams upstreams;
  private final ClientAddress clients;

  Forwarder(Upstreams upstreams, ClientAddress clients) {
    this.upstreams = upstreams;
    this.clients = clients;
  }

  /** 401 without a valid token where one is needed, 403 for a role the route does not take. */
  void guard(RoutingContext ctx, Route route) {
    Caller caller = Admission.caller(ctx);
    Access access = route.accessFor(ctx.request().method().name(), ctx.normalizedPath());
    Access.Decision decision = access.decide(caller == null ? null : caller.roles());
    switch (decision) {
      case ALLOW -> ctx.next();
      case NEEDS_TOKEN -> Problem.send(ctx, Admission.missingToken(ctx));
      case FORBIDDEN -> Problem.send(ctx, ProblemException.forbidden(route.path() + " needs "
          + access.describe() + "; you are signed in as " + caller.username()
          + " (" + String.join(", ", caller.roles()) + ")"));
    }
  }

  void forward(RoutingContext ctx, Route route) {
    Upstream upstream = upstreams.get(route.upstream());
    HttpServerRequest request = ctx.request();
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body != null && body.length() == 0 && !hasBody(request.method())) {
      body = null;
    }
    if (body == null && hasBody(request.method())) {
      body = Buffer.buffer();
    }
    String target = target(ctx);
    upstream.send(request.method(), target, outgoingHeaders(ctx), body)
        .onSuccess(answer -> relay(ctx.response(), answer))
        .onFailure(err -> {
          if (err instanceof Upstream.UnavailableAnswer unavailable) {
            LOG.warning(upstream.name() + " answered " + unavailable.answer().status() + " to " + request.method()
                + " " + ctx.normalizedPath() + " [request " + RequestId.of(ctx) + "]");
            relay(ctx.response(), unavailable.answer());
          } else {
            Problem.send(ctx, noAnswer(ctx, upstream, err));
          }
        });
  }

  /** Opens the same WebSocket on the service, then passes messages both ways until either side closes. */
  void bridge(RoutingContext ctx, Route route) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      Problem.send(ctx, new ProblemException(426, "upgrade-required", "Upgrade required",
          route.path() + " is a WebSocket: open it with new WebSocket(url)", Map.of("Upgrade", "websocket")));
      return;
    }
    Upstream upstream = upstreams.get(route.upstream());
    MultiMap headers = outgoingHeaders(ctx);
    upstream.connect(target(ctx), headers).onComplete(ar -> {
      if (ar.failed()) {
        Problem.send(ctx, noAnswer(ctx, upstream, ar.cause()));
        return;
      }
      Upstream.Upgrade upgrade = ar.result();
      if (upgrade.refused() != null) {
        HttpServerResponse response = ctx.response().setStatusCode(upgrade.refused().getStatus());
        copyHeaders(upgrade.refused().getHeaders(), response);
        response.end(upgrade.refused().getBody() == null ? Buffer.buffer() : upgrade.refused().getBody());
        return;
      }
      WebSocket service = upgrade.socket();
      request.toWebSocket()
          .onSuccess(client -> join(client, service))
          .onFailure(err -> {
            LOG.info("the client left before its WebSocket opened [request " + RequestId.of(ctx) + "]");
            service.close();
          });
    });
  }

  private static void join(ServerWebSocket client, WebSocket service) {
    service.textMessageHandler(client::writeTextMessage);
    service.binaryMessageHandler(client::writeBinaryMessage);
    client.textMessageHandler(service::writeTextMessage);
    client.binaryMessageHandler(service::writeBinaryMessage);
    service.closeHandler(v -> closeWith(client, service));
    client.closeHandler(v -> closeWith(service, client));
    service.exceptionHandler(err -> client.close((short) 1011));
    client.exceptionHandler(err -> service.close());
    service.resume();
  }

  /** Closes one side as the other closed: the same code when it may be sent on, else "going away" so pages reconnect. */
  private static void closeWith(WebSocketBase open, WebSocketBase closed) {
    if (open.isClosed()) {
      return;
    }
    Short code = closed.closeStatusCode();
    boolean sendable = code != null && code >= 1000 && code != 1005 && code != 1006 && code != 1015;
    String reason = closed.closeReason();
    open.close(sendable ? code : (short) 1001, sendable && reason != null ? reason : "");
  }

  private static ProblemException noAnswer(RoutingContext ctx, Upstream upstream, Throwable err) {
    String call = ctx.request().method() + " " + ctx.normalizedPath();
    Map<String, String> retry = Map.of("Retry-After", Integer.toString(upstream.retryAfterSeconds()));
    if (err instanceof OpenCircuitException) {
      return new ProblemException(503, "unavailable", "Service unavailable", "the " + upstream.name()
          + " service is not answering at the moment; try again in " + upstream.retryAfterSeconds() + " s", retry);
    }
    if (err instanceof io.vertx.circuitbreaker.TimeoutException || err instanceof java.util.concurrent.TimeoutException) {
      LOG.warning(upstream.name() + " did not answer " + call + " within " + upstream.timeoutMs() + " ms [request "
          + RequestId.of(ctx) + "]");
      return new ProblemException(504, "upstream-timeout", "Gateway timeout", "the " + upstream.name()
          + " service did not answer within " + upstream.timeoutMs() + " ms; it may still act on a request that"
          + " changes something, so check before sending it again", retry);
    }
    LOG.warning(upstream.name() + " cannot be reached for " + call + ": " + err.getMessage() + " [request "
        + RequestId.of(ctx) + "]");
    return new ProblemException(503, "unavailable", "Service unavailable", "the " + upstream.name()
        + " service cannot be reached; try again in " + upstream.retryAfterSeconds() + " s", retry);
  }

  private static void relay(HttpServerResponse response, Upstream.Answer answer) {
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(answer.status());
    copyHeaders(answer.headers(), response);
    response.end(answer.body());
  }

  private static void copyHeaders(MultiMap from, HttpServerResponse to) {
    if (from == null) {
      return;
    }
    for (Map.Entry<String, String> header : from) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (!NOT_RETURNED.contains(name) && !SecurityHeaders.NAMES.contains(name)) {
        to.headers().add(header.getKey(), header.getValue());
      }
    }
  }

  /** The caller's token (from the header or ?access_token=) goes on as a header; the request id too. */
  private MultiMap outgoingHeaders(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : request.headers()) {
      if (FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        headers.add(header.getKey(), header.getValue());
      }
    }
    String token = JwtVerifier.bearer(ctx);
    if (token != null && !token.isBlank()) {
      headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    headers.set(RequestId.HEADER, RequestId.of(ctx));
    // As every proxy does: the address that connected here is appended, the entries before it passed on.
    String peer = ClientAddress.peer(request);
    String earlier = request.getHeader("X-Forwarded-For");
    headers.set("X-Forwarded-For", earlier == null ? peer : earlier + ", " + peer);
    String proto = clients.behindProxies() ? request.getHeader("X-Forwarded-Proto") : null;
    headers.set("X-Forwarded-Proto", proto != null ? proto : request.scheme() == null ? "http" : request.scheme());
    String host = clients.behindProxies() ? request.getHeader("X-Forwarded-Host") : null;
    if (host != null) {
      headers.set("X-Forwarded-Host", host);
    } else if (request.authority() != null) {
      headers.set("X-Forwarded-Host", request.authority().toString());
    }
    return headers;
  }

  /** The normalised path (what the access rule was checked against) and the query, without a token in it. */
  private static String target(RoutingContext ctx) {
    String query = ctx.request().query();
    if (query == null || query.isEmpty()) {
      return ctx.normalizedPath();
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty() && !pair.startsWith("access_token=") && !pair.equals("access_token")) {
        kept.append(kept.length() == 0 ? "" : "&").append(pair);
      }
    }
    return kept.length() == 0 ? ctx.normalizedPath() : ctx.normalizedPath() + "?" + kept;
  }

  private static boolean hasBody(HttpMethod method) {
    return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
  }
}
