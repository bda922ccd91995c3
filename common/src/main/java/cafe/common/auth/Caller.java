package cafe.common.auth;

import cafe.common.http.ProblemException;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Who is calling, as the token says: user id, name and roles. */
public record Caller(String id, String username, Set<String> roles) {
  public static final String CUSTOMER = "customer";
  public static final String BARISTA = "barista";
  public static final String RIDER = "rider";
  public static final String ADMIN = "admin";
  private static final String KEY = "caller";

  public Caller {
    roles = Set.copyOf(roles);
  }

  public boolean has(String role) {
    return roles.contains(role);
  }

  /** Staff see every order; a customer only their own. */
  public boolean isStaff() {
    return has(BARISTA) || has(RIDER) || has(ADMIN);
  }

  public boolean hasAny(String... wanted) {
    for (String role : wanted) {
      if (has(role)) {
        return true;
      }
    }
    return false;
  }

  void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The authenticated caller of this request; a route without authentication is a bug. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw ProblemException.unauthorized("a valid bearer token is required");
    }
    return caller;
  }
}
