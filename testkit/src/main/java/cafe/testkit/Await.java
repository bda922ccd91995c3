package cafe.testkit;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A test thread waiting for a Vert.x future (never done on an event loop), with a deadline. */
public final class Await {
  public static final Duration DEFAULT = Duration.ofSeconds(60);

  private Await() {
  }

  /** The future's result; its failure is thrown as it is when unchecked, wrapped otherwise. */
  public static <T> T result(Future<T> future) {
    return result(future, DEFAULT);
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }

  /** The failure of a future that must fail; an AssertionError if it succeeds. */
  public static Throwable failure(Future<?> future) {
    Throwable cause = result(future.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)));
    if (cause == null) {
      throw new AssertionError("expected a failure, but it succeeded");
    }
    return cause;
  }
}
