package cafe.gateway.auth;

import cafe.common.http.ProblemException;
import cafe.gateway.domain.Account;
import cafe.gateway.domain.Credentials;
import cafe.gateway.domain.PasswordHasher;
import cafe.gateway.store.AccountStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Sign-up and sign-in. Password hashing and token signing are CPU work that takes tens of
 * milliseconds, so they run on the worker pool, never on an event loop.
 */
public final class Identity {
  private static final Logger LOG = Logger.getLogger(Identity.class.getName());

  /** An account of the local default: its password is its name, as the README lists them. */
  private record Seed(String username, String role) {
  }

  private static final List<Seed> SEEDS = List.of(
      new Seed("alice", Account.CUSTOMER),
      new Seed("bob", Account.CUSTOMER),
      new Seed("barista", Account.BARISTA),
      new Seed("rider", Account.RIDER),
      new Seed("admin", Account.ADMIN));

  private final Vertx vertx;
  private final AccountStore accounts;
  private final PasswordHasher hasher;
  private final TokenIssuer issuer;

  /** A token as /auth/token answers it. */
  public record IssuedToken(String accessToken, int expiresIn, List<String> roles) {
  }

  public Identity(Vertx vertx, AccountStore accounts, PasswordHasher hasher, TokenIssuer issuer) {
    this.vertx = vertx;
    this.accounts = accounts;
    this.hasher = hasher;
    this.issuer = issuer;
  }

  /** A new customer account; a 409 problem when the name is taken. */
  public Future<Account> signUp(Credentials credentials) {
    return accounts.exists(credentials.username())
        .compose(taken -> taken
            ? Future.failedFuture(taken(credentials.username()))
            : vertx.executeBlocking(() -> hasher.hash(credentials.password()), false))
        .compose(hash -> {
          Account account = new Account(UUID.randomUUID().toString(), credentials.username(), hash,
              List.of(Account.CUSTOMER));
          return accounts.create(account)
              .compose(created -> created ? Future.succeededFuture(account) : Future.failedFuture(taken(account.username())));
        });
  }

  /** A signed token for matching credentials; empty for an unknown name or a wrong password (alike, on purpose). */
  public Future<Optional<IssuedToken>> signIn(Credentials credentials) {
    return accounts.find(credentials.username()).compose(found -> vertx.executeBlocking(() -> {
      if (found.isEmpty()) {
        return Optional.<IssuedToken>empty();
      }
      Account account = found.get();
      if (!hasher.matches(credentials.password(), account.passwordHash())) {
        return Optional.<IssuedToken>empty();
      }
      return Optional.of(new IssuedToken(issuer.issue(account), issuer.ttlSeconds(), account.roles()));
    }, false).compose(token -> {
      if (found.isEmpty()) {
        // As slow as a wrong password, so response times do not tell which names exist.
        return vertx.executeBlocking(() -> hasher.matchesNone(credentials.password()), false).map(token);
      }
      return Future.succeededFuture(token);
    }));
  }

  /** Creates the local default's accounts that do not exist yet; safe when replicas start together. */
  public Future<Void> seed() {
    Future<Void> chain = Future.succeededFuture();
    for (Seed seed : SEEDS) {
      chain = chain.compose(v -> accounts.exists(seed.username()).compose(exists -> exists
          ? Future.<Void>succeededFuture()
          : vertx.executeBlocking(() -> hasher.hash(seed.username()), false)
              .compose(hash -> accounts.create(new Account(UUID.randomUUID().toString(), seed.username(), hash,
                  List.of(seed.role()))))
              .map(created -> {
                if (created) {
                  LOG.info("seeded the account " + seed.username() + " (" + seed.role()
                      + "); set CAFE_SEED_USERS=false where these well-known passwords must not exist");
                }
                return null;
              })));
    }
    return chain;
  }

  private static ProblemException taken(String username) {
    return ProblemException.conflict("the username " + username + " is taken: choose another");
  }
}
