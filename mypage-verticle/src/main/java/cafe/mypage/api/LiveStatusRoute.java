package cafe.mypage.api;

import cafe.common.auth.JwtVerifier;
import cafe.common.http.Problem;
import cafe.common.http.ProblemException;
import cafe.common.http.RequestId;
import cafe.mypage.live.LiveSockets;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /ws/orders}: the token is checked first (header, or {@code ?access_token=} for
 * browsers) and only a verified caller is upgraded; anyone else gets a 401 problem and no socket.
 * Nothing reads the request before the upgrade: the token check needs only its head.
 */
public final class LiveStatusRoute {
  private LiveStatusRoute() {
  }

  public static void mount(Router router, JwtVerifier jwt, LiveSockets sockets) {
    // Ahead of the runtime's body handler: a handshake that says "Content-Length: 0" would otherwise
    // be read to its end, and an ended request can no longer be upgraded.
    router.get("/ws/orders").order(-1)
        .handler(RequestId.handler())
        .handler(ctx -> {
          // Held while the token is checked, so its end is still unread when the upgrade comes.
          ctx.request().pause();
          jwt.verify(JwtVerifier.bearer(ctx))
              .compose(caller -> upgrade(ctx).map(ws -> {
                sockets.open(ws, caller);
                return null;
              }))
              .onFailure(err -> fail(ctx, err));
        });
  }

  private static Future<ServerWebSocket> upgrade(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      return Future.failedFuture(new ProblemException(426, "upgrade-required", "Upgrade required",
          "GET /ws/orders is a WebSocket: send Connection: Upgrade and Upgrade: websocket",
          Map.of("Upgrade", "websocket")));
    }
    return request.toWebSocket();
  }

  private static void fail(RoutingContext ctx, Throwable err) {
    ctx.request().resume();
    if (err instanceof ProblemException problem) {
      Problem.send(ctx, problem);
    } else if (!ctx.response().headWritten()) {
      ctx.fail(err);
    }
  }
}
