import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of every group, as kafka-consumer-groups --describe counts it: per group, the sum over
 * its partitions of (end offset - committed offset), dead-letter topics left out. Prints one line per
 * group and a last line "total <n>". With --until-zero <ms> it asks again every 250 ms until the total
 * is 0 or the time is up. Run from the project folder:
 *   java -cp "launcher/target/lib/*" loadtest/Lag.java [bootstrap] [--until-zero <ms>]
 */
public class Lag {
  public static void main(String[] args) throws Exception {
    String bootstrap = "127.0.0.1:19092";
    long waitMs = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--until-zero")) {
        waitMs = Long.parseLong(args[++i]);
      } else {
        bootstrap = args[i];
      }
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    try (Admin admin = Admin.create(props)) {
      while (true) {
        Map<String, Long> byGroup = lagByGroup(admin);
        long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0 || System.nanoTime() >= deadline) {
          byGroup.forEach((group, lag) -> System.out.println(group + " " + lag));
          System.out.println("total " + total);
          return;
        }
        Thread.sleep(250);
      }
    }
  }

  private static Map<String, Long> lagByGroup(Admin admin) throws Exception {
    Map<String, Long> byGroup = new TreeMap<>();
    for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
        if (e.getValue() != null && !e.getKey().topic().endsWith(".dlq")) {
          lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
        }
      }
      byGroup.put(group.groupId(), lag);
    }
    return byGroup;
  }
}
