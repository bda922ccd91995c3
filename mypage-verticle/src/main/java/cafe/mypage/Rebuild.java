package cafe.mypage;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.common.events.BadEventException;
import cafe.common.events.Event;
import cafe.common.events.Topics;
import cafe.common.kafka.KafkaSettings;
import cafe.common.launch.Logging;
import cafe.common.launch.ServiceMain;
import cafe.common.store.RedisStore;
import cafe.mypage.events.EventReader;
import cafe.mypage.store.Keys;
import cafe.mypage.store.ViewStore;
import cafe.mypage.store.ViewStore.Projected;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Rebuilds the read model from the events themselves: replays the four topics from their beginning
 * up to the end offsets they had when it started, into an empty key prefix, and exits when caught up.
 * It leaves the live service's consumer group alone and publishes no pushes. Settings as the
 * service's: {@code REDIS_URL}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MYPAGE_KEY_PREFIX}.
 *
 * <pre>
 *   MYPAGE_KEY_PREFIX=mypage2: java -cp mypage-verticle.jar cafe.mypage.Rebuild [--group mypage2] [--wipe]
 * </pre>
 *
 * The way to switch without a gap: rebuild into a fresh prefix with {@code --group} naming a fresh
 * consumer group, which gets the offsets the rebuild stopped at; then run the service with that
 * prefix and {@code MYPAGE_CONSUMER_GROUP} set to that group: it goes on exactly where the rebuild
 * stopped. {@code --wipe} first deletes whatever is under the prefix (never the prefix in use).
 */
public final class Rebuild {
  private static final Logger LOG = Logger.getLogger(Rebuild.class.getName());
  private static final Duration POLL = Duration.ofMillis(500);

  /** What a rebuild did: records read, events applied, records skipped (unreadable or not shown). */
  public record Summary(long records, long applied, long skipped, long millis) {
  }

