package cafe.gateway.api;

import cafe.common.auth.Caller;
import cafe.common.auth.JwtVerifier;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.gateway.limit.RateLimiter;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The first thing every API call meets: who is calling (a verified token, or nobody), then that
 * caller's rate limit: per user with a valid token, per client address without one.
 */
final class Admission {
  private static final String CALLER = "gateway.caller";
  private static final String TOKEN_PROBLEM = "gateway.tokenProblem";

  private final JwtVerifier tokens;
  private final RateLimiter limiter;
  private final int perUser;
  private final int perAddress;

  private final ClientAddress clients;

  Admission(JwtVerifier tokens, RateLimiter limiter, int perUser, int perAddress, ClientAddress clients) {
    this.clients = clients;
    this.tokens = tokens;
    this.limiter = limiter;
    this.perUser = perUser;
    this.perAddress = perAddress;
  }

  void handle(RoutingContext ctx) {
    String token = JwtVerifier.bearer(ctx);
    Future<Caller> identified = token == null
        ? Future.succeededFuture()
        : tokens.verify(token).otherwise(err -> {
          ctx.put(TOKEN_PROBLEM, err);
          return null;
        });
    identified
        .compose(caller -> {
          if (caller != null) {
            ctx.put(CALLER, caller);
            return limiter.take("user:" + caller.id(), perUser);
          }
          return limiter.take("addr:" + clients.of(ctx.request()), perAddress);
        })
        .onSuccess(verdict -> {
          if (verdict.limit() > 0) {
            ctx.response().putHeader("X-RateLimit-Limit", Integer.toString(verdict.limit()));
            ctx.response().putHeader("X-RateLimit-Remaining", Integer.toString(verdict.remaining()));
          }
          if (verdict.allowed()) {
            ctx.next();
          } else {
            Problem.send(ctx, new ProblemException(429, "too-many-requests", "Too many requests",
                "you sent more than " + verdict.limit() + " requests in this window; try again in "
                    + verdict.retryAfterSeconds() + " s",
                Map.of("Retry-After", Integer.toString(verdict.retryAfterSeconds()))));
          }
        })
        .onFailure(ctx::fail);
  }

  /** The verified caller, or null for a call without a valid token. */
  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** Why the token this call brought was refused, or a plain "token required" when it brought none. */
  static ProblemException missingToken(RoutingContext ctx) {
    Throwable refused = ctx.get(TOKEN_PROBLEM);
    if (refused instanceof ProblemException problem) {
      return problem;
    }
    return ProblemException.unauthorized("a bearer token is required: sign in at POST /auth/token");
  }
}
