package cafe.mypage.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.auth.Caller;
import cafe.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that does not read its pushes is closed instead of being buffered for without end. */
class LiveSocketsIT {
  Vertx vertx;
  SimpleMeterRegistry metrics;
  LiveSockets sockets;
  HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    metrics = new SimpleMeterRegistry();
    sockets = new LiveSockets(vertx, 60_000, 16 * 1024, metrics);
    server = Await.result(vertx.createHttpServer()
        .requestHandler(request -> request.toWebSocket()
            .onSuccess(ws -> sockets.open(ws, new Caller("slow-reader", "slow-reader", Set.of("customer")))))
        .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  @Test
  void aClientThatDoesNotReadIsClosed() throws Exception {
    try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
      handshake(client);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (sockets.count() == 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000);
      }
      assertEquals(1, sockets.count());

      JsonObject push = new JsonObject().put("customerId", "slow-reader").put("orderId", "o".repeat(16 * 1024))
          .put("status", "PAID").put("event", "PaymentApproved").put("at", "2026-11-21T06:14:28.123Z");
      // Far more than any socket buffer holds; the client never reads a byte of it.
      for (int i = 0; i < 8_000 && closedSlow() == 0; i++) {
        sockets.deliver(push);
        // Paced, so the pushes queued for the event loop stay few while it writes.
        if (i % 100 == 99) {
          LockSupport.parkNanos(2_000_000);
        }
      }
      deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (closedSlow() == 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(5_000_000);
      }
      assertEquals(1, closedSlow(), "the slow client was closed");
      assertEquals(0, sockets.count());
    }
  }

  private double closedSlow() {
    return metrics.get("cafe_mypage_sockets_closed_slow").counter().count();
  }

  private static void handshake(Socket client) throws Exception {
    OutputStream out = client.getOutputStream();
    out.write(("GET /ws/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = client.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
  }
}
