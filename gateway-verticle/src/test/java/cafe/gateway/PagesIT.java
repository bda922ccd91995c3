package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.testkit.Http;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web pages come from the gateway itself, with the ids the browser tests and people rely on. */
class PagesIT {
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = RunningGateway.start("gateway_pages_it", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theCustomerPageIsTheFrontDoor() throws Exception {
    Http.Response page = gateway.http().get("/", null);
    assertEquals(200, page.status());
    assertTrue(page.contentType().startsWith("text/html"), page.contentType());
    for (String id : new String[] {"login-form", "signup-button", "menu-list", "card", "order-button", "orders-list",
        "notifications-list"}) {
      assertTrue(page.body().contains("id=\"" + id + "\""), id);
    }
    assertTrue(page.body().contains("value=\"4242424242424242\""), "the test card is filled in");
  }

  @Test
  void theStaffBoardsAreServed() throws Exception {
    Http.Response barista = gateway.http().get("/barista.html", null);
    assertEquals(200, barista.status());
    assertTrue(barista.body().contains("id=\"tickets-queued\"") && barista.body().contains("id=\"stock-list\""));
    Http.Response rider = gateway.http().get("/rider.html", null);
    assertEquals(200, rider.status());
    assertTrue(rider.body().contains("id=\"deliveries-waiting\""));
  }

  @Test
  void scriptsAndStylesAreServedWithTheirTypes() throws Exception {
    for (String script : new String[] {"/js/cafe.js", "/js/customer.js", "/js/barista.js", "/js/rider.js"}) {
      Http.Response answer = gateway.http().get(script, null);
      assertEquals(200, answer.status(), script);
      assertTrue(answer.contentType().contains("javascript"), script + ": " + answer.contentType());
    }
    Http.Response css = gateway.http().get("/css/cafe.css", null);
    assertTrue(css.contentType().startsWith("text/css"));
    assertTrue(css.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
  }

  @Test
  void noInlineScriptOrStyleNeedsTheCspRelaxed() throws Exception {
    for (String page : new String[] {"/", "/barista.html", "/rider.html"}) {
      String html = gateway.http().get(page, null).body();
      assertTrue(!html.contains("style=\"") && !html.contains("<script>") && !html.contains("onclick="), page);
    }
  }

  @Test
  void anUnknownPageIsAProblem() throws Exception {
    Http.Response answer = gateway.http().get("/no-such-page.html", null);
    assertEquals(404, answer.status());
    assertTrue(answer.contentType().startsWith("application/problem+json"));
  }
}
