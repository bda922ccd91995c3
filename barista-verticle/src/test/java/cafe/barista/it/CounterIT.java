package cafe.barista.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.barista.counter.Counter;
import cafe.barista.domain.PlacedOrder;
import cafe.barista.domain.Stock;
import cafe.barista.domain.Ticket;
import cafe.barista.domain.TicketLine;
import cafe.barista.domain.TicketStatus;
import cafe.barista.store.StockStore;
import cafe.barista.store.StockStore.OpKind;
import cafe.barista.store.TicketStore;
import cafe.common.events.Event;
import cafe.testkit.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The counter straight against MongoDB: truly concurrent use (many updates in flight at once, as
 * with many barista instances) and the crash windows between its steps.
 */
class CounterIT {
  private static Vertx vertx;
  private static MongoClient mongo;
  private static StockStore stock;
  private static TicketStore tickets;
  private static Counter counter;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", Bar.infra().mongoUrl("barista_direct")).put("db_name", "barista_direct"));
    stock = new StockStore(mongo);
    tickets = new TicketStore(vertx, mongo);
    counter = new Counter(tickets, stock, Clock.systemUTC());
    Await.result(stock.seed(Stock.MENU, 100));
  }

  @AfterAll
  static void stop() throws Exception {
    mongo.close();
    Await.result(vertx.close());
  }

  @Test
  void fiftyOrdersAtOnceForTheLastTenCroissantsQueueExactlyTen() throws Exception {
    Await.result(stock.set("croissant", 10));
    List<String> orders = new ArrayList<>();
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String orderId = Bar.newOrderId();
      orders.add(orderId);
      all.add(counter.takeOrder(order(orderId, "croissant", 1), placed(orderId)));
    }
    Await.result(Future.all(all));

    long queued = 0;
    long refused = 0;
    for (String orderId : orders) {
      TicketStatus status = Await.result(counter.ticket(orderId)).orElseThrow().status();
      queued += status == TicketStatus.QUEUED ? 1 : 0;
      refused += status == TicketStatus.OUT_OF_STOCK ? 1 : 0;
    }
    assertEquals(10, queued);
    assertEquals(40, refused);
    assertEquals(0, Await.result(stock.read()).levels().get("croissant"));
  }

  @Test
  void oneOrderHandledTenTimesAtOnceTakesItsStockOnce() throws Exception {
    Await.result(stock.set("latte", 50));
    String orderId = Bar.newOrderId();
    Event cause = placed(orderId);
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(counter.takeOrder(order(orderId, "latte", 3), cause));
    }
    Await.result(Future.all(all));

    assertEquals(47, Await.result(stock.read()).levels().get("latte"));
    JsonObject doc = Await.result(mongo.findOne(TicketStore.COLLECTION, new JsonObject().put("_id", orderId), null));
    assertEquals(1, doc.getJsonArray("outbox").size(), "one DrinkQueued");
  }

  @Test
  void aDrinkStartedWhileItIsBeingCancelledIsEitherCancelledWithItsStockBackOrBrewedNeverBoth() throws Exception {
    Await.result(stock.set("cappuccino", 100));
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String orderId = Bar.newOrderId();
      orders.add(orderId);
      Await.result(counter.takeOrder(order(orderId, "cappuccino", 1), placed(orderId)));
    }
    assertEquals(80, Await.result(stock.read()).levels().get("cappuccino"));

    List<Future<?>> race = new ArrayList<>();
    for (String orderId : orders) {
      race.add(counter.start(orderId).recover(err -> Future.succeededFuture()));
      race.add(counter.cancel(orderId, "alice", Event.of("order", "OrderCancelRequested", orderId, new JsonObject())));
    }
    Await.result(Future.all(race));

    int brewing = 0;
    for (String orderId : orders) {
      List<String> types = outboxTypes(orderId);
      if (Await.result(counter.ticket(orderId)).orElseThrow().status() == TicketStatus.BREWING) {
        brewing++;
        assertEquals(List.of("DrinkQueued", "DrinkStarted", "DrinkCancelRejected"), types, orderId);
      } else {
        assertEquals(TicketStatus.CANCELLED, Await.result(counter.ticket(orderId)).orElseThrow().status());
        assertEquals(List.of("DrinkQueued", "DrinkCancelled"), types, orderId);
      }
    }
    assertEquals(80 + (20 - brewing), Await.result(stock.read()).levels().get("cappuccino"));
  }

  @Test
  void aBaristaThatDiedAfterTakingTheStockLeavesTheRedeliveryOnlyTheTicketToWrite() throws Exception {
    Await.result(stock.set("green-tea", 30));
    String orderId = Bar.newOrderId();
    // What a barista did before it died: the stock update, but no ticket yet.
    long tidied = Await.result(stock.read()).tidied();
    assertTrue(Await.result(stock.take(orderId, Map.of("green-tea", 2), System.currentTimeMillis(), tidied)));
    assertTrue(Await.result(counter.ticket(orderId)).isEmpty());

    Await.result(counter.takeOrder(order(orderId, "green-tea", 2), placed(orderId)));

    assertEquals(TicketStatus.QUEUED, Await.result(counter.ticket(orderId)).orElseThrow().status());
    assertEquals(28, Await.result(stock.read()).levels().get("green-tea"), "taken once");
  }

  @Test
  void aCancellationCutShortBeforeTheStockWentBackIsFinishedByTheRedelivery() throws Exception {
    Await.result(stock.set("vanilla-latte", 30));
    String orderId = Bar.newOrderId();
    Await.result(counter.takeOrder(order(orderId, "vanilla-latte", 3), placed(orderId)));
    Event cancel = Event.of("order", "OrderCancelRequested", orderId, new JsonObject());
    cancelFirstStepOnly(orderId, cancel);
    assertEquals(27, Await.result(stock.read()).levels().get("vanilla-latte"));

    Await.result(counter.cancel(orderId, "alice", cancel));
    Await.result(counter.cancel(orderId, "alice", cancel));

    assertEquals(30, Await.result(stock.read()).levels().get("vanilla-latte"));
    assertEquals(List.of("DrinkQueued", "DrinkCancelled"), outboxTypes(orderId));
  }

  @Test
  void housekeepingFinishesCutShortReturnsAndForgetsSettledStockOps() throws Exception {
    Await.result(stock.set("americano", 30));
    String orderId = Bar.newOrderId();
    Await.result(counter.takeOrder(order(orderId, "americano", 1), placed(orderId)));
    cancelFirstStepOnly(orderId, Event.of("order", "OrderCancelRequested", orderId, new JsonObject()));
    assertTrue(Await.result(stock.read()).has(OpKind.TAKE, orderId));

    Await.result(counter.tidy());

    assertEquals(30, Await.result(stock.read()).levels().get("americano"));
    assertEquals(List.of("DrinkQueued", "DrinkCancelled"), outboxTypes(orderId));
    assertFalse(Await.result(stock.read()).has(OpKind.TAKE, orderId), "the settled take op is forgotten");
    assertFalse(Await.result(stock.read()).has(OpKind.RETURN, orderId), "so is the return, once the ticket shows it");

    // A late redelivery of the cancellation returns nothing a second time.
    Await.result(counter.cancel(orderId, "alice", Event.of("order", "OrderCancelRequested", orderId, new JsonObject())));
    Await.result(counter.tidy());
    assertEquals(30, Await.result(stock.read()).levels().get("americano"), "returned once");
  }

  @Test
  void aTakeDecidedBeforeHousekeepingForgotTheOrdersOpTakesNothing() throws Exception {
    Await.result(stock.set("latte", 30));
    String orderId = Bar.newOrderId();
    // One instance reads the stock and finds no ticket yet ...
    long tidiedWhenRead = Await.result(stock.read()).tidied();
    // ... while another takes the order, writes its ticket, and housekeeping forgets the take op.
    Await.result(counter.takeOrder(order(orderId, "latte", 2), placed(orderId)));
    Await.result(counter.tidy());
    assertFalse(Await.result(stock.read()).has(OpKind.TAKE, orderId));

    assertFalse(Await.result(stock.take(orderId, Map.of("latte", 2), System.currentTimeMillis(), tidiedWhenRead)));
    Await.result(counter.takeOrder(order(orderId, "latte", 2), placed(orderId)));
    assertEquals(28, Await.result(stock.read()).levels().get("latte"), "taken once");
  }

  @Test
  void anOrderTakenAfterHousekeepingRanReadsTheStockAgainAndTakesOnce() throws Exception {
    Await.result(stock.set("americano", 40));
    String first = Bar.newOrderId();
    Await.result(counter.takeOrder(order(first, "americano", 1), placed(first)));
    Await.result(counter.tidy());
    long tidied = Await.result(stock.read()).tidied();

    String second = Bar.newOrderId();
    Await.result(counter.takeOrder(order(second, "americano", 2), placed(second)));
    Await.result(counter.takeOrder(order(second, "americano", 2), placed(second)));

    assertEquals(TicketStatus.QUEUED, Await.result(counter.ticket(second)).orElseThrow().status());
    assertEquals(37, Await.result(stock.read()).levels().get("americano"));
    assertEquals(tidied, Await.result(stock.read()).tidied(), "taking never counts as tidying");
  }

  /** What a barista did before it died mid-cancellation: the ticket is cancelled, the stock not yet back. */
  private static void cancelFirstStepOnly(String orderId, Event cancel) throws Exception {
    Ticket ticket = Await.result(counter.ticket(orderId)).orElseThrow();
    assertTrue(Await.result(tickets.cancelQueued(ticket, ticket.cancel(Instant.now()).orElseThrow(), cancel)));
  }

  private static List<String> outboxTypes(String orderId) throws Exception {
    JsonObject doc = Await.result(mongo.findOne(TicketStore.COLLECTION, new JsonObject().put("_id", orderId), null));
    List<String> types = new ArrayList<>();
    doc.getJsonArray("outbox").forEach(e -> types.add(Event.parse(((JsonObject) e).getString("event")).type()));
    return types;
  }

  private static PlacedOrder order(String orderId, String item, int qty) {
    return new PlacedOrder(orderId, "alice", List.of(new TicketLine(item, item, qty)), "1 Mill Road");
  }

  private static Event placed(String orderId) {
    return Event.of("order", "OrderPlaced", orderId, new JsonObject().put("orderId", orderId));
  }
}
