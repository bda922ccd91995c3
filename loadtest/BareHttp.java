import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;

/**
 * The HTTP ceiling of this machine: a bare Vert.x 5 server with two verticle instances whose one
 * route answers any POST with 201 and a small JSON, as an order's answer would look. No router,
 * no JSON parsing, no store. Run from the project folder:
 *   java -cp "order-verticle/target/lib/*" loadtest/BareHttp.java [port]
 */
public class BareHttp {
  private static final String ANSWER = "{\"id\":\"0b5e8a4e-7d7c-4a8e-9c55-8f6b7c1d2e3f\",\"status\":\"PAID\","
      + "\"total\":5000,\"items\":[{\"menuItemId\":\"latte\",\"qty\":1}]}";

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setPort(port).setTcpNoDelay(true))
            .requestHandler(request -> request.body().onSuccess(body -> request.response()
                .setStatusCode(request.method().name().equals("POST") ? 201 : 200)
                .putHeader("Content-Type", "application/json")
                .end(ANSWER)))
            .listen();
      }
    }, new DeploymentOptions().setInstances(2))
        .toCompletionStage().toCompletableFuture().get();
    System.out.println("bare Vert.x listening on " + port);
  }
}
