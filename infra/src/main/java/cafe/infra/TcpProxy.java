package cafe.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP hop in front of a real server that a test can cut, to make a store unreachable. */
public final class TcpProxy {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private NetServer server;

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  public Future<Integer> start() {
    server = vertx.createNetServer().connectHandler(in -> {
      if (cut) {
        in.close();
        return;
      }
      in.pause();
      client.connect(targetPort, targetHost).onSuccess(out -> {
        sockets.add(in);
        sockets.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      }).onFailure(err -> in.close());
    });
    return server.listen(0, "127.0.0.1").map(NetServer::actualPort);
  }

  /** Drops every connection and refuses new ones, as a dead store would. */
  public void cut() {
    cut = true;
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  public void restore() {
    cut = false;
  }
}
