package cafe.barista.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Clock;
import java.time.Duration;
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
    await(stock.seed(Stock.MENU, 100));
  }

  @AfterAll
  static void stop() throws Exception {
    mongo.close();
    await(vertx.close());
  }

  @Test
  void fiftyOrdersAtOnceForTheLastTenCroissantsQueueExactlyTen() throws Exception {
    await(stock.set("croissant", 10));
    List<String> orders = new ArrayList<>();
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String orderId = Bar.newOrderId();
      orders.add(orderId);
      all.add(counter.takeOrder(order(orderId, "croissant", 1), placed(orderId)));
    }
    await(Future.all(all));

    long queued = 0;
    long refused = 0;
    for (String orderId : orders) {
      TicketStatus status = await(counter.ticket(orderId)).orElseThrow().status();
      queued += status == TicketStatus.QUEUED ? 1 : 0;
      refused += status == TicketStatus.OUT_OF_STOCK ? 1 : 0;
    }
    assertEquals(10, queued);
    assertEquals(40, refused);
    assertEquals(0, await(stock.read()).levels().get("croissant"));
  }

  @Test
  void oneOrderHandledTenTimesAtOnceTakesItsStockOnce() throws Exception {
    await(stock.set("latte", 50));
    String orderId = Bar.newOrderId();
    Event cause = placed(orderId);
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(counter.takeOrder(order(orderId, "latte", 3), cause));
    }
    await(Future.all(all));

    assertEquals(47, await(stock.read()).levels().get("latte"));
    JsonObject doc = await(mongo.findOne(TicketStore.COLLECTION, new JsonObject().put("_id", orderId), null));
    assertEquals(1, doc.getJsonArray("outbox").size(), "one DrinkQueued");
  }

  @Test
  void aDrinkStartedWhileItIsBeingCancelledIsEitherCancelledWithItsStockBackOrBrewedNeverBoth() throws Exception {
    await(stock.set("cappuccino", 100));
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String orderId = Bar.newOrderId();
      orders.add(orderId);
      await(counter.takeOrder(order(orderId, "cappuccino", 1), placed(orderId)));
    }
    assertEquals(80, await(stock.read()).levels().get("cappuccino"));

    List<Future<?>> race = new ArrayList<>();
    for (String orderId : orders) {
      race.add(counter.start(orderId).recover(err -> Future.succeededFuture()));
      race.add(counter.cancel(orderId, "alice", Event.of("order", "OrderCancelRequested", orderId, new JsonObject())));
    }
    await(Future.all(race));

    int brewing = 0;
    for (String orderId : orders) {
      List<String> types = outboxTypes(orderId);
      if (await(counter.ticket(orderId)).orElseThrow().status() == TicketStatus.BREWING) {
        brewing++;
        assertEquals(List.of("DrinkQueued", "DrinkStarted", "DrinkCancelRejected"), types, orderId);
      } else {
        assertEquals(TicketStatus.CANCELLED, await(counter.ticket(orderId)).orElseThrow().status());
        assertEquals(List.of("DrinkQueued", "DrinkCancelled"), types, orderId);
      }
    }
    assertEquals(80 + (20 - brewing), await(stock.read()).levels().get("cappuccino"));
  }

  @Test
  void aBaristaThatDiedAfterTakingTheStockLeavesTheRedeliveryOnlyTheTicketToWrite() throws Exception {
    await(stock.set("green-tea", 30));
    String orderId = Bar.newOrderId();
    // What a barista did before it died: the stock update, but no ticket yet.
    assertTrue(await(stock.take(orderId, Map.of("green-tea", 2), System.currentTimeMillis())));
    assertTrue(await(counter.ticket(orderId)).isEmpty());

    await(counter.takeOrder(order(orderId, "green-tea", 2), placed(orderId)));

    assertEquals(TicketStatus.QUEUED, await(counter.ticket(orderId)).orElseThrow().status());
    assertEquals(28, await(stock.read()).levels().get("green-tea"), "taken once");
  }

  @Test
  void aCancellationCutShortBeforeTheStockWentBackIsFinishedByTheRedelivery() throws Exception {
    await(stock.set("vanilla-latte", 30));
    String orderId = Bar.newOrderId();
    await(counter.takeOrder(order(orderId, "vanilla-latte", 3), placed(orderId)));
    Event cancel = Event.of("order", "OrderCancelRequested", orderId, new JsonObject());
    cancelFirstStepOnly(orderId, cancel);
    assertEquals(27, await(stock.read()).levels().get("vanilla-latte"));

    await(counter.cancel(orderId, "alice", cancel));
    await(counter.cancel(orderId, "alice", cancel));

    assertEquals(30, await(stock.read()).levels().get("vanilla-latte"));
    assertEquals(List.of("DrinkQueued", "DrinkCancelled"), outboxTypes(orderId));
  }

  @Test
  void housekeepingFinishesCutShortReturnsAndForgetsSettledStockOps() throws Exception {
    await(stock.set("americano", 30));
    String orderId = Bar.newOrderId();
    await(counter.takeOrder(order(orderId, "americano", 1), placed(orderId)));
    cancelFirstStepOnly(orderId, Event.of("order", "OrderCancelRequested", orderId, new JsonObject()));
    assertTrue(await(stock.read()).has(OpKind.TAKE, orderId));

    Counter aMinuteLater = new Counter(tickets, stock, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));
    await(aMinuteLater.tidy());

    assertEquals(30, await(stock.read()).levels().get("americano"));
    assertEquals(List.of("DrinkQueued", "DrinkCancelled"), outboxTypes(orderId));
    assertTrue(!await(stock.read()).has(OpKind.TAKE, orderId), "the settled take op is forgotten");
    assertTrue(await(stock.read()).has(OpKind.RETURN, orderId), "the fresh return op is kept a while");
  }

  /** What a barista did before it died mid-cancellation: the ticket is cancelled, the stock not yet back. */
  private static void cancelFirstStepOnly(String orderId, Event cancel) throws Exception {
    Ticket ticket = await(counter.ticket(orderId)).orElseThrow();
    assertTrue(await(tickets.cancelQueued(ticket, ticket.cancel(Instant.now()).orElseThrow(), cancel)));
  }

  private static List<String> outboxTypes(String orderId) throws Exception {
    JsonObject doc = await(mongo.findOne(TicketStore.COLLECTION, new JsonObject().put("_id", orderId), null));
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

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, SECONDS);
  }
}
