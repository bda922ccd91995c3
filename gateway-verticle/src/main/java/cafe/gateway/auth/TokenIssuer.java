package cafe.gateway.auth;

import cafe.gateway.domain.Account;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;

/** Issues access tokens: RS256 JWTs with the claims every service reads. */
public final class TokenIssuer {
  private final SigningKey key;
  private final String issuer;
  private final int ttlSeconds;
  private final Clock clock;

  public TokenIssuer(SigningKey key, String issuer, int ttlSeconds, Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.ttlSeconds = ttlSeconds;
    this.clock = clock;
  }

  /** A signed token for the account; an RSA signature is CPU work, so call it off the event loop. */
  public String issue(Account account) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject()
        .put("iss", issuer)
        .put("sub", account.id())
        .put("preferred_username", account.username())
        .put("roles", new JsonArray(account.roles()))
        .put("iat", now)
        .put("exp", now + ttlSeconds)
        .put("jti", UUID.randomUUID().toString());
    return key.sign(claims);
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }
}
