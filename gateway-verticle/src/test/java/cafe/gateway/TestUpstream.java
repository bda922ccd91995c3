package cafe.gateway;

import cafe.testkit.Await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for one service behind the gateway: a plain Vert.x HTTP server that answers every
 * request with what it saw, can be stopped and started again on the same port, and can be told to
 * answer 503 or to answer slowly. WebSockets: greets with what it saw, echoes text messages.
 */
public final class TestUpstream implements AutoCloseable {
  /** What the service saw of one request. */
  public record Seen(String method, String path, String query, MultiMap headers, String body) {
  }

  private final Vertx vertx;
  private final String name;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicLong delayMs = new AtomicLong();
  private volatile int status = 200;
  private HttpServer server;
  private int port;

  private TestUpstream(Vertx vertx, String name) {
    this.vertx = vertx;
    this.name = name;
  }

  public static TestUpstream start(Vertx vertx, String name) throws Exception {
    TestUpstream upstream = new TestUpstream(vertx, name);
    upstream.listen(0);
    return upstream;
  }

  public String name() {
    return name;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public List<Seen> seen() {
    return seen;
  }

  public Seen last() {
    return seen.get(seen.size() - 1);
  }

  /** The next {@code times} requests are answered 503, as a draining service would. */
  public void answerUnavailable(int times) {
    unavailable.set(times);
  }

  /** The next {@code times} requests are answered 503 busy with Retry-After, as an order service at capacity would. */
  public void answerBusy(int times) {
    busy.set(times);
  }

  public void answerAfter(long millis) {
    delayMs.set(millis);
  }

  public void answerStatus(int status) {
    this.status = status;
  }

  public synchronized void stop() throws Exception {
    if (server != null) {
      Await.result(server.close());
      server = null;
    }
  }

  public synchronized void restart() throws Exception {
    if (server == null) {
      listen(port);
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  private synchronized void listen(int onPort) throws Exception {
    server = Await.result(vertx.createHttpServer()
        .webSocketHandshakeHandler(handshake -> {
          if (handshake.headers().get("Authorization") == null) {
            handshake.reject(401);
          } else {
            handshake.accept();
          }
        })
        .webSocketHandler(ws -> {
          ws.writeTextMessage(new JsonObject()
              .put("hello", name)
              .put("path", ws.path())
              .put("query", ws.query())
              .put("authorization", ws.headers().get("Authorization"))
              .put("requestId", ws.headers().get("X-Request-Id"))
              .encode());
          ws.textMessageHandler(text -> {
            if (text.equals("close")) {
              ws.close((short) 4000, "bye");
            } else {
              ws.writeTextMessage(new JsonObject().put("echo", text).encode());
            }
          });
        })
        .requestHandler(this::answer)
        .listen(onPort, "127.0.0.1"));
    port = server.actualPort();
  }

  private void answer(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      Seen one = new Seen(request.method().name(), request.path(), request.query(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.toString());
      seen.add(one);
      Runnable reply = () -> {
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          request.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
              .putHeader("Retry-After", "2")
              .end(new JsonObject().put("type", "urn:cafe:problem:busy").put("title", "The cafe is busy")
                  .put("status", 503).put("detail", name + " is taking as many orders as it can").encode());
          return;
        }
        if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          request.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
              .end(new JsonObject().put("status", 503).put("detail", name + " is draining").encode());
          return;
        }
        JsonObject echo = new JsonObject()
            .put("service", name)
            .put("method", one.method())
            .put("path", one.path())
            .put("query", one.query())
            .put("authorization", one.headers().get("Authorization"))
            .put("requestId", one.headers().get("X-Request-Id"))
            .put("idempotencyKey", one.headers().get("Idempotency-Key"))
            .put("body", one.body());
        request.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .putHeader("Location", one.path() + "/42")
            .putHeader("X-Content-Type-Options", "upstream-value")
            .end(echo.encode());
      };
      long delay = delayMs.get();
      if (delay > 0) {
        vertx.setTimer(delay, t -> reply.run());
      } else {
        reply.run();
      }
    });
  }
}
