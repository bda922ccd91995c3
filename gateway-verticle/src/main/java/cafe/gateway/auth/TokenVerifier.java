package cafe.gateway.auth;

import cafe.common.auth.Caller;
import cafe.common.auth.VerifiedTokens;
import cafe.common.config.ConfigException;
import cafe.common.http.ProblemException;
import cafe.common.launch.ServiceRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Checks bearer tokens at the gateway: signature (RS256), expiry with a small leeway, and the
 * issuer. Keys come from the gateway's own signing key, or, when {@code JWT_JWKS_URL} is set,
 * from an outside identity provider's JWKS (fetched at start and refreshed periodically); roles
 * are read from {@code JWT_ROLES_CLAIM}. A token that verified is remembered until it expires
 * ({@code JWT_CACHE_SIZE}), so its signature is checked once, not on every call; a JWKS refresh forgets them.
 */
public final class TokenVerifier {
  private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

  private final String rolesClaim;
  private final VerifiedTokens verified;
  private final int leewaySeconds;
  private volatile JWTAuth auth;

  private TokenVerifier(JWTAuth auth, String rolesClaim, VerifiedTokens verified, int leewaySeconds) {
    this.auth = auth;
    this.rolesClaim = rolesClaim;
    this.verified = verified;
    this.leewaySeconds = leewaySeconds;
  }

  /** Trusts the gateway's own key only. */
  public static TokenVerifier ownKey(Vertx vertx, SigningKey key, String issuer, int leewaySeconds, String rolesClaim,
                                     int cacheSize) {
    JWTAuthOptions options = new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(key.publicKeyPem()).setId(key.kid()))
        .setJWTOptions(new JWTOptions().setLeeway(leewaySeconds).setIssuer(issuer));
    return new TokenVerifier(JWTAuth.create(vertx, options), rolesClaim, new VerifiedTokens(cacheSize), leewaySeconds);
  }

  /**
   * Trusts the keys an identity provider publishes at {@code jwksUrl}; the issuer is checked when
   * given (an outside provider's issuer is its own URL, not this cafe's default).
   */
  public static Future<TokenVerifier> jwks(ServiceRuntime runtime, String jwksUrl, String issuerOrNull,
                                           int leewaySeconds, String rolesClaim, long refreshSeconds,
                                           int cacheSize) {
    Vertx vertx = runtime.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000));
    JWTOptions jwt = new JWTOptions().setLeeway(leewaySeconds);
    if (issuerOrNull != null) {
      jwt.setIssuer(issuerOrNull);
    }
    return fetch(vertx, client, jwksUrl, jwt)
        .recover(err -> {
          client.close();
          return Future.failedFuture(new ConfigException("JWT_JWKS_URL=" + jwksUrl + " cannot be used: "
              + err.getMessage()));
        })
        .map(auth -> {
          TokenVerifier verifier = new TokenVerifier(auth, rolesClaim, new VerifiedTokens(cacheSize), leewaySeconds);
          // Providers rotate keys now and then; a failed refresh keeps the keys already known.
          long timer = vertx.setPeriodic(refreshSeconds * 1000, t -> fetch(vertx, client, jwksUrl, jwt)
              .onSuccess(fresh -> {
                verifier.auth = fresh;
                verifier.verified.clear();
              })
              .onFailure(err -> LOG.warning("JWKS refresh from " + jwksUrl + " failed, keeping the keys we have: "
                  + err.getMessage())));
          runtime.onStop(() -> {
            vertx.cancelTimer(timer);
            client.close();
            return Future.succeededFuture();
          });
          LOG.info("trusting tokens signed with the keys published at " + jwksUrl);
          return verifier;
        });
  }

  private static Future<JWTAuth> fetch(Vertx vertx, WebClient client, String jwksUrl, JWTOptions jwt) {
    return client.getAbs(jwksUrl).timeout(5000).send().compose(response -> {
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
      return Future.succeededFuture(JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable).setJWTOptions(jwt)));
    });
  }

  /** The caller a token speaks for; a 401 problem for a missing, malformed, unsigned, expired or foreign token. */
  public Future<Caller> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(ProblemException.unauthorized("a bearer token is required: sign in at POST /auth/token"));
    }
    if (token.chars().filter(c -> c == '.').count() != 2) {
      return Future.failedFuture(ProblemException.unauthorized("the token is malformed: expected a JWT"));
    }
    Caller known = verified.get(token);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    Future<io.vertx.ext.auth.User> checked;
    try {
      checked = auth.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      checked = Future.failedFuture(e);
    }
    return checked
        .recover(err -> Future.failedFuture(ProblemException.unauthorized("the token is not valid: " + reason(err))))
        .compose(user -> caller(user.principal()).onSuccess(caller -> verified.put(token, caller,
            cafe.common.auth.JwtVerifier.expiry(user), leewaySeconds)));
  }

  private Future<Caller> caller(JsonObject claims) {
    String sub = claims.getString("sub");
    if (sub == null || sub.isBlank()) {
      return Future.failedFuture(ProblemException.unauthorized("the token names no subject"));
    }
    String username = firstText(claims, "preferred_username", "username", "cognito:username");
    return Future.succeededFuture(new Caller(sub, username == null ? sub : username, roles(claims.getValue(rolesClaim))));
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
}
