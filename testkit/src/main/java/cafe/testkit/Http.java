package cafe.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Plain HTTP calls as any client makes them (java.net.http, HTTP/1.1, keep-alive), with JSON
 * helpers. Paths are resolved against the base URL; a path that is a whole URL is used as it is
 * (so {@code new Http()} calls anywhere).
 */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final String base;

  /** Calls with whole URLs. */
  public Http() {
    this("");
  }

  public Http(String baseUrl) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** A service on this machine. */
  public Http(int port) {
    this("http://127.0.0.1:" + port);
  }

  /** The client underneath, e.g. for WebSockets. */
  public static HttpClient client() {
    return CLIENT;
  }

  /** An answer: status, body, headers, how long it took, and what was called. */
  public record Response(int status, String body, HttpHeaders headers, long millis, URI uri) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray array() {
      return new JsonArray(body);
    }

    /** The header's first value, or null. */
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** Content-Type, or "" when there is none. */
    public String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public String url(String path) {
    return path.startsWith("http://") || path.startsWith("https://") ? path : base + path;
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, Map.of());
  }

  /** POST with no body. */
  public Response post(String path, String token) {
    return send("POST", path, token, null, Map.of());
  }

  public Response post(String path, String token, String json) {
    return send("POST", path, token, json, Map.of());
  }

  public Response post(String path, String token, JsonObject json) {
    return send("POST", path, token, json.encode(), Map.of());
  }

  public Response post(String path, String token, String json, Map<String, String> headers) {
    return send("POST", path, token, json, headers);
  }

  public Response put(String path, String token, String json) {
    return send("PUT", path, token, json, Map.of());
  }

  public Response put(String path, String token, JsonObject json) {
    return send("PUT", path, token, json.encode(), Map.of());
  }

  public Response delete(String path, String token) {
    return send("DELETE", path, token, null, Map.of());
  }

  /** Any call; a non-null body is sent as application/json unless {@code headers} say otherwise. */
  public Response send(String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest request = request(method, path, token, body, headers);
    long start = System.nanoTime();
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers(), (System.nanoTime() - start) / 1_000_000, r.uri());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public CompletableFuture<Response> sendAsync(String method, String path, String token, String body,
      Map<String, String> headers) {
    HttpRequest request = request(method, path, token, body, headers);
    long start = System.nanoTime();
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers(), (System.nanoTime() - start) / 1_000_000,
            r.uri()));
  }

  public CompletableFuture<Response> postAsync(String path, String token, String json, Map<String, String> headers) {
    return sendAsync("POST", path, token, json, headers);
  }

  private HttpRequest request(String method, String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return b.build();
  }
}
