package cafe.common.auth;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Checks bearer tokens, the same way in all six services, so every service checks its callers itself
 * and not only the gateway. The keys come from one of:
 * <ul>
 *   <li>{@code JWT_JWKS_URL}: an identity provider's published keys (Amazon Cognito, say), fetched at start
 *   (the start fails with the setting's name when they cannot be had), refreshed every
 *   {@code JWT_JWKS_REFRESH_SECONDS} (600), the key picked by the token's {@code kid}, RS256 or ES256;</li>
 *   <li>{@code JWT_PUBLIC_KEY} (PEM) or {@code JWT_PUBLIC_KEY_FILE}, with {@code JWT_ALGORITHM} RS256 (default)
 *   or ES256: the gateway's own signing key.</li>
 * </ul>
 * {@code JWT_ISSUER} and {@code JWT_AUDIENCE} are checked when set (the audience is {@code aud}, or
 * {@code client_id} in a Cognito access token, which has no {@code aud}); roles are read from
 * {@code JWT_ROLES_CLAIM} ({@code roles}; {@code cognito:groups} for Cognito), an array or one string.
 * A token that verified is remembered until it expires ({@link VerifiedTokens}, {@code JWT_CACHE_SIZE}), so
 * its signature is checked once per process, not once per request; a JWKS refresh forgets them.
 */
public final class JwtVerifier {
  private static final Logger LOG = Logger.getLogger(JwtVerifier.class.getName());

  private volatile JWTAuth auth;
  private final Optional<String> audience;
  private final String rolesClaim;
  private final VerifiedTokens verified;
  private final long leewaySeconds;

  private JwtVerifier(JWTAuth auth, Optional<String> audience, String rolesClaim, VerifiedTokens verified,
      long leewaySeconds) {
    this.auth = auth;
    this.audience = audience;
    this.rolesClaim = rolesClaim;
    this.verified = verified;
    this.leewaySeconds = leewaySeconds;
  }

  /** The verifier the environment asks for (see the class comment); fails with the setting's name. */
  public static Future<JwtVerifier> start(ServiceRuntime runtime) {
    Env env = runtime.env();
    Optional<String> jwks = env.optional("JWT_JWKS_URL");
    Optional<String> pem = env.pem("JWT_PUBLIC_KEY");
    if (jwks.isPresent() && pem.isPresent()) {
      return Future.failedFuture(new ConfigException("JWT_JWKS_URL and JWT_PUBLIC_KEY are both set: tokens are "
          + "checked with an identity provider's keys or with one key, so set one of them"));
    }
    if (jwks.isEmpty()) {
      try {
        String key = pem.orElseThrow(() -> new ConfigException("JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE) is not set, "
            + "nor JWT_JWKS_URL: give the PEM public key that verifies tokens, or the identity provider's JWKS URL"));
        return Future.succeededFuture(ofKey(runtime.vertx(), env, key, env.string("JWT_ALGORITHM", "RS256"), null,
            env.optional("JWT_ISSUER").orElse(null)));
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    }
    String url = jwks.get();
    env.url("JWT_JWKS_URL", null, "https", "http");
    long refreshSeconds = env.integer("JWT_JWKS_REFRESH_SECONDS", 600);
    if (refreshSeconds < 1) {
      return Future.failedFuture(new ConfigException("JWT_JWKS_REFRESH_SECONDS=" + refreshSeconds + " must be 1 or more"));
    }
    Vertx vertx = runtime.vertx();
    JWTOptions options = options(env, env.optional("JWT_ISSUER").orElse(null));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000));
    return fetch(vertx, client, url, options)
        .recover(err -> {
          client.close();
          return Future.failedFuture(new ConfigException("JWT_JWKS_URL=" + url + " cannot be used: " + err.getMessage()));
        })
        .map(first -> {
          JwtVerifier verifier = create(first, env);
          // Providers rotate keys now and then; a failed refresh keeps the keys already known.
          long timer = vertx.setPeriodic(refreshSeconds * 1000, t -> fetch(vertx, client, url, options)
              .onSuccess(fresh -> {
                verifier.auth = fresh;
                verifier.verified.clear();
              })
              .onFailure(err -> LOG.warning("JWKS refresh from " + url + " failed, keeping the keys we have: "
                  + err.getMessage())));
          runtime.onStop(() -> {
            vertx.cancelTimer(timer);
            client.close();
            return Future.succeededFuture();
          });
          LOG.info("trusting tokens signed with the keys published at " + url);
          return verifier;
        });
  }

  /** Trusts one key: {@code pem} with {@code algorithm} (RS256 or ES256); {@code issuer} checked unless null. */
  public static JwtVerifier ofKey(Vertx vertx, Env env, String pem, String algorithm, String kid, String issuer) {
    if (!algorithm.equals("RS256") && !algorithm.equals("ES256")) {
      throw new ConfigException("JWT_ALGORITHM=" + algorithm + " is not supported: use RS256 or ES256");
    }
    if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
      throw new ConfigException("JWT_PUBLIC_KEY is not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(pem);
    if (kid != null) {
      key.setId(kid);
    }
    try {
      return create(JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key).setJWTOptions(options(env, issuer))), env);
    } catch (RuntimeException e) {
      throw new ConfigException("JWT_PUBLIC_KEY cannot be used as an " + algorithm + " key: " + e.getMessage());
    }
  }

  private static JwtVerifier create(JWTAuth auth, Env env) {
    return new JwtVerifier(auth, env.optional("JWT_AUDIENCE"), env.string("JWT_ROLES_CLAIM", "roles"),
        new VerifiedTokens(env.integer("JWT_CACHE_SIZE", VerifiedTokens.DEFAULT_SIZE)), leeway(env));
  }

  private static JWTOptions options(Env env, String issuer) {
    JWTOptions options = new JWTOptions().setLeeway(leeway(env));
    if (issuer != null) {
      options.setIssuer(issuer);
    }
    return options;
  }

  private static int leeway(Env env) {
    return env.integer("JWT_LEEWAY_SECONDS", 5);
  }

  private static Future<JWTAuth> fetch(Vertx vertx, WebClient client, String url, JWTOptions options) {
    return client.getAbs(url).timeout(5000).send().compose(response -> {
      if (response.statusCode() != 200) {
        return Future.failedFuture("the JWKS answered HTTP " + response.statusCode());
      }
      JsonArray keys;
      try {
        keys = response.bodyAsJsonObject().getJsonArray("keys");
      } catch (RuntimeException e) {
        return Future.failedFuture("the JWKS is not JSON with a \"keys\" array");
      }
      List<JsonObject> usable = new ArrayList<>();
      if (keys != null) {
        for (Object key : keys) {
          if (key instanceof JsonObject jwk && !"enc".equals(jwk.getString("use"))) {
            usable.add(jwk);
          }
        }
      }
      if (usable.isEmpty()) {
        return Future.failedFuture("the JWKS holds no signing keys");
      }
      try {
        return Future.succeededFuture(JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable).setJWTOptions(options)));
      } catch (RuntimeException e) {
        return Future.failedFuture("the JWKS keys cannot be used: " + e.getMessage());
      }
    });
  }

  /** The caller a token speaks for; a 401 problem for a missing, malformed, unsigned, expired or foreign token. */
  public Future<Caller> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(ProblemException.unauthorized("a bearer token is required"));
    }
    if (token.chars().filter(c -> c == '.').count() != 2) {
      return Future.failedFuture(ProblemException.unauthorized("the token is malformed: expected a JWT"));
    }
    Caller known = verified.get(token);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    Future<User> checked;
    try {
      checked = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked
        .recover(err -> Future.failedFuture(ProblemException.unauthorized("the token is not valid: " + reason(err))))
        .compose(user -> caller(user.principal()).onSuccess(caller -> verified.put(token, caller, expiry(user),
            leewaySeconds)));
  }

  private Future<Caller> caller(JsonObject claims) {
    String sub = claims.getString("sub");
    if (sub == null || sub.isBlank()) {
      return Future.failedFuture(ProblemException.unauthorized("the token names no subject"));
    }
    if (audience.isPresent() && !forAudience(claims, audience.get())) {
      return Future.failedFuture(ProblemException.unauthorized("the token was issued for another audience"));
    }
    String username = firstText(claims, "preferred_username", "username", "cognito:username");
    return Future.succeededFuture(new Caller(sub, username == null ? sub : username, roles(claims.getValue(rolesClaim))));
  }

  /** {@code aud} (a string or an array) names it; a Cognito access token carries {@code client_id} instead. */
  private static boolean forAudience(JsonObject claims, String expected) {
    Object aud = claims.getValue("aud");
    if (aud instanceof String one) {
      return one.equals(expected);
    }
    if (aud instanceof JsonArray many) {
      return many.contains(expected);
    }
    return expected.equals(claims.getString("client_id"));
  }

  /** Roles as a JSON array, or as one space- or comma-separated string. */
  private static Set<String> roles(Object raw) {
    Set<String> roles = new LinkedHashSet<>();
    if (raw instanceof JsonArray array) {
      array.forEach(role -> roles.add(String.valueOf(role)));
    } else if (raw instanceof String text) {
      for (String role : text.split("[\\s,]+")) {
        if (!role.isEmpty()) {
          roles.add(role);
        }
      }
    }
    return roles;
  }

  private static String firstText(JsonObject claims, String... names) {
    for (String name : names) {
      Object value = claims.getValue(name);
      if (value instanceof String text && !text.isBlank()) {
        return text;
      }
    }
    return null;
  }

  private static String reason(Throwable err) {
    String message = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return message.length() > 120 ? message.substring(0, 120) : message;
  }

  /** The token's {@code exp}: the provider keeps the time claims among the user's attributes. */
  public static Long expiry(User user) {
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
    return ctx.request().method() == HttpMethod.GET && "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"));
  }
}
