package cafe.gateway.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.gateway.Eventually;
import cafe.gateway.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The barista and the rider work an order by hand from their boards (auto modes off). */
class StaffBoardsIT {
  private static CafeStack cafe;

  @BeforeAll
  static void start() throws Exception {
    cafe = CafeStack.start("browser_staff", 0, 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cafe != null) {
      cafe.close();
    }
  }

  private static String tokenOf(String username, String password) throws Exception {
    HttpResponse<String> answer = Http.postJson(cafe.gateway().url("/auth/token"),
        new JsonObject().put("username", username).put("password", password));
    assertEquals(200, answer.statusCode(), answer.body());
    return Http.json(answer).getString("access_token");
  }

  /** A paid order placed through the API, as the customer page would. */
  private static String placeOrder(String customer) throws Exception {
    JsonObject order = new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("menuItemId", "cappuccino").put("qty", 1))
            .add(new JsonObject().put("menuItemId", "croissant").put("qty", 2)))
        .put("card", "4242424242424242").put("address", "7 Roastery Lane");
    HttpResponse<String> placed = Http.send("POST", cafe.gateway().url("/orders"), customer, order.encode(),
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertEquals(201, placed.statusCode(), placed.body());
    return Http.json(placed).getString("id");
  }

  private static String statusOf(String orderId, String customer) throws Exception {
    return Http.json(Http.get(cafe.gateway().url("/orders/" + orderId), customer)).getString("status");
  }

  private static void signIn(Browser browser, String page, String user) {
    browser.go(cafe.gateway().url(page));
    browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.type("login-username", user);
    browser.type("login-password", user);
    browser.byId("login-button").click();
    browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("board")));
  }

  @Test
  void theBaristaBrewsAndTheRiderDeliversFromTheirBoards() throws Exception {
    String alice = tokenOf("alice", "alice");
    String orderId = placeOrder(alice);

    try (Browser browser = Browser.open(Browser.DESKTOP)) {
      signIn(browser, "/barista.html", "barista");
      By queued = By.cssSelector("#tickets-queued [data-testid='ticket-" + orderId + "']");
      browser.waitFor(Duration.ofSeconds(20), ExpectedConditions.presenceOfElementLocated(queued));
      assertTrue(browser.driver().findElement(queued).getText().contains("Cappuccino"),
          browser.driver().findElement(queued).getText());
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.attributeToBe(By.id("live-indicator"), "data-state", "open"));
      browser.fitHeight();
      browser.screenshot("barista-board");

      browser.byTestId("start-" + orderId).click();
      By brewing = By.cssSelector("#tickets-brewing [data-testid='ticket-" + orderId + "']");
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(brewing));
      Eventually.await(Duration.ofSeconds(10), () -> statusOf(orderId, alice).equals("BREWING"));
      browser.screenshot("barista-brewing");

      browser.byTestId("complete-" + orderId).click();
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#tickets-ready [data-testid='ticket-" + orderId + "']")));
      Eventually.await(Duration.ofSeconds(10), () -> statusOf(orderId, alice).equals("READY"));

      // Stock: the barista corrects a level and the service keeps it.
      var input = browser.byTestId("stock-input-latte");
      input.clear();
      input.sendKeys("42");
      browser.byTestId("stock-save-latte").click();
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.textToBe(
          By.cssSelector("[data-testid='stock-level-latte']"), "42"));
      String barista = tokenOf("barista", "barista");
      JsonArray levels = Http.array(Http.get(cafe.gateway().url("/barista/stock"), barista));
      assertTrue(levels.stream().map(JsonObject.class::cast)
          .anyMatch(l -> l.getString("menuItemId").equals("latte") && l.getInteger("quantity") == 42), levels.encode());
      browser.fitHeight();
      browser.screenshot("barista-ready-and-stock");
    }

    try (Browser browser = Browser.open(Browser.DESKTOP)) {
      signIn(browser, "/rider.html", "rider");
      By waiting = By.cssSelector("#deliveries-waiting [data-testid='delivery-" + orderId + "']");
      browser.waitFor(Duration.ofSeconds(20), ExpectedConditions.presenceOfElementLocated(waiting));
      assertTrue(browser.driver().findElement(waiting).getText().contains("7 Roastery Lane"));
      browser.screenshot("rider-board");

      browser.byTestId("pickup-" + orderId).click();
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#deliveries-delivering [data-testid='delivery-" + orderId + "']")));
      Eventually.await(Duration.ofSeconds(10), () -> statusOf(orderId, alice).equals("DELIVERING"));

      browser.byTestId("deliver-" + orderId).click();
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#deliveries-delivered [data-testid='delivery-" + orderId + "']")));
      Eventually.await(Duration.ofSeconds(10), () -> statusOf(orderId, alice).equals("DELIVERED"));
      browser.screenshot("rider-delivered");
    }
  }

  @Test
  void aCustomerCannotUseTheBaristaBoard() throws Exception {
    try (Browser browser = Browser.open(Browser.PHONE)) {
      browser.go(cafe.gateway().url("/barista.html"));
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      browser.type("login-username", "alice");
      browser.type("login-password", "alice");
      browser.byId("login-button").click();
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.attributeToBe(By.id("auth-message"), "data-kind", "error"));
      assertTrue(browser.byId("auth-message").getText().contains("barista"), browser.byId("auth-message").getText());
      browser.screenshot("barista-refuses-customer");
    }
  }
}
