package cafe.gateway.domain;

import java.util.Set;

/** Who may pass the gateway on a route: anyone, anyone with a valid token, or holders of some roles. */
public record Access(boolean tokenRequired, Set<String> roles) {

  /** What the gateway does with one call. */
  public enum Decision { ALLOW, NEEDS_TOKEN, FORBIDDEN }

  public Access {
    roles = Set.copyOf(roles);
  }

  public static Access anyone() {
    return new Access(false, Set.of());
  }

  public static Access anyCaller() {
    return new Access(true, Set.of());
  }

  public static Access roles(String... roles) {
    return new Access(true, Set.of(roles));
  }

  /**
   * {@code callerRoles} is null for a call without a valid token. A public route lets everyone
   * through, even with a bad token: the token only matters where it is needed.
   */
  public Decision decide(Set<String> callerRoles) {
    if (!tokenRequired) {
      return Decision.ALLOW;
    }
    if (callerRoles == null) {
      return Decision.NEEDS_TOKEN;
    }
    if (roles.isEmpty()) {
      return Decision.ALLOW;
    }
    for (String role : callerRoles) {
      if (roles.contains(role)) {
        return Decision.ALLOW;
      }
    }
    return Decision.FORBIDDEN;
  }

  public String describe() {
    if (!tokenRequired) {
      return "anyone";
    }
    return roles.isEmpty() ? "any signed-in caller" : "the role " + String.join(" or ", roles.stream().sorted().toList());
  }
}
