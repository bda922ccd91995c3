package cafe.gateway.domain;

import java.util.List;

/**
 * One path the gateway forwards: the path and everything under it goes to one upstream service,
 * for the callers {@link Access} allows. The table is the public contract's (api.md).
 */
public record Route(String path, String upstream, Access access, boolean webSocket) {

  public static final List<Route> TABLE = List.of(
      new Route("/menu", "order", Access.anyone(), false),
      new Route("/orders", "order", Access.roles(Account.CUSTOMER), false),
      new Route("/payments", "payment", Access.roles(Account.ADMIN), false),
      new Route("/barista", "barista", Access.roles(Account.BARISTA, Account.ADMIN), false),
      new Route("/deliveries", "delivery", Access.roles(Account.RIDER, Account.ADMIN), false),
      new Route("/mypage", "mypage", Access.roles(Account.CUSTOMER), false),
      new Route("/ws/orders", "mypage", Access.anyCaller(), true));

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
