package cafe.mypage.live;

import cafe.common.auth.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The WebSockets open on this instance: a customer's sockets get the pushes of that customer's
 * orders, staff sockets get every push. Each socket is written on its own event loop; idle sockets
 * are pinged, a socket that leaves a ping unanswered for two rounds is closed, and a client that
 * cannot keep up (its write queue full) is closed rather than buffered without end.
 */
public final class LiveSockets {
  private static final Logger LOG = Logger.getLogger(LiveSockets.class.getName());
  static final short GOING_AWAY = 1001;
  static final short TRY_AGAIN_LATER = 1013;
  private static final Buffer PING = Buffer.buffer("cafe");

  private final Vertx vertx;
  private final long pingNanos;
  private final int maxQueuedBytes;
  private final Map<String, Set<Socket>> customers = new ConcurrentHashMap<>();
  private final Set<Socket> staff = ConcurrentHashMap.newKeySet();
  private final long pinger;
  private final Counter sent;
  private final Counter slowClosed;

  /** {@code pingMs}: how long a socket may stay silent before it is pinged. */
  public LiveSockets(Vertx vertx, long pingMs, int maxQueuedBytes, MeterRegistry metrics) {
    this.vertx = vertx;
    this.pingNanos = pingMs * 1_000_000;
    this.maxQueuedBytes = maxQueuedBytes;
    this.pinger = vertx.setPeriodic(pingMs, pingMs, id -> everyone().forEach(s -> s.context.runOnContext(v -> s.ping())));
    this.sent = Counter.builder("cafe_mypage_pushes_sent").register(metrics);
    this.slowClosed = Counter.builder("cafe_mypage_sockets_closed_slow").register(metrics);
    Gauge.builder("cafe_mypage_sockets", this, LiveSockets::count).register(metrics);
  }

  /** Starts serving a socket just upgraded for {@code caller}; call it on the socket's event loop. */
  public void open(ServerWebSocket ws, Caller caller) {
    Socket socket = new Socket(ws, vertx.getOrCreateContext(), caller.id(), caller.isStaff());
    ws.setWriteQueueMaxSize(maxQueuedBytes);
    ws.pongHandler(pong -> socket.awaitingPongSince = 0);
    // Clients have nothing to say here; what they send is read and dropped so it cannot pile up.
    ws.handler(ignored -> {
    });
    ws.exceptionHandler(err -> LOG.fine(() -> "socket of " + caller.id() + ": " + err.getMessage()));
    ws.closeHandler(v -> forget(socket));
    ws.shutdownHandler(v -> ws.close(GOING_AWAY, "server restarting: reconnect"));
    if (socket.staff) {
      staff.add(socket);
    } else {
      customers.computeIfAbsent(socket.customerId, id -> ConcurrentHashMap.newKeySet()).add(socket);
    }
    LOG.fine(() -> "socket opened for " + caller.id() + (socket.staff ? " (staff)" : ""));
  }

  /** Sends a projected change ({@code customerId}, {@code orderId}, {@code status}, {@code event}, {@code at}) to whoever may see it. */
  public void deliver(JsonObject change) {
    String text = new JsonObject()
        .put("orderId", change.getString("orderId"))
        .put("status", change.getString("status"))
        .put("event", change.getString("event"))
        .put("at", change.getString("at"))
        .encode();
    Set<Socket> own = customers.get(change.getString("customerId"));
    if (own != null) {
      own.forEach(s -> s.post(text));
    }
    staff.forEach(s -> s.post(text));
  }

  public int count() {
    int n = staff.size();
    for (Set<Socket> sockets : customers.values()) {
      n += sockets.size();
    }
    return n;
  }

  /** Stops pinging and says goodbye to every socket still open. */
  public Future<Void> close() {
    vertx.cancelTimer(pinger);
    List<Future<Void>> closing = new ArrayList<>();
    for (Socket s : everyone()) {
      Promise<Void> closed = Promise.promise();
      s.context.runOnContext(v -> s.ws.close(GOING_AWAY, "server stopping: reconnect").onComplete(closed));
      closing.add(closed.future());
    }
    return Future.join(closing).mapEmpty();
  }

  private List<Socket> everyone() {
    List<Socket> all = new ArrayList<>(staff);
    customers.values().forEach(all::addAll);
    return all;
  }

  private void forget(Socket socket) {
    if (socket.staff) {
      staff.remove(socket);
    } else {
      customers.computeIfPresent(socket.customerId, (id, sockets) -> {
        sockets.remove(socket);
        return sockets.isEmpty() ? null : sockets;
      });
    }
    LOG.fine(() -> "socket closed for " + socket.customerId);
  }

  private final class Socket {
    final ServerWebSocket ws;
    final Context context;
    final String customerId;
    final boolean staff;
    // Touched on the socket's own event loop only.
    long lastWrite = System.nanoTime();
    long awaitingPongSince;
    boolean leaving;

    Socket(ServerWebSocket ws, Context context, String customerId, boolean staff) {
      this.ws = ws;
      this.context = context;
      this.customerId = customerId;
      this.staff = staff;
    }

    void post(String text) {
      context.runOnContext(v -> write(text));
    }

    private void write(String text) {
      if (leaving || ws.isClosed()) {
        return;
      }
      if (ws.writeQueueFull()) {
        leave(TRY_AGAIN_LATER, "too slow: reconnect and reload your orders");
        slowClosed.increment();
        LOG.info("closed the socket of " + customerId + ": it does not read its pushes fast enough");
        return;
      }
      ws.writeTextMessage(text);
      lastWrite = System.nanoTime();
      sent.increment();
    }

    /** Stops sending at once; the close handshake may take its time with a peer that does not read. */
    private void leave(short status, String reason) {
      leaving = true;
      forget(this);
      ws.close(status, reason);
    }

    private void ping() {
      if (leaving || ws.isClosed()) {
        return;
      }
      long now = System.nanoTime();
      if (awaitingPongSince != 0 && now - awaitingPongSince > 2 * pingNanos) {
        leave(GOING_AWAY, "no answer to ping");
        LOG.fine(() -> "closed the socket of " + customerId + ": no answer to pings");
        return;
      }
      // Half a round of silence is enough: the next round would come too late.
      if (now - lastWrite >= pingNanos / 2) {
        ws.writePing(PING);
        lastWrite = now;
        if (awaitingPongSince == 0) {
          awaitingPongSince = now;
        }
      }
    }
  }
}
