package cafe.common;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** A test thread waiting for a Vert.x future (never done on an event loop). */
public final class Await {
  private Await() {
  }

  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> future) throws Exception {
    return future.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
