package cafe.common.auth;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * Checks bearer tokens with the configured public key, so every service checks its callers itself
 * and not only the gateway. {@code JWT_PUBLIC_KEY} (PEM) or {@code JWT_PUBLIC_KEY_FILE};
 * {@code JWT_ALGORITHM} RS256 (default) or ES256; {@code JWT_ISSUER} checked when set. A token
 * that verified is remembered until it expires ({@link VerifiedTokens}, {@code JWT_CACHE_SIZE}), so its
 * signature is checked once per process, not once per request.
 */
public final class JwtVerifier {
  private final JWTAuth auth;
  private final VerifiedTokens verified;
  private final long leewaySeconds;

  private JwtVerifier(JWTAuth auth, VerifiedTokens verified, long leewaySeconds) {
    this.auth = auth;
    this.verified = verified;
    this.leewaySeconds = leewaySeconds;
  }

  public static JwtVerifier from(Vertx vertx, Env env) {
    String pem = env.pem("JWT_PUBLIC_KEY").orElseThrow(() -> new ConfigException(
        "JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE) is not set: give the PEM public key that verifies tokens"));
    String algorithm = env.string("JWT_ALGORITHM", "RS256");
    if (!algorithm.equals("RS256") && !algorithm.equals("ES256")) {
      throw new ConfigException("JWT_ALGORITHM=" + algorithm + " is not supported: use RS256 or ES256");
    }
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new ConfigException("JWT_PUBLIC_KEY is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    int leeway = env.integer("JWT_LEEWAY_SECONDS", 5);
    JWTOptions jwt = new JWTOptions().setLeeway(leeway);
    env.optional("JWT_ISSUER").ifPresent(jwt::setIssuer);
    try {
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem))
          .setJWTOptions(jwt));
      return new JwtVerifier(auth, new VerifiedTokens(env.integer("JWT_CACHE_SIZE", VerifiedTokens.DEFAULT_SIZE)),
          leeway);
    } catch (RuntimeException e) {
      throw new ConfigException("JWT_PUBLIC_KEY cannot be used as an " + algorithm + " key: " + e.getMessage());
    }
  }

  /** The caller a token speaks for; fails with a 401 problem for any token that does not verify. */
  public Future<Caller> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(ProblemException.unauthorized("a bearer token is required"));
    }
    Caller known = verified.get(token);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return auth.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(ProblemException.unauthorized("the token is not valid: " + err.getMessage())))
        .compose(user -> {
          JsonObject claims = user.principal();
          String sub = claims.getString("sub");
          if (sub == null || sub.isBlank()) {
            return Future.failedFuture(ProblemException.unauthorized("the token names no subject"));
          }
          Set<String> roles = new HashSet<>();
          Object raw = claims.getValue("roles");
          if (raw instanceof JsonArray array) {
            array.forEach(r -> roles.add(String.valueOf(r)));
          }
          Caller caller = new Caller(sub, claims.getString("preferred_username", sub), roles);
          verified.put(token, caller, expiry(user), leewaySeconds);
          return Future.succeededFuture(caller);
        });
  }

  /** The token's {@code exp}: the provider keeps the time claims among the user's attributes. */
  public static Long expiry(io.vertx.ext.auth.User user) {
    Object exp = user.attributes().getValue("exp");
    if (exp == null) {
      exp = user.principal().getValue("exp");
    }
    return exp instanceof Number n ? n.longValue() : null;
  }

  /** Route handler: requires a valid bearer token (see {@link #bearer}). */
  public Handler<RoutingContext> authenticate() {
    return ctx -> verify(bearer(ctx)).onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().attach(ctx);
        ctx.next();
      } else {
        Problem.send(ctx, ar.cause() instanceof ProblemException p ? p
            : ProblemException.unauthorized("the token is not valid"));
      }
    });
  }

  /** Route handler: the caller must hold one of these roles, else 403. */
  public static Handler<RoutingContext> requireRole(String... roles) {
    return ctx -> {
      if (Caller.of(ctx).hasAny(roles)) {
        ctx.next();
      } else {
        Problem.send(ctx, ProblemException.forbidden("this needs the role " + String.join(" or ", roles)));
      }
    };
  }

  /**
   * The caller's token: the {@code Authorization: Bearer} header, or {@code ?access_token=} on a WebSocket
   * handshake alone, since a browser cannot set headers there. Anywhere else a token in the URL is not
   * read: URLs end up in access logs and browser histories.
   */
  public static String bearer(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return isWebSocketHandshake(ctx) ? ctx.request().getParam("access_token") : null;
  }

  private static boolean isWebSocketHandshake(RoutingContext ctx) {
    return ctx.request().method() == io.vertx.core.http.HttpMethod.GET
        && "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"));
  }
}
