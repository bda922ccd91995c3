package cafe.system;

import static cafe.system.CafeStack.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.testkit.Eventually;
import cafe.testkit.Http;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A customer changes their mind. The barista and the rider work by hand here (auto modes off), so
 * the test decides how far the drink has come when the cancellation arrives.
 */
class CancellationIT {
  @RegisterExtension
  static final Cafe cafe = Cafe.stack("cancellation", 0, 0);

  @Test
  void staffLookUpAnyOrderAndItsTimelineWhileAnotherCustomerFindsNothing() {
    String alice = cafe.newCustomer();
    String bob = cafe.newCustomer();
    String id = cafe.paidOrder(alice, "latte", 1);
    cafe.awaitStatus(alice, id, "QUEUED");
    Eventually.await(WAIT, "my page has the order", () -> cafe.view(alice, id) != null);
    for (String staff : List.of("barista", "rider", "admin")) {
      String token = cafe.stack().staff(staff);
      Http.Response order = cafe.http().get("/orders/" + id, token);
      assertEquals(200, order.status(), staff + ": " + order.body());
      assertEquals("QUEUED", order.json().getString("status"), staff);
      Http.Response view = cafe.http().get("/mypage/orders/" + id, token);
      assertEquals(200, view.status(), staff + ": " + view.body());
      assertTrue(!view.json().getJsonArray("timeline").isEmpty(), staff + " sees the timeline: " + view.body());
      assertEquals(403, cafe.http().post("/orders/" + id + "/cancel", token).status(), staff + " may only look");
    }
    assertEquals(404, cafe.http().get("/orders/" + id, bob).status(), "another customer's order is not found");
    assertEquals(404, cafe.http().get("/mypage/orders/" + id, bob).status());
  }

  /** The chart's helm test script (charts/cafe/files/place-order.sh), run against this cafe as the hook runs it. */
  @Test
  void theChartsSmokeTestPlacesAPaidOrderAndCancelsIt() throws Exception {
    java.nio.file.Path script = java.nio.file.Path.of("..", "charts", "cafe", "files", "place-order.sh");
    ProcessBuilder smoke = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
    smoke.environment().putAll(java.util.Map.of("GATEWAY", "http://127.0.0.1:" + cafe.stack().gateway().port(),
        "MENU_ITEM", "americano", "CAFE_USERNAME", "alice", "CAFE_PASSWORD", "alice"));
    Process process = smoke.start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), output);
    assertEquals(0, process.exitValue(), output);
    java.util.regex.Matcher paid = java.util.regex.Pattern.compile("order (\\S+): PAID").matcher(output);
    assertTrue(paid.find(), output);
    assertTrue(output.contains("cancelled, its payment is refunded"), output);
    String id = paid.group(1);
    String alice = cafe.stack().tokenOf("alice", "alice");
    cafe.awaitStatus(alice, id, "CANCELLED");
    Eventually.await(WAIT, "the smoke test's payment is refunded", () -> "REFUNDED".equals(cafe.paymentStatus(id)));
  }

  @Test
  void cancellingAQueuedDrinkRefundsItAndPutsTheStockBack() {
    String alice = cafe.newCustomer();
    int lattes = cafe.stock("latte");
    String id = cafe.paidOrder(alice, "latte", 2);
    cafe.awaitStatus(alice, id, "QUEUED");
    assertEquals(lattes - 2, cafe.stock("latte"));

    Http.Response asked = cafe.cancel(alice, id);

    assertEquals(202, asked.status(), asked.body());
    assertEquals("CANCEL_REQUESTED", asked.json().getString("status"));
    JsonObject order = cafe.awaitStatus(alice, id, "CANCELLED");
    assertEquals("CUSTOMER", order.getString("cancelReason"));
    Eventually.await(WAIT, "the payment is refunded", () -> "REFUNDED".equals(cafe.paymentStatus(id)));
    Eventually.await(WAIT, "the two lattes are back", () -> cafe.stock("latte") == lattes);
    assertTrue(cafe.tickets("QUEUED,BREWING,READY").stream().noneMatch(t -> id.equals(t.getString("orderId"))),
        "the ticket left the board");
    JsonObject view = Eventually.value(WAIT, "my page shows it cancelled and refunded", () -> cafe.view(alice, id),
        v -> "CANCELLED".equals(v.getString("status")) && "REFUNDED".equals(v.getString("payment")));
    assertEquals("CUSTOMER", view.getString("cancelReason"));
    assertTrue(cafe.notifications(alice, id).stream().anyMatch(n -> n.getString("message").contains("refunded")),
        cafe.notifications(alice, id).toString());
  }

  @Test
  void cancellingWhileTheDrinkIsBrewingIsRefusedAndSaysWhy() {
    String bob = cafe.newCustomer();
    String id = cafe.paidOrder(bob, "vanilla-latte", 1);
    cafe.awaitStatus(bob, id, "QUEUED");
    Http.Response started = cafe.http().post("/barista/tickets/" + id + "/start", cafe.baristaToken());
    assertEquals(200, started.status(), started.body());
    cafe.awaitStatus(bob, id, "BREWING");

    Http.Response asked = cafe.cancel(bob, id);

    assertEquals(202, asked.status(), asked.body());
    assertEquals("CANCEL_REQUESTED", asked.json().getString("status"));
    List<JsonObject> refusal = Eventually.value(WAIT, "a notification says why", () -> cafe.notifications(bob, id),
        notes -> notes.stream().anyMatch(n -> n.getString("message").contains("couldn't cancel")));
    assertTrue(refusal.stream().anyMatch(n -> n.getString("message").contains("being made")), refusal.toString());
    cafe.awaitStatus(bob, id, "BREWING");
    assertEquals("APPROVED", cafe.paymentStatus(id), "nothing was refunded");
    assertEquals("BREWING", cafe.ticket(id).json().getString("status"));
    Eventually.await(WAIT, "my page shows it brewing again",
        () -> "BREWING".equals(cafe.view(bob, id).getString("status")));

    // The order goes on as if nobody had asked.
    String rider = cafe.stack().staff("rider");
    assertEquals(200, cafe.http().post("/barista/tickets/" + id + "/complete", cafe.baristaToken()).status());
    Eventually.await(WAIT, "the delivery waits for a rider", () -> "WAITING".equals(
        cafe.http().get("/deliveries/" + id, rider).json().getString("status")));
    assertEquals(200, cafe.http().post("/deliveries/" + id + "/pickup", rider).status());
    assertEquals(200, cafe.http().post("/deliveries/" + id + "/complete", rider).status());
    cafe.awaitStatus(bob, id, "DELIVERED");
    assertEquals("APPROVED", cafe.paymentStatus(id));
  }

  @Test
  void aDrinkNotYetStartedCannotBeCompleted() {
    String carol = cafe.newCustomer();
    String id = cafe.paidOrder(carol, "green-tea", 1);
    cafe.awaitStatus(carol, id, "QUEUED");

    Http.Response early = cafe.http().post("/barista/tickets/" + id + "/complete", cafe.baristaToken());

    assertEquals(409, early.status(), early.body());
    assertEquals("QUEUED", cafe.status(carol, id));
  }
}
