package cafe.common.launch;

import static cafe.common.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.common.Eventually;
import cafe.common.config.Env;
import cafe.common.http.ProblemException;
import cafe.common.store.PgStore;
import cafe.infra.LocalInfra;
import cafe.infra.TcpProxy;
import cafe.infra.TestInfra;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ServiceRuntimeIT {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void readinessGoesDownWhileDrainingAndInFlightRequestsFinish() throws Exception {
    // The checks below must land while readiness is down and the server still accepts: a delay that a
    // loaded machine's pause cannot outlast.
    ServiceRuntime runtime = ServiceRuntime.create("drain-it",
        new Env(Map.of("SHUTDOWN_DELAY_MS", "5000", "HTTP_INSTANCES", "2")));
    Promise<Void> release = Promise.promise();
    int port = await(runtime.serve(0, router -> router.get("/slow").handler(ctx ->
        release.future().onComplete(v -> ctx.response().end("brewed")))));
    assertEquals(200, get(port, "/health/ready").statusCode());

    CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    Future<Void> stopped = runtime.shutdown();
    HttpResponse<String> ready = get(port, "/health/ready");
    assertEquals(503, ready.statusCode());
    assertTrue(ready.body().contains("draining"), ready.body());
    assertEquals(200, get(port, "/health/live").statusCode());

    release.complete();
    assertEquals("brewed", inFlight.get().body());
    await(stopped);
  }

  @Test
  void readinessGoesDownWhenTheStoreIsUnreachableAndBackUpWhenItReturns() throws Exception {
    LocalInfra infra = TestInfra.shared();
    URI pg = URI.create(infra.pgUrl("ready_it"));
    ServiceRuntime runtime = ServiceRuntime.create("ready-it", new Env(Map.of()));
    TcpProxy proxy = new TcpProxy(pg.getHost(), pg.getPort());
    int proxyPort = proxy.port();
    String viaProxy = "postgresql://postgres@127.0.0.1:" + proxyPort + pg.getPath();
    Env env = new Env(Map.of("PG_URL", viaProxy));
    await(PgStore.from(env, "ready_it").open(runtime, List.of()));
    int port = await(runtime.serve(0, router -> { }));
    assertEquals(200, get(port, "/health/ready").statusCode());

    proxy.cut();
    Eventually.await(Duration.ofSeconds(15), () -> get(port, "/health/ready").statusCode() == 503);
    assertTrue(get(port, "/health/ready").body().contains("postgresql"));

    proxy.restore();
    Eventually.await(Duration.ofSeconds(15), () -> get(port, "/health/ready").statusCode() == 200);
    await(runtime.shutdown());
    proxy.close();
  }

  @Test
  void aWatchedDependencyThatIsAwayIsAMetricNotUnreadiness() throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("watch-it",
        new Env(Map.of("HTTP_INSTANCES", "1", "DEPENDENCY_CHECK_MS", "100")));
    java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
    runtime.watch("kafka", () -> away.get() ? Future.failedFuture("connection refused") : Future.succeededFuture());
    int port = await(runtime.serve(0, router -> { }));
    Eventually.await(Duration.ofSeconds(10), () -> dependencyUp(port, "kafka") == 1);

    away.set(true);
    Eventually.await(Duration.ofSeconds(10), () -> dependencyUp(port, "kafka") == 0);
    HttpResponse<String> ready = get(port, "/health/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals(200, get(port, "/health/live").statusCode());

    away.set(false);
    Eventually.await(Duration.ofSeconds(10), () -> dependencyUp(port, "kafka") == 1);
    await(runtime.shutdown());
  }

  /** The value of cafe_dependency_up for one dependency, -1 when it is not exported. */
  static int dependencyUp(int port, String dependency) throws Exception {
    for (String line : get(port, "/metrics").body().split("\n")) {
      if (line.startsWith("cafe_dependency_up{") && line.contains("dependency=\"" + dependency + "\"")) {
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  @Test
  void everyFailureIsProblemJson() throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("problem-it",
        new Env(Map.of("HTTP_BODY_LIMIT_BYTES", "1024", "HTTP_INSTANCES", "1")));
    int port = await(runtime.serve(0, router -> {
      router.post("/echo").handler(ctx -> cafe.common.http.Json.send(ctx, 200, cafe.common.http.Json.body(ctx)));
      router.get("/conflict").handler(ctx -> ctx.fail(ProblemException.conflict("the drink is already brewing")));
      router.get("/boom").handler(ctx -> {
        throw new IllegalStateException("bug");
      });
    }));
    assertProblem(get(port, "/nowhere"), 404);
    assertProblem(post(port, "/echo", "{\"items\": ["), 400);
    assertProblem(post(port, "/echo", "x".repeat(4096)), 413);
    HttpResponse<String> conflict = get(port, "/conflict");
    assertProblem(conflict, 409);
    assertEquals("the drink is already brewing", new JsonObject(conflict.body()).getString("detail"));
    HttpResponse<String> boom = get(port, "/boom");
    assertProblem(boom, 500);
    assertTrue(!boom.body().contains("bug"), "internals must not leak: " + boom.body());
    assertEquals(200, post(port, "/echo", "{\"ok\":true}").statusCode());
    await(runtime.shutdown());
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    ServiceRuntime runtime = ServiceRuntime.create("metrics-it", new Env(Map.of("HTTP_INSTANCES", "1")));
    int port = await(runtime.serve(0, router -> { }));
    get(port, "/health/live");
    HttpResponse<String> metrics = get(port, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("vertx_http_server_requests_total"), metrics.body());
    assertTrue(metrics.body().contains("vertx_http_server_response_time_seconds_bucket"), "no latency histogram");
    assertTrue(metrics.body().contains("service=\"metrics-it\""), metrics.body());
    await(runtime.shutdown());
  }

  static void assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject body = new JsonObject(response.body());
    assertEquals(status, body.getInteger("status"));
    assertTrue(body.getString("type").startsWith("urn:cafe:problem:"));
    assertTrue(!body.getString("detail", "").isBlank());
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(int port, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
