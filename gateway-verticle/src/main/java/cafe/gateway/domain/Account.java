package cafe.gateway.domain;

import java.util.List;

/** A person who can sign in: an id for tokens, a unique name, a slow password hash and roles. */
public record Account(String id, String username, String passwordHash, List<String> roles) {
  public static final String CUSTOMER = "customer";
  public static final String BARISTA = "barista";
  public static final String RIDER = "rider";
  public static final String ADMIN = "admin";

  public Account {
    roles = List.copyOf(roles);
  }
}
