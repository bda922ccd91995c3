package cafe.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cafe.gateway.domain.Access.Decision;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteTest {

  @ParameterizedTest(name = "{0} as {1}: {2}")
  @CsvSource({
      "/menu, -, ALLOW",
      "/menu, customer, ALLOW",
      "/orders, -, NEEDS_TOKEN",
      "/orders/42/cancel, customer, ALLOW",
      "/orders, barista, FORBIDDEN",
      "/orders, admin, FORBIDDEN",
      "/mypage/orders, customer, ALLOW",
      "/mypage/orders, rider, FORBIDDEN",
      "/mypage/notifications, -, NEEDS_TOKEN",
      "/barista/tickets, barista, ALLOW",
      "/barista/tickets, admin, ALLOW",
      "/barista/stock, customer, FORBIDDEN",
      "/barista/stock, rider, FORBIDDEN",
      "/deliveries, rider, ALLOW",
      "/deliveries/42/pickup, admin, ALLOW",
      "/deliveries, barista, FORBIDDEN",
      "/payments/42, admin, ALLOW",
      "/payments/42, customer, FORBIDDEN",
      "/payments/42, -, NEEDS_TOKEN",
      "/ws/orders, customer, ALLOW",
      "/ws/orders, rider, ALLOW",
      "/ws/orders, -, NEEDS_TOKEN",
  })
  void eachRouteLetsInOnlyItsRoles(String path, String role, Decision expected) {
    Route route = Route.of(path);
    Set<String> roles = role.equals("-") ? null : Set.of(role);
    assertEquals(expected, route.access().decide(roles));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} as {2}: {3}")
  @org.junit.jupiter.params.provider.CsvSource({
      "GET, /orders/42, barista, ALLOW",
      "GET, /orders/42, rider, ALLOW",
      "GET, /orders/42, admin, ALLOW",
      "GET, /orders/42, customer, ALLOW",
      "GET, /mypage/orders/42, rider, ALLOW",
      "POST, /orders/42/cancel, barista, FORBIDDEN",
      "POST, /orders, admin, FORBIDDEN",
      "GET, /orders, barista, FORBIDDEN",
      "GET, /payments/42, barista, FORBIDDEN",
      "GET, /orders/42, -, NEEDS_TOKEN",
      "GET, /mypage/orders, barista, FORBIDDEN",
      "GET, /mypage/notifications, rider, FORBIDDEN",
  })
  void staffLookUpAnOrderByIdAndDoNothingElseOnACustomersRoute(String method, String path, String role, Decision expected) {
    Set<String> roles = role.equals("-") ? null : Set.of(role);
    assertEquals(expected, Route.of(path).accessFor(method, path).decide(roles));
  }

  @Test
  void aTokenWithoutRolesIsForbiddenWhereRolesAreNeeded() {
    assertEquals(Decision.FORBIDDEN, Route.of("/orders").access().decide(Set.of()));
    assertEquals(Decision.ALLOW, Route.of("/ws/orders").access().decide(Set.of()));
  }

  @Test
  void pathsGoToTheirService() {
    assertEquals("order", Route.of("/menu").upstream());
    assertEquals("order", Route.of("/orders/42").upstream());
    assertEquals("payment", Route.of("/payments/42").upstream());
    assertEquals("barista", Route.of("/barista/tickets").upstream());
    assertEquals("delivery", Route.of("/deliveries").upstream());
    assertEquals("mypage", Route.of("/mypage/orders").upstream());
    assertEquals("mypage", Route.of("/ws/orders").upstream());
  }

  @Test
  void lookalikePathsAreNotForwarded() {
    assertNull(Route.of("/barista.html"));
    assertNull(Route.of("/ordersx"));
    assertNull(Route.of("/"));
    assertNull(Route.of("/auth/token"));
  }
}
