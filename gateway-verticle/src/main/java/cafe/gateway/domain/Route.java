package cafe.gateway.domain;

import java.util.List;

/**
 * One path the gateway forwards: the path and everything under it goes to one upstream service,
 * for the callers {@link Access} allows; reads of one order by its id ({@code GET /orders/{id}},
 * {@code GET /mypage/orders/{id}}) are open to staff too, as {@code lookups} says. The table is the
 * public contract's (api.md).
 */
public record Route(String path, String upstream, Access access, Lookups lookups, boolean webSocket) {

  /** Reads of one thing below {@code prefix} (its id and anything under it), by {@code access}. */
  public record Lookups(String prefix, Access access) {
  }

  /** Staff look up any order by its id (the service shows a customer only their own). */
  private static final Access ORDER_LOOKUPS =
      Access.roles(Account.CUSTOMER, Account.BARISTA, Account.RIDER, Account.ADMIN);

  public static final List<Route> TABLE = List.of(
      new Route("/menu", "order", Access.anyone(), false),
      new Route("/orders", "order", Access.roles(Account.CUSTOMER), new Lookups("/orders/", ORDER_LOOKUPS), false),
      new Route("/payments", "payment", Access.roles(Account.ADMIN), false),
      new Route("/barista", "barista", Access.roles(Account.BARISTA, Account.ADMIN), false),
      new Route("/deliveries", "delivery", Access.roles(Account.RIDER, Account.ADMIN), false),
      new Route("/mypage", "mypage", Access.roles(Account.CUSTOMER), new Lookups("/mypage/orders/", ORDER_LOOKUPS),
          false),
      new Route("/ws/orders", "mypage", Access.anyCaller(), true));

  public Route(String path, String upstream, Access access, boolean webSocket) {
    this(path, upstream, access, null, webSocket);
  }

  /** Who may make this call: the lookups' roles for a read by id, else {@link #access}. */
  public Access accessFor(String method, String requestPath) {
    boolean read = "GET".equals(method) || "HEAD".equals(method);
    return read && lookups != null && requestPath.startsWith(lookups.prefix()) ? lookups.access() : access;
  }

  /** True for the path itself and any path below it ("/orders", "/orders/42"), not for "/ordersx". */
  public boolean covers(String requestPath) {
    return requestPath.equals(path) || requestPath.startsWith(path + "/");
  }

  /** The route a path belongs to, or null when the gateway does not forward it. */
  public static Route of(String requestPath) {
    for (Route route : TABLE) {
      if (route.covers(requestPath)) {
        return route;
      }
    }
    return null;
  }
}
