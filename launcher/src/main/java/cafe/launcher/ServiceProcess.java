package cafe.launcher;

import cafe.infra.Processes;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A service running as its own JVM, with its output in its own log file. */
final class ServiceProcess {

  private final Service service;
  private final int port;
  private final Path log;
  private final long startedNanos;
  private final Process process;

  private ServiceProcess(Service service, int port, Path log, Process process) {
    this.service = service;
    this.port = port;
    this.log = log;
    this.process = process;
    this.startedNanos = System.nanoTime();
  }

  static ServiceProcess start(Service service, int port, List<String> command, Map<String, String> env,
                              Path workDir, Path log) {
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(Processes.detached(command))
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(Redirect.to(log.toFile()));
      builder.environment().clear();
      builder.environment().putAll(env);
      return new ServiceProcess(service, port, log, builder.start());
    } catch (IOException e) {
      throw new LaunchException(service.name() + " could not be started: " + e.getMessage());
    }
  }

  Service service() {
    return service;
  }

  int port() {
    return port;
  }

  Path log() {
    return log;
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  double secondsSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Whether {@code GET /health/ready} answers 200 right now. */
  boolean answersReady(HttpClient http) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
        .timeout(Duration.ofSeconds(2))
        .GET()
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM, as a pod gets before it is killed. */
  void terminate() {
    process.destroy();
  }

  boolean awaitExit(long millis) {
    try {
      return process.waitFor(Math.max(0, millis), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  void kill() {
    process.destroyForcibly();
    awaitExit(5_000);
  }

  List<String> tail(int lines) {
    return Processes.tail(log, lines);
  }
}
