package cafe.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Headers that keep browsers safe on every answer: the pages load only their own scripts and talk only to this origin. */
final class SecurityHeaders {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  /** Set by the gateway; an upstream's own values do not replace them. */
  static final Set<String> NAMES = Set.of("x-content-type-options", "x-frame-options", "referrer-policy",
      "content-security-policy", "permissions-policy");

  private SecurityHeaders() {
  }

  static Handler<RoutingContext> handler() {
    return ctx -> {
      MultiMap headers = ctx.response().headers();
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("X-Frame-Options", "DENY");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("Content-Security-Policy", CSP);
      headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
      ctx.next();
    };
  }
}
