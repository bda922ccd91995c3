package cafe.system.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.system.Cafe;
import cafe.system.CafeStack;
import cafe.testkit.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The barista and the rider work an order by hand from their boards (auto modes off). */
class StaffBoardsIT {
  @RegisterExtension
  static final Cafe cafe = Cafe.stack("browser_staff", 0, 0);

  /** A paid order placed through the API, as the customer page would. */
  private static String placeOrder(String customer) {
    return cafe.paidOrder(customer, "cappuccino", 1, "croissant", 2);
  }

  private static String statusOf(String orderId, String customer) throws Exception {
    return cafe.http().get("/orders/" + orderId, customer).json().getString("status");
  }

  private static void signIn(Browser browser, String page, String user) {
    browser.go(cafe.stack().gateway().url(page));
    browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    browser.type("login-username", user);
    browser.type("login-password", user);
    browser.byId("login-button").click();
    browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("board")));
  }

  @Test
  void theBaristaBrewsAndTheRiderDeliversFromTheirBoards() throws Exception {
    String alice = cafe.stack().tokenOf("alice", "alice");
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

      browser.click("start-" + orderId);
      By brewing = By.cssSelector("#tickets-brewing [data-testid='ticket-" + orderId + "']");
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(brewing));
      // The board moves over HTTP; the order hears of it over an outbox relay and Kafka, so its status is
      // waited for as long as the other Kafka hops are, on a loaded machine.
      Eventually.await(CafeStack.WAIT, () -> statusOf(orderId, alice).equals("BREWING"));
      browser.screenshot("barista-brewing");

      browser.click("complete-" + orderId);
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#tickets-ready [data-testid='ticket-" + orderId + "']")));
      Eventually.await(CafeStack.WAIT, () -> statusOf(orderId, alice).equals("READY"));

      // Stock: the barista corrects a level and the service keeps it.
      var input = browser.byTestId("stock-input-latte");
      input.clear();
      input.sendKeys("42");
      browser.click("stock-save-latte");
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.textToBe(
          By.cssSelector("[data-testid='stock-level-latte']"), "42"));
      String barista = cafe.stack().tokenOf("barista", "barista");
      JsonArray levels = cafe.http().get("/barista/stock", barista).array();
      assertTrue(levels.stream().map(JsonObject.class::cast)
          .anyMatch(l -> l.getString("menuItemId").equals("latte") && l.getInteger("quantity") == 42), levels.encode());
      browser.fitHeight();
      browser.screenshot("barista-ready-and-stock");
    }

    try (Browser browser = Browser.open(Browser.DESKTOP)) {
      signIn(browser, "/rider.html", "rider");
      By waiting = By.cssSelector("#deliveries-waiting [data-testid='delivery-" + orderId + "']");
      browser.waitFor(Duration.ofSeconds(20), ExpectedConditions.presenceOfElementLocated(waiting));
      assertTrue(browser.driver().findElement(waiting).getText().contains(Cafe.ADDRESS));
      browser.screenshot("rider-board");

      browser.click("pickup-" + orderId);
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#deliveries-delivering [data-testid='delivery-" + orderId + "']")));
      Eventually.await(CafeStack.WAIT, () -> statusOf(orderId, alice).equals("DELIVERING"));

      browser.click("deliver-" + orderId);
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#deliveries-delivered [data-testid='delivery-" + orderId + "']")));
      Eventually.await(CafeStack.WAIT, () -> statusOf(orderId, alice).equals("DELIVERED"));
      browser.screenshot("rider-delivered");
    }
  }

  @Test
  void aRiderFindsACustomersOrderByTheNumberOnItsPage() throws Exception {
    String alice = cafe.stack().tokenOf("alice", "alice");
    String orderId = placeOrder(alice);
    // The barista works by hand here, so it waits in the queue; my page follows it.
    Eventually.await(CafeStack.WAIT, () -> statusOf(orderId, alice).equals("QUEUED"));
    Eventually.await(CafeStack.WAIT, () -> cafe.view(alice, orderId) != null);

    try (Browser browser = Browser.open(Browser.PHONE)) {
      signIn(browser, "/rider.html", "rider");
      browser.type("lookup-id", orderId.substring(0, 8));
      browser.byId("lookup-button").click();
      browser.waitFor(Duration.ofSeconds(10),
          ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-testid='lookup-status']"), "In the queue"));
      String found = browser.byTestId("lookup-result").getText();
      assertTrue(found.contains("#" + orderId.substring(0, 8)) && found.contains("Cappuccino"), found);
      assertTrue(!browser.driver().findElements(By.cssSelector("[data-testid='lookup-timeline'] li")).isEmpty(),
          "the timeline is shown: " + found);
      browser.screenshot("rider-finds-an-order");

      browser.type("lookup-id", "ffffffff");
      browser.byId("lookup-button").click();
      browser.waitFor(Duration.ofSeconds(10),
          ExpectedConditions.textToBePresentInElementLocated(By.id("lookup-message"), "No order ffffffff"));
    }
  }

  @Test
  void aCustomerCannotUseTheBaristaBoard() throws Exception {
    try (Browser browser = Browser.open(Browser.PHONE)) {
      browser.go(cafe.stack().gateway().url("/barista.html"));
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
