package cafe.mypage;

import cafe.testkit.Http;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A live-status WebSocket client, as a phone or browser would hold one; it records what it is sent. */
final class LiveClient implements WebSocket.Listener, AutoCloseable {

  final List<JsonObject> pushes = new CopyOnWriteArrayList<>();
  final List<Long> arrivals = new CopyOnWriteArrayList<>();
  final AtomicInteger pings = new AtomicInteger();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private WebSocket socket;

  /** Connects with the token in the Authorization header. */
  static LiveClient connect(int port, String token) throws Exception {
    LiveClient client = new LiveClient();
    client.socket = Http.client().newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/orders"), client)
        .get(10, TimeUnit.SECONDS);
    return client;
  }

  /** Connects as a browser does: the token in the query string. */
  static LiveClient connectWithQueryToken(int port, String token) throws Exception {
    LiveClient client = new LiveClient();
    client.socket = Http.client().newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/orders?access_token=" + token), client)
        .get(10, TimeUnit.SECONDS);
    return client;
  }

  List<String> orderIds() {
    return pushes.stream().map(p -> p.getString("orderId")).toList();
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      pushes.add(new JsonObject(partial.toString()));
      arrivals.add(System.nanoTime());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    pings.incrementAndGet();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
