package cafe.gateway.api;

import cafe.common.http.Json;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.gateway.auth.Identity;
import cafe.gateway.auth.SigningKey;
import cafe.gateway.domain.Credentials;
import cafe.gateway.domain.InvalidCredentialsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Logger;

/** POST /auth/signup, POST /auth/token and the public key at /.well-known/jwks.json. */
final class IdentityRoutes {
  private static final Logger LOG = Logger.getLogger(IdentityRoutes.class.getName());

  private final Identity identity;
  private final JsonObject jwks;
  private final int passwordMin;

  private IdentityRoutes(Identity identity, SigningKey key, int passwordMin) {
    this.identity = identity;
    this.jwks = new JsonObject().put("keys", new JsonArray().add(key.jwk()));
    this.passwordMin = passwordMin;
  }

  static void mount(Router router, Identity identity, SigningKey key, int passwordMin) {
    IdentityRoutes routes = new IdentityRoutes(identity, key, passwordMin);
    router.post("/auth/signup").handler(routes::signUp);
    router.post("/auth/token").handler(routes::token);
    router.get("/.well-known/jwks.json").handler(routes::jwks);
  }

  /** With an outside identity provider, people sign up and sign in there. */
  static void mountElsewhere(Router router, String jwksUrl) {
    router.route("/auth/*").handler(ctx -> ctx.fail(ProblemException.notFound(
        "accounts are kept by the identity provider whose keys are at " + jwksUrl + ": sign in there")));
  }

  private void signUp(RoutingContext ctx) {
    JsonObject body = Json.body(ctx);
    Credentials credentials;
    try {
      credentials = Credentials.forSignup(body.getValue("username"), body.getValue("password"), passwordMin);
    } catch (InvalidCredentialsException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
    identity.signUp(credentials)
        .onSuccess(account -> {
          LOG.info("account " + account.username() + " signed up as " + account.id() + " [request "
              + RequestId.of(ctx) + "]");
          Json.send(ctx, 201, new JsonObject().put("userId", account.id()).put("username", account.username()));
        })
        .onFailure(ctx::fail);
  }

  private void token(RoutingContext ctx) {
    JsonObject body = Json.body(ctx);
    if (!(body.getValue("username") instanceof String) || !(body.getValue("password") instanceof String)) {
      throw ProblemException.badRequest("send {\"username\": \"...\", \"password\": \"...\"}");
    }
    Credentials credentials = Credentials.forLogin(body.getValue("username"), body.getValue("password"))
        .orElseThrow(IdentityRoutes::wrongCredentials);
    identity.signIn(credentials)
        .onSuccess(issued -> {
          if (issued.isEmpty()) {
            LOG.info("sign-in refused for " + credentials.username() + " [request " + RequestId.of(ctx) + "]");
            ctx.fail(wrongCredentials());
            return;
          }
          ctx.response().putHeader("Cache-Control", "no-store");
          Json.send(ctx, 200, new JsonObject()
              .put("access_token", issued.get().accessToken())
              .put("token_type", "Bearer")
              .put("expires_in", issued.get().expiresIn())
              .put("roles", new JsonArray(issued.get().roles())));
        })
        .onFailure(ctx::fail);
  }

  private void jwks(RoutingContext ctx) {
    ctx.response().putHeader("Cache-Control", "public, max-age=300");
    Json.send(ctx, 200, jwks);
  }

  private static ProblemException wrongCredentials() {
    return ProblemException.unauthorized("the username or password is wrong");
  }
}
