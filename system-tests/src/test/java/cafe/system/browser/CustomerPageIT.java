package cafe.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.system.Cafe;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A customer on a phone signs up, orders, and watches the order arrive, with barista and rider on auto. */
class CustomerPageIT {
  @RegisterExtension
  static final Cafe cafe = Cafe.stack("browser_customer", 300, 300);

  @Test
  void aCustomerOrdersAndSeesItDeliveredLive() throws Exception {
    String name = "guest" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.open(Browser.PHONE)) {
      browser.go(cafe.stack().gateway().url("/"));
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      browser.type("login-username", name);
      browser.type("login-password", "oat-milk");
      browser.screenshot("customer-sign-in");
      browser.byId("signup-button").click();

      browser.waitFor(Duration.ofSeconds(15), ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid='add-latte']")));
      assertEquals(name, browser.byId("who").getText());
      assertEquals("4242424242424242", browser.byId("card").getAttribute("value"));
      browser.click("add-latte");
      browser.click("add-latte");
      browser.click("add-croissant");
      assertEquals("2", browser.byTestId("qty-latte").getText());
      assertTrue(browser.byId("order-button").getText().contains("₩"), browser.byId("order-button").getText());
      browser.type("address", "12 Bean Street, 3F");
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.attributeToBe(By.id("live-indicator"), "data-state", "open"));
      browser.screenshot("customer-menu");

      browser.byId("order-button").click();
      browser.waitFor(Duration.ofSeconds(15), ExpectedConditions.attributeToBe(By.id("order-message"), "data-kind", "ok"));
      String orderId = browser.waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#orders-list li.order"))
          .stream().findFirst().map(li -> li.getAttribute("data-testid").substring("order-".length())).orElse(null));
      assertEquals("0", browser.byTestId("qty-latte").getText(), "the cart empties once the order is placed");

      By status = By.cssSelector("[data-testid='order-status-" + orderId + "']");
      browser.waitFor(Duration.ofSeconds(60), ExpectedConditions.attributeToBe(status, "data-status", "DELIVERED"));
      assertEquals("Delivered", browser.driver().findElement(status).getText());
      assertEquals("open", browser.byId("live-indicator").getAttribute("data-state"),
          "the status came over the live socket, not by polling");
      assertFalse(browser.driver().findElements(By.cssSelector("[data-testid='cancel-" + orderId + "']")).size() > 0,
          "a delivered order cannot be cancelled");
      browser.waitFor(Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#notifications-list li.notification")).size() >= 3);
      browser.fitHeight();
      browser.screenshot("customer-delivered");
    }
  }

  @Test
  void aDeclinedCardSaysSoAndChargesNothing() throws Exception {
    try (Browser browser = Browser.open(Browser.PHONE)) {
      browser.go(cafe.stack().gateway().url("/"));
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      browser.type("login-username", "bob");
      browser.type("login-password", "bob");
      browser.byId("login-button").click();
      browser.waitFor(Duration.ofSeconds(15), ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid='add-americano']")));
      browser.click("add-americano");
      browser.type("address", "1 Main St");
      browser.type("card", "4000000000000002");
      browser.byId("order-button").click();
      browser.waitFor(Duration.ofSeconds(15), ExpectedConditions.attributeToBe(By.id("order-message"), "data-kind", "error"));
      assertTrue(browser.byId("order-message").getText().contains("declined"), browser.byId("order-message").getText());
      browser.waitFor(Duration.ofSeconds(15), ExpectedConditions.attributeToBe(
          By.cssSelector("#orders-list li.order"), "data-status", "REJECTED"));
      browser.fitHeight();
      browser.screenshot("customer-declined");
    }
  }

  @Test
  void aWrongPasswordIsTurnedAwayKindly() throws Exception {
    try (Browser browser = Browser.open(Browser.PHONE)) {
      browser.go(cafe.stack().gateway().url("/"));
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
      browser.type("login-username", "alice");
      browser.type("login-password", "not-alice");
      browser.byId("login-button").click();
      browser.waitFor(Duration.ofSeconds(10), ExpectedConditions.attributeToBe(By.id("auth-message"), "data-kind", "error"));
      assertTrue(browser.byId("auth-message").getText().contains("do not match"));
      List<WebElement> shop = browser.driver().findElements(By.cssSelector("#shop:not(.hidden)"));
      assertTrue(shop.isEmpty(), "the shop stays closed");
    }
  }
}
