package cafe.common.launch;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One event loop's HTTP server; a service deploys one instance per core on the same port. */
final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Supplier<Router> routers;
  private final Consumer<HttpServer> started;

  HttpVerticle(String host, int port, Supplier<Router> routers, Consumer<HttpServer> started) {
    this.host = host;
    this.port = port;
    this.routers = routers;
    this.started = started;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setIdleTimeout(60);
    return vertx.createHttpServer(options)
        .requestHandler(routers.get())
        .listen()
        .onSuccess(started::accept);
  }
}
