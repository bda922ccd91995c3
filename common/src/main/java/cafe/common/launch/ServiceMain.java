package cafe.common.launch;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What every service's {@code main} calls: configuration from the environment, start, a clear
 * one-line failure and exit 1 when it cannot start, and a SIGTERM hook that drains before exit.
 */
public final class ServiceMain {
  private ServiceMain() {
  }

  public static void run(String name, Function<ServiceRuntime, Future<?>> start) {
    Logging.configure(name);
    Logger log = Logger.getLogger(ServiceMain.class.getName());
    long began = System.nanoTime();
    ServiceRuntime runtime;
    try {
      runtime = ServiceRuntime.create(name, Env.system());
    } catch (ConfigException e) {
      System.err.println(name + ": cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      CountDownLatch done = new CountDownLatch(1);
      runtime.shutdown().onComplete(ar -> done.countDown());
      try {
        // A shutdown hook thread, not an event loop: waiting here is what holds the JVM open to drain.
        done.await(runtime.env().millis("SHUTDOWN_TIMEOUT_MS", 10_000) + 2_000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-drain"));
    Future<?> started;
    try {
      started = start.apply(runtime);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    runtime.whenStopped().onComplete(ar -> stopped.countDown());
    started.onComplete(ar -> {
      if (ar.succeeded()) {
        log.info(name + ": ready in " + (System.nanoTime() - began) / 1_000_000 + " ms");
      } else {
        System.err.println(name + ": cannot start: " + describe(ar.cause()));
        // Exit from a plain thread: the shutdown hook needs the event loops this callback runs on.
        new Thread(() -> System.exit(1)).start();
      }
    });
    // Until the first event-loop task runs, main may be the only non-daemon thread: hold the
    // process open here until the service has stopped.
    try {
      stopped.await(Long.MAX_VALUE, TimeUnit.DAYS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One line a person can act on: the setting's own message, else the innermost cause. */
  public static String describe(Throwable error) {
    Throwable t = error;
    while (!(t instanceof ConfigException) && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ConfigException) {
      return t.getMessage();
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
