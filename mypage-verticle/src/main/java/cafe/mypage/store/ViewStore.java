package cafe.mypage.store;

import cafe.mypage.domain.Change;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The read model in Redis: each event applied by one Lua script (loaded once, run by its SHA, sent
 * again in full only when Redis has forgotten it), and the queries the pages need.
 */
public final class ViewStore {
  private static final String SCRIPT = resource("mypage/project.lua");

  private final Redis redis;
  private final Keys keys;
  private final Limits limits;
  private volatile String sha;

  /** How much is kept: notifications per customer, orders in the recent-orders index. */
  public record Limits(int notificationsKept, int recentOrdersKept) {
  }

  /** One event to apply: its id, order, customer, time and what it means. */
  public record Projected(String eventId, String orderId, String customerId, Instant at, Change change) {
  }

  /** The script's answer: whether the event was new, the order's status after it, whether it moved. */
  public record Applied(boolean applied, String status, boolean statusChanged) {
  }

  private ViewStore(Redis redis, Keys keys, Limits limits, String sha) {
    this.redis = redis;
    this.keys = keys;
    this.limits = limits;
    this.sha = sha;
  }

  /** Loads the projection script into Redis once. */
  public static Future<ViewStore> open(Redis redis, Keys keys, Limits limits) {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT))
        .map(sha -> new ViewStore(redis, keys, limits, sha.toString()));
  }

  public Keys keys() {
    return keys;
  }

  /** Applies one event exactly once; {@code push} publishes the change to every instance's sockets. */
  public Future<Applied> apply(Projected event, boolean push) {
    return redis.send(evalsha(event, push))
        .recover(err -> isNoScript(err) ? redis.send(eval(event, push)) : Future.failedFuture(err))
        .map(ViewStore::applied);
  }

  /**
   * Applies events in one round trip, in the given order (one connection, pipelined): a rebuild's
   * way through a topic. If Redis forgot the script, it is loaded again and the whole batch resent;
   * the events already applied are then skipped as duplicates.
   */
  public Future<List<Applied>> applyAll(List<Projected> events, boolean push) {
    if (events.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return batch(events, push).recover(err -> isNoScript(err)
        ? reload().compose(v -> batch(events, push))
        : Future.failedFuture(err));
  }

  private Future<List<Applied>> batch(List<Projected> events, boolean push) {
    List<Request> requests = new ArrayList<>(events.size());
    for (Projected event : events) {
      requests.add(evalsha(event, push));
    }
    return redis.batch(requests).map(responses -> responses.stream().map(ViewStore::applied).toList());
  }

  private Future<Void> reload() {
    return redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SCRIPT)).map(loaded -> {
      sha = loaded.toString();
      return null;
    });
  }

  /** The stored view of one order (internal fields included), or null. */
  public Future<JsonObject> order(String orderId) {
    return redis.send(Request.cmd(Command.GET).arg(keys.order(orderId)))
        .map(r -> r == null ? null : new JsonObject(r.toString()));
  }

  /** A customer's orders, newest first, created before {@code beforeMs} when given. */
  public Future<List<JsonObject>> ordersOf(String customerId, int limit, Long beforeMs) {
    return newest(keys.customerOrders(customerId), limit, beforeMs);
  }

  /** Every customer's recent orders, newest first (what staff see). */
  public Future<List<JsonObject>> recentOrders(int limit, Long beforeMs) {
    return newest(keys.recentOrders(), limit, beforeMs);
  }

  /** A customer's notifications, newest first. */
  public Future<List<JsonObject>> notifications(String customerId, int limit) {
    return redis.send(Request.cmd(Command.LRANGE).arg(keys.notifications(customerId)).arg(0).arg(limit - 1))
        .map(list -> {
          List<JsonObject> notes = new ArrayList<>(list.size());
          list.forEach(note -> notes.add(new JsonObject(note.toString())));
          return notes;
        });
  }

  private Future<List<JsonObject>> newest(String index, int limit, Long beforeMs) {
    String max = beforeMs == null ? "+inf" : "(" + beforeMs;
    return redis.send(Request.cmd(Command.ZREVRANGEBYSCORE).arg(index).arg(max).arg("-inf")
            .arg("LIMIT").arg(0).arg(limit))
        .compose(ids -> {
          if (ids.size() == 0) {
            return Future.succeededFuture(List.of());
          }
          Request mget = Request.cmd(Command.MGET);
          ids.forEach(id -> mget.arg(keys.order(id.toString())));
          return redis.send(mget).map(views -> {
            List<JsonObject> found = new ArrayList<>(views.size());
            views.forEach(v -> {
              if (v != null) {
                found.add(new JsonObject(v.toString()));
              }
            });
            return found;
          });
        });
  }

  private Request evalsha(Projected event, boolean push) {
    return withKeysAndArgs(Request.cmd(Command.EVALSHA).arg(sha), event, push);
  }

  private Request eval(Projected event, boolean push) {
    return withKeysAndArgs(Request.cmd(Command.EVAL).arg(SCRIPT), event, push);
  }

  private Request withKeysAndArgs(Request request, Projected e, boolean push) {
    return request.arg(5)
        .arg(keys.order(e.orderId()))
        .arg(keys.appliedEvents(e.orderId()))
        .arg(keys.customerOrders(e.customerId()))
        .arg(keys.recentOrders())
        .arg(keys.notifications(e.customerId()))
        .arg(e.eventId())
        .arg(e.orderId())
        .arg(e.customerId())
        .arg(Times.format(e.at()))
        .arg(e.at().toEpochMilli())
        .arg(ChangeJson.encode(e.change()))
        .arg(limits.notificationsKept())
        .arg(limits.recentOrdersKept())
        .arg(push ? keys.pushChannel() : "");
  }

  private static Applied applied(Response r) {
    return new Applied(r.get(0).toInteger() == 1, r.get(1).toString(), r.get(2).toInteger() == 1);
  }

  private static boolean isNoScript(Throwable err) {
    return err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT");
  }

  private static String resource(String name) {
    try (InputStream in = ViewStore.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
