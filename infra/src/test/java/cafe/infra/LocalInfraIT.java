package cafe.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.InfraOptions.Component;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class LocalInfraIT {

  private final LocalInfra infra = TestInfra.shared();

  @Test
  void kafkaRoundTripThroughAConsumerGroup() throws Exception {
    String topic = "round-trip-" + UUID.randomUUID();
    KafkaClients.send(infra.kafkaBootstrap(), topic, List.of("one", "two", "three"));

    assertEquals(4, KafkaClients.partitions(infra.kafkaBootstrap(), topic), "auto-created with num.partitions");
    List<String> received = KafkaClients.receive(infra.kafkaBootstrap(), "group-" + topic, topic, 3, Duration.ofSeconds(30));
    assertEquals(3, received.size());
    assertTrue(received.containsAll(List.of("one", "two", "three")));
    // The group's committed offsets live in __consumer_offsets: a second member starts after them.
    List<String> again = KafkaClients.receive(infra.kafkaBootstrap(), "group-" + topic, topic, 1, Duration.ofSeconds(2));
    assertEquals(List.of(), again);
  }

  @Test
  void postgresCreatesDatabasesOnDemand() throws Exception {
    String url = infra.pgUrl("order");
    assertTrue(url.matches("postgresql://postgres@127\\.0\\.0\\.1:\\d+/order"), url);
    assertEquals(url, infra.pgUrl("order"), "asking twice is fine");
    URI uri = URI.create(url);
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + "/order?user=postgres";
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS probe (id int primary key, name text)");
      statement.execute("INSERT INTO probe VALUES (1, 'latte') ON CONFLICT DO NOTHING");
      try (ResultSet rows = statement.executeQuery("SELECT current_database(), name FROM probe WHERE id = 1")) {
        assertTrue(rows.next());
        assertEquals("order", rows.getString(1));
        assertEquals("latte", rows.getString(2));
      }
    }
  }

  @Test
  void redisSetAndGet() {
    URI uri = URI.create(infra.redisUrl());
    assertEquals("127.0.0.1", uri.getHost());
    try (Jedis jedis = new Jedis(uri.getHost(), uri.getPort())) {
      jedis.set("greeting", "espresso");
      assertEquals("espresso", jedis.get("greeting"));
    }
  }

  @Test
  void mongoInsertAndFind() {
    String url = infra.mongoUrl("barista");
    try (MongoClient client = MongoClients.create(url)) {
      MongoCollection<Document> tickets = client.getDatabase("barista").getCollection("tickets");
      tickets.insertOne(new Document("_id", "t1").append("drink", "flat white"));
      Document found = tickets.find(new Document("_id", "t1")).first();
      assertEquals("flat white", found.getString("drink"));
    }
  }

  @Test
  void mongoAnswersAStatusQueryOnALargeCollectionWithoutReadingItWhole() {
    try (MongoClient client = MongoClients.create(infra.mongoUrl("barista"))) {
      MongoCollection<Document> tickets = client.getDatabase("barista").getCollection("by_status");
      List<Document> done = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        done.add(new Document("_id", "done-" + i).append("status", "READY").append("createdAt", i));
      }
      tickets.insertMany(done);
      tickets.insertMany(List.of(new Document("_id", "q3").append("status", "QUEUED").append("createdAt", 9003),
          new Document("_id", "q1").append("status", "QUEUED").append("createdAt", 9001),
          new Document("_id", "b2").append("status", "BREWING").append("createdAt", 9002)));
      long scans = IdIndexedBackends.SCANS.sum();

      assertEquals(List.of("q1", "q3"), ids(tickets.find(new Document("status", "QUEUED"))
          .sort(new Document("createdAt", 1))));
      assertEquals(List.of("q1", "b2", "q3"), ids(tickets.find(new Document("status",
          new Document("$in", List.of("QUEUED", "BREWING")))).sort(new Document("createdAt", 1))));
      // Moves and removals are followed; other fields of the filter still count.
      tickets.updateOne(new Document("_id", "q1"), new Document("$set", new Document("status", "BREWING")));
      tickets.deleteOne(new Document("_id", "q3"));
      assertEquals(List.of(), ids(tickets.find(new Document("status", "QUEUED"))));
      assertEquals(List.of("q1", "b2"), ids(tickets.find(new Document("status", "BREWING"))
          .sort(new Document("createdAt", 1))));
      assertEquals(List.of("b2"), ids(tickets.find(new Document("status", "BREWING").append("createdAt", 9002))));
      assertEquals(0, IdIndexedBackends.SCANS.sum() - scans, "a status query read the whole collection");

      // A filter the index cannot narrow still finds everything, by reading the collection (and is counted so).
      assertEquals(5000, ids(tickets.find(new Document("status", new Document("$ne", "BREWING")))).size());
      assertTrue(IdIndexedBackends.SCANS.sum() > scans, "a whole-collection read is counted");
    }
  }

  private static List<Object> ids(com.mongodb.client.FindIterable<Document> found) {
    return found.map(d -> d.get("_id")).into(new ArrayList<>());
  }

  @Test
  void mongoFiltersThatPinTheIdStillMatchEveryField() {
    try (MongoClient client = MongoClients.create(infra.mongoUrl("barista"))) {
      MongoCollection<Document> tickets = client.getDatabase("barista").getCollection("conditional");
      tickets.insertMany(List.of(new Document("_id", "a").append("status", "QUEUED"),
          new Document("_id", "b").append("status", "BREWING"), new Document("_id", "c").append("status", "QUEUED")));

      assertEquals(0, tickets.updateOne(new Document("_id", "a").append("status", "BREWING"),
          new Document("$set", new Document("status", "READY"))).getMatchedCount());
      assertEquals(1, tickets.updateOne(new Document("_id", "a").append("status", "QUEUED"),
          new Document("$set", new Document("status", "BREWING"))).getMatchedCount());
      assertEquals("BREWING", tickets.find(new Document("_id", "a")).first().getString("status"));
      assertEquals(0, tickets.updateOne(new Document("_id", "a").append("status", "QUEUED"),
          new Document("$set", new Document("status", "BREWING"))).getMatchedCount());

      List<Object> queued = tickets.find(new Document("_id", new Document("$in", List.of("a", "b", "c")))
          .append("status", "QUEUED")).map(d -> d.get("_id")).into(new ArrayList<>());
      assertEquals(List.of("c"), queued);
      assertEquals(0, tickets.countDocuments(new Document("_id", "zz").append("status", "QUEUED")));
    }
  }

  @Test
  void aTakenPortFailsFastWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      InfraOptions options = InfraOptions.ephemeral()
          .without(Component.KAFKA, Component.POSTGRES, Component.MONGO)
          .withPorts(0, 0, taken.getLocalPort(), 0);
      InfraException error = assertThrows(InfraException.class, () -> LocalInfra.start(options));
      assertTrue(error.getMessage().contains("Redis"), error.getMessage());
      assertTrue(error.getMessage().contains(String.valueOf(taken.getLocalPort())), error.getMessage());
      assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }
  }

  @Test
  void skippedComponentsSayThatTheyWereNotStarted() {
    try (LocalInfra mongoOnly = LocalInfra.start(InfraOptions.ephemeral()
        .without(Component.KAFKA, Component.POSTGRES, Component.REDIS))) {
      assertTrue(mongoOnly.mongoUrl("x").startsWith("mongodb://127.0.0.1:"));
      assertThrows(IllegalStateException.class, mongoOnly::kafkaBootstrap);
    }
  }

  @Test
  void whatRunsOnTheInfrastructureStopsWhileItStillAnswers() {
    // Services started on the infrastructure drain (commit offsets, close pools) against live servers;
    // stopped side by side with them, they waited out their clients' timeouts and held the JVM's exit.
    LocalInfra mongoOnly = LocalInfra.start(InfraOptions.ephemeral()
        .without(Component.KAFKA, Component.POSTGRES, Component.REDIS));
    String url = mongoOnly.mongoUrl("users");
    List<String> seenAtClose = new ArrayList<>();
    mongoOnly.closeFirst(() -> seenAtClose.add("first registered: " + mongoAnswers(url)));
    mongoOnly.closeFirst(() -> seenAtClose.add("last registered: " + mongoAnswers(url)));
    mongoOnly.close();
    assertEquals(List.of("last registered: true", "first registered: true"), seenAtClose);
    assertFalse(mongoAnswers(url), "the stand-in stopped after its users");
  }

  private static boolean mongoAnswers(String url) {
    try (MongoClient client = MongoClients.create(com.mongodb.MongoClientSettings.builder()
        .applyConnectionString(new com.mongodb.ConnectionString(url))
        .applyToClusterSettings(b -> b.serverSelectionTimeout(2, java.util.concurrent.TimeUnit.SECONDS))
        .build())) {
      client.getDatabase("users").runCommand(new Document("ping", 1));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Test
  void startsWithinTheBudget() {
    assertTrue(TestInfra.startMillis() > 0);
    System.err.println("shared test infrastructure started in " + TestInfra.startMillis() + " ms");
  }
}
