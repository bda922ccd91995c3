package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
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
    HttpResponse<String> page = Http.get(gateway.url("/"), null);
    assertEquals(200, page.statusCode());
    assertTrue(Http.contentType(page).startsWith("text/html"), Http.contentType(page));
    for (String id : new String[] {"login-form", "signup-button", "menu-list", "card", "order-button", "orders-list",
        "notifications-list"}) {
      assertTrue(page.body().contains("id=\"" + id + "\""), id);
    }
    assertTrue(page.body().contains("value=\"4242424242424242\""), "the test card is filled in");
  }

  @Test
  void theStaffBoardsAreServed() throws Exception {
    HttpResponse<String> barista = Http.get(gateway.url("/barista.html"), null);
    assertEquals(200, barista.statusCode());
    assertTrue(barista.body().contains("id=\"tickets-queued\"") && barista.body().contains("id=\"stock-list\""));
    HttpResponse<String> rider = Http.get(gateway.url("/rider.html"), null);
    assertEquals(200, rider.statusCode());
    assertTrue(rider.body().contains("id=\"deliveries-waiting\""));
  }

  @Test
  void scriptsAndStylesAreServedWithTheirTypes() throws Exception {
    for (String script : new String[] {"/js/cafe.js", "/js/customer.js", "/js/barista.js", "/js/rider.js"}) {
      HttpResponse<String> answer = Http.get(gateway.url(script), null);
      assertEquals(200, answer.statusCode(), script);
      assertTrue(Http.contentType(answer).contains("javascript"), script + ": " + Http.contentType(answer));
    }
    HttpResponse<String> css = Http.get(gateway.url("/css/cafe.css"), null);
    assertTrue(Http.contentType(css).startsWith("text/css"));
    assertTrue(css.headers().firstValue("Cache-Control").orElse("").contains("max-age"));
  }

  @Test
  void noInlineScriptOrStyleNeedsTheCspRelaxed() throws Exception {
    for (String page : new String[] {"/", "/barista.html", "/rider.html"}) {
      String html = Http.get(gateway.url(page), null).body();
      assertTrue(!html.contains("style=\"") && !html.contains("<script>") && !html.contains("onclick="), page);
    }
  }

  @Test
  void anUnknownPageIsAProblem() throws Exception {
    HttpResponse<String> answer = Http.get(gateway.url("/no-such-page.html"), null);
    assertEquals(404, answer.statusCode());
    assertTrue(Http.contentType(answer).startsWith("application/problem+json"));
  }
}
