package cafe.gateway.api;

import cafe.common.auth.JwtVerifier;
import cafe.common.http.RequestId;
import cafe.gateway.GatewaySettings;
import cafe.gateway.auth.Identity;
import cafe.gateway.auth.SigningKey;
import cafe.gateway.domain.Route;
import cafe.gateway.limit.RateLimiter;
import cafe.gateway.proxy.Upstreams;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;

/**
 * The gateway's router, in the order a call meets it: security headers, CORS, then for API paths
 * the caller's identity and rate limit, the route's access rule and the service behind it; the
 * web pages last.
 */
public final class GatewayRoutes {
  private final GatewaySettings settings;
  private final Admission admission;
  private final Forwarder forwarder;
  private final OrderDoor orderDoor;
  private final Identity identity;
  private final SigningKey key;

  /** {@code identity} and {@code key} are null when an outside identity provider issues the tokens. */
  public GatewayRoutes(GatewaySettings settings, JwtVerifier tokens, RateLimiter limiter, Upstreams upstreams,
                       Identity identity, SigningKey key, OrderDoor orderDoor) {
    this.settings = settings;
    ClientAddress clients = new ClientAddress(settings.trustedProxyHops());
    this.admission = new Admission(tokens, limiter, settings.rateLimitPerUser(), settings.rateLimitPerAddress(), clients);
    this.forwarder = new Forwarder(upstreams, clients);
    this.orderDoor = orderDoor;
    this.identity = identity;
    this.key = key;
  }

  /** Called once per HTTP verticle instance; everything stateful is shared between them. */
  public void mount(Router router) {
    router.route().handler(SecurityHeaders.handler());
    if (!settings.corsOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create()
          .addOrigins(settings.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE))
          .allowedHeaders(Set.of("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"))
          .exposedHeaders(Set.of("Location", "Retry-After", "X-Request-Id", "X-RateLimit-Limit",
              "X-RateLimit-Remaining"))
          .maxAgeSeconds(600));
    }

    // New orders meet the edge's limit before anything else: refused here, they cost next to nothing.
    router.post("/orders").handler(orderDoor::handle);
    // API paths meet identity and the rate limit first; the pages further down do not (cheap and public).
    router.route("/auth/*").handler(admission::handle);
    router.route("/.well-known/*").handler(admission::handle);
    for (Route route : Route.TABLE) {
      if (route.webSocket()) {
        // Ahead of the runtime's body handler: a handshake that reads to its end can no longer be upgraded.
        router.routeWithRegex(HttpMethod.GET, pattern(route)).order(-1)
            .handler(RequestId.handler())
            .handler(SecurityHeaders.handler())
            .handler(ctx -> {
              // Held while the token and the rate limit are checked; let go once a plain answer is written.
              ctx.request().pause();
              ctx.addHeadersEndHandler(v -> ctx.request().resume());
              ctx.next();
            })
            .handler(admission::handle)
            .handler(ctx -> forwarder.guard(ctx, route))
            .handler(ctx -> forwarder.bridge(ctx, route));
      } else {
        router.routeWithRegex(pattern(route)).handler(admission::handle);
      }
    }

    if (identity != null) {
      IdentityRoutes.mount(router, identity, key, settings.passwordMinLength());
    } else {
      IdentityRoutes.mountElsewhere(router, settings.jwksUrl().orElse("JWT_JWKS_URL"));
    }

    for (Route route : Route.TABLE) {
      if (!route.webSocket()) {
        router.routeWithRegex(pattern(route))
            .handler(ctx -> forwarder.guard(ctx, route))
            .handler(ctx -> forwarder.forward(ctx, route));
      }
    }

    StaticHandler pages = StaticHandler.create("webroot")
        .setCachingEnabled(true)
        .setMaxAgeSeconds(300)
        .setIndexPage("index.html");
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(pages);
  }

  /** The route's path and everything below it, as {@link Route#covers} says. */
  private static String pattern(Route route) {
    return java.util.regex.Pattern.quote(route.path()) + "(/.*)?";
  }
}
