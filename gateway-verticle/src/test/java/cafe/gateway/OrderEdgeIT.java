package cafe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.TestTokens;
import cafe.testkit.Http;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** New orders beyond what the edge lets through to order are refused at the gateway, without reaching order. */
class OrderEdgeIT {
  @RegisterExtension
  static final StandInServices gateway = StandInServices.behind("gateway_edge_it",
      Map.of("ORDER_EDGE_INITIAL_LIMIT", "1", "ORDER_EDGE_MIN_LIMIT", "1", "ORDER_EDGE_MAX_LIMIT", "1"));

  @Test
  void anOrderBeyondTheEdgesLimitIsRefusedBusyWithoutReachingOrder() throws Exception {
    TestUpstream order = gateway.upstream("order");
    String token = TestTokens.shared().token("c-edge", "customer");
    order.answerAfter(1000);
    try {
      int seenBefore = order.seen().size();
      CompletableFuture<Http.Response> first = gateway.http().postAsync("/orders", token, "{}", Map.of());
      // The first holds the edge's one place until order answers, a second later.
      cafe.testkit.Eventually.await(java.time.Duration.ofSeconds(10), "the first order at order",
          () -> order.seen().size() > seenBefore);
      Http.Response second = gateway.http().post("/orders", token, "{}");
      assertEquals(503, second.status(), second.body());
      assertEquals("urn:cafe:problem:busy", second.json().getString("type"));
      assertEquals("1", second.headers().firstValue("Retry-After").orElse(null));
      assertEquals(seenBefore + 1, order.seen().size(), "the refused order never reached order");
      assertEquals(200, first.join().status());
    } finally {
      order.answerAfter(0);
    }
    // The place is free again: the next order goes through.
    assertEquals(200, gateway.http().post("/orders", token, "{}").status());
  }

  @Test
  void otherCallsToOrderAreNotHeldByTheEdge() throws Exception {
    TestUpstream order = gateway.upstream("order");
    String token = TestTokens.shared().token("c-edge2", "customer");
    order.answerAfter(1000);
    try {
      CompletableFuture<Http.Response> placing = gateway.http().postAsync("/orders", token, "{}", Map.of());
      Http.Response reading = gateway.http().get("/orders", token);
      assertEquals(200, reading.status(), reading.body());
      assertTrue(reading.millis() >= 900, "answered by order after its delay, not refused at the edge");
      placing.join();
    } finally {
      order.answerAfter(0);
    }
  }
}
