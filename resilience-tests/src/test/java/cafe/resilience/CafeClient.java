package cafe.resilience;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** The cafe as any client sees it: HTTP through the gateway (java.net.http), JSON answers. */
final class CafeClient {
  /** An answer, or the reason there was none (status 0). */
  record Answer(int status, String body, String error) {
    JsonObject json() {
      return new JsonObject(body);
    }

    boolean ok() {
      return status == 200;
    }
  }

  private final String base;
  private final HttpClient http;

  CafeClient(String base) {
    this.base = base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  HttpClient http() {
    return http;
  }

  String base() {
    return base;
  }

  /** {@code POST /auth/token} as a seeded user. */
  String token(String username) {
    String body = new JsonObject().put("username", username).put("password", username).encode();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/auth/token"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    Answer answer = send(request);
    if (answer.status() != 200) {
      throw new AssertionError("POST /auth/token as " + username + " answered " + answer.status() + ": "
          + answer.body() + answer.error());
    }
    return answer.json().getString("access_token");
  }

  Answer get(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token).GET().build());
  }

  /** GETs every path, a few at a time; answers by path. */
  Map<String, Answer> getAll(Collection<String> paths, String token, int concurrency) {
    Map<String, Answer> answers = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(concurrency);
    CompletableFuture<?>[] calls = new CompletableFuture<?>[paths.size()];
    int i = 0;
    for (String path : paths) {
      slots.acquireUninterruptibly();
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + token).GET().build();
      calls[i++] = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .handle((response, err) -> {
            slots.release();
            answers.put(path, err == null ? new Answer(response.statusCode(), response.body(), "")
                : new Answer(0, "", err.toString()));
            return null;
          });
    }
    CompletableFuture.allOf(calls).join();
    return answers;
  }

  Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(), "");
    } catch (IOException e) {
      return new Answer(0, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "", "interrupted");
    }
  }
}