  /**
   * {@code wipe}: empty the prefix first; {@code group}: a consumer group (with no offsets yet) to
   * hand the offsets the rebuild stopped at, or null.
   */
  public record Options(boolean wipe, String group) {
    static Options parse(String[] args) {
      boolean wipe = false;
      String group = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--wipe")) {
          wipe = true;
        } else if (arg.equals("--group") && i + 1 < args.length) {
          group = args[++i];
        } else if (arg.startsWith("--group=")) {
          group = arg.substring("--group=".length());
        } else {
          throw new ConfigException("unknown argument " + arg + ": use [--group <consumer group>] [--wipe]");
        }
      }
      if (group != null && group.isBlank()) {
        throw new ConfigException("--group needs the name of a consumer group");
      }
      return new Options(wipe, group);
    }
  }

  private Rebuild() {
  }

  public static void main(String[] args) {
    Logging.configure("mypage-rebuild");
    Vertx vertx = Vertx.vertx();
    Future<Summary> done;
    try {
      done = run(vertx, Env.system(), Options.parse(args));
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> {
      int status = 0;
      if (ar.succeeded()) {
        Summary s = ar.result();
        LOG.info("rebuilt: " + s.records() + " records read, " + s.applied() + " events applied, "
            + s.skipped() + " skipped, in " + s.millis() + " ms");
      } else {
        System.err.println("mypage-rebuild: failed: " + ServiceMain.describe(ar.cause()));
        status = 1;
      }
      int exit = status;
      vertx.close().onComplete(x -> new Thread(() -> System.exit(exit)).start());
    });
  }

  /** Replays every topic into the prefix {@code MYPAGE_KEY_PREFIX} of {@code env}, which must be empty unless wiped. */
  public static Future<Summary> run(Vertx vertx, Env env, Options options) {
    MypageConfig config = MypageConfig.from(env);
    KafkaSettings kafka = KafkaSettings.from(env);
    RedisStore store = RedisStore.from(env);
    Redis redis = store.client(vertx);
    long started = System.nanoTime();
    return store.ping(redis)
        .compose(v -> emptied(redis, config.keys(), options.wipe(), "0"))
        .compose(v -> ViewStore.open(redis, config.keys(), config.limits()))
        .compose(views -> new Replay(vertx, kafka, views, options.group()).run())
        .map(r -> new Summary(r.records, r.applied, r.skipped, (System.nanoTime() - started) / 1_000_000))
        .eventually(redis::close);
  }

  /** Makes sure nothing is under the prefix: fails if something is, or deletes it with {@code wipe}. */
  private static Future<Void> emptied(Redis redis, Keys keys, boolean wipe, String cursor) {
    return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(keys.everything()).arg("COUNT").arg(1000))
        .compose(page -> {
          String next = page.get(0).toString();
          Response found = page.get(1);
          if (found.size() > 0 && !wipe) {
            return Future.failedFuture(new ConfigException("Redis already holds keys under MYPAGE_KEY_PREFIX="
                + keys.prefix() + " (e.g. " + found.get(0) + "): rebuild into an empty prefix, or pass --wipe"));
          }
          Future<Void> deleted = Future.succeededFuture();
          if (found.size() > 0) {
            Request unlink = Request.cmd(Command.UNLINK);
            found.forEach(key -> unlink.arg(key.toString()));
            deleted = redis.send(unlink).mapEmpty();
          }
          return deleted.compose(x -> next.equals("0") ? Future.succeededFuture() : emptied(redis, keys, wipe, next));
        });
  }

  /** One pass over the topics, from their beginning to the end offsets seen at the start. */
  private static final class Replay {
    private final ViewStore views;
    private final String group;
    private final KafkaAdminClient admin;
    private final KafkaConsumer<String, String> consumer;
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> end = new HashMap<>();
    private long records;
    private long applied;
    private long skipped;
    private long nextReport = 10_000;

    Replay(Vertx vertx, KafkaSettings kafka, ViewStore views, String group) {
      this.views = views;
      this.group = group;
      this.admin = group == null ? null : kafka.adminClient(vertx, "mypage-rebuild-admin");
      // Assigned, not subscribed: its own group id is never used.
      this.consumer = KafkaConsumer.create(vertx,
          kafka.consumer("mypage-rebuild-" + UUID.randomUUID(), "mypage-rebuild"));
    }

    Future<Replay> run() {
      List<Future<List<PartitionInfo>>> lookups = new ArrayList<>();
      Topics.ALL.forEach(topic -> lookups.add(consumer.partitionsFor(topic)));
      return Future.all(lookups)
          .compose(found -> {
            Set<TopicPartition> partitions = new HashSet<>();
            for (int i = 0; i < lookups.size(); i++) {
              for (PartitionInfo p : lookups.get(i).result()) {
                partitions.add(new TopicPartition(p.getTopic(), p.getPartition()));
              }
            }
            if (partitions.isEmpty()) {
              return Future.succeededFuture();
            }
            return unusedGroup()
                .compose(v -> consumer.assign(partitions))
                .compose(v -> consumer.seekToBeginning(partitions))
                .compose(v -> consumer.beginningOffsets(partitions))
                .compose(first -> {
                  next.putAll(first);
                  return consumer.endOffsets(partitions);
                })
                .compose(last -> {
                  end.putAll(last);
                  LOG.info("replaying " + partitions.size() + " partitions up to " + total(end) + " records");
                  return loop();
                })
                .compose(v -> handOver());
          })
          .map(v -> this)
          .eventually(() -> admin == null ? consumer.close() : consumer.close().eventually(admin::close));
    }

    /** The group to hand the offsets to must be new: one with offsets belongs to someone already. */
    private Future<Void> unusedGroup() {
      if (group == null) {
        return Future.succeededFuture();
      }
      return admin.listConsumerGroupOffsets(group).compose(offsets -> offsets.isEmpty()
          ? Future.succeededFuture()
          : Future.failedFuture(new ConfigException("the consumer group " + group
              + " already has offsets: name a new group for --group")));
    }

    /** Gives the group the offsets the replay stopped at, so a service in that group goes on from there. */
    private Future<Void> handOver() {
      if (group == null) {
        return Future.succeededFuture();
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      end.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset, "mypage rebuild")));
      return admin.alterConsumerGroupOffsets(group, offsets)
          .onSuccess(v -> LOG.info("consumer group " + group + " goes on from where the rebuild stopped"));
    }

    private Future<Void> loop() {
      if (caughtUp()) {
        return Future.succeededFuture();
      }
      return consumer.poll(POLL)
          .compose(batch -> batch.isEmpty() ? skipGaps() : apply(batch))
          .compose(v -> loop());
    }

    /** A quiet poll short of the end: offsets with no record behind them (deleted, markers) are passed. */
    private Future<Void> skipGaps() {
      List<Future<Void>> moves = new ArrayList<>();
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        if (next.getOrDefault(e.getKey(), 0L) < e.getValue()) {
          moves.add(consumer.position(e.getKey()).map(position -> {
            next.merge(e.getKey(), position, Math::max);
            return null;
          }));
        }
      }
      return Future.all(moves).mapEmpty();
    }

    private Future<Void> apply(KafkaConsumerRecords<String, String> batch) {
      List<Projected> events = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        KafkaConsumerRecord<String, String> record = batch.recordAt(i);
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        next.merge(tp, record.offset() + 1, Math::max);
        if (record.offset() >= end.getOrDefault(tp, 0L)) {
          continue; // written after the rebuild started: the live service applies it
        }
        records++;
        try {
          Projected p = EventReader.read(Event.parse(record.value()));
          if (p == null) {
            skipped++;
          } else {
            events.add(p);
          }
        } catch (BadEventException e) {
          skipped++;
          LOG.warning("skipping " + record.topic() + "/" + record.partition() + "@" + record.offset() + ": "
              + e.getMessage());
        }
      }
      return views.applyAll(events, false).map(results -> {
        results.forEach(r -> applied += r.applied() ? 1 : 0);
        if (records >= nextReport) {
          LOG.info("replayed " + records + " of " + total(end) + " records");
          nextReport += 10_000;
        }
        return null;
      });
    }

    private boolean caughtUp() {
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        if (next.getOrDefault(e.getKey(), 0L) < e.getValue()) {
          return false;
        }
      }
      return true;
    }

    private static long total(Map<TopicPartition, Long> offsets) {
      return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
