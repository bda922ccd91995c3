package cafe.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP calls as any client would make them (java.net.http), with JSON helpers. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {
  }

  public static HttpResponse<String> get(String url, String token) throws Exception {
    return send("GET", url, token, null, Map.of());
  }

  public static HttpResponse<String> post(String url, String token, String body) throws Exception {
    return send("POST", url, token, body, Map.of());
  }

  public static HttpResponse<String> postJson(String url, JsonObject body) throws Exception {
    return send("POST", url, null, body.encode(), Map.of());
  }

  public static HttpResponse<String> send(String method, String url, String token, String body,
                                          Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  public static JsonArray array(HttpResponse<String> response) {
    return new JsonArray(response.body());
  }

  public static String contentType(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  public static HttpClient client() {
    return CLIENT;
  }
}
