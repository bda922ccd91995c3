package cafe.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.infra.InfraOptions.Component;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** With a data folder, PostgreSQL, Redis and the MongoDB stand-in keep their data across restarts. */
class PersistenceIT {

  @TempDir
  Path dataDir;

  @Test
  void dataSurvivesARestart() throws Exception {
    InfraOptions options = InfraOptions.persistent(dataDir).withPorts(0, 0, 0, 0).without(Component.KAFKA);
    try (LocalInfra infra = LocalInfra.start(options)) {
      sql(infra.pgUrl("payment"), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('paid')");
      try (Jedis jedis = jedis(infra)) {
        jedis.set("cart", "mocha");
      }
      try (MongoClient client = MongoClients.create(infra.mongoUrl("delivery"))) {
        client.getDatabase("delivery").getCollection("runs").insertOne(new Document("_id", 7).append("to", "desk")
            .append("status", "WAITING"));
      }
    }
    assertTrue(Files.exists(dataDir.resolve("logs/postgres.log")));

    try (LocalInfra infra = LocalInfra.start(options)) {
      assertEquals("paid", sql(infra.pgUrl("payment"), "SELECT v FROM kept"));
      try (Jedis jedis = jedis(infra)) {
        assertEquals("mocha", jedis.get("cart"));
      }
      try (MongoClient client = MongoClients.create(infra.mongoUrl("delivery"))) {
        var runs = client.getDatabase("delivery").getCollection("runs");
        assertEquals("desk", runs.find(new Document("_id", 7)).first().getString("to"));
        // A conditional update by id and field finds the reopened document through its id.
        assertEquals(0, runs.updateOne(new Document("_id", 7).append("to", "door"),
            new Document("$set", new Document("to", "hall"))).getMatchedCount());
        assertEquals(1, runs.updateOne(new Document("_id", 7).append("to", "desk"),
            new Document("$set", new Document("to", "hall"))).getMatchedCount());
        assertEquals("hall", runs.find(new Document("_id", 7)).first().getString("to"));
        // The status index is built again from the reopened file, and then followed.
        assertEquals(7, runs.find(new Document("status", "WAITING")).first().get("_id"));
        runs.updateOne(new Document("_id", 7), new Document("$set", new Document("status", "DELIVERING")));
        assertEquals(0, runs.countDocuments(new Document("status", "WAITING")));
        assertEquals(1, runs.countDocuments(new Document("status", new Document("$in", List.of("DELIVERING")))));
      }
    }
  }

  private static Jedis jedis(LocalInfra infra) {
    URI uri = URI.create(infra.redisUrl());
    return new Jedis(uri.getHost(), uri.getPort());
  }

  /** Runs the statements; returns the first column of the first row when the last one is a query. */
  private static String sql(String url, String statements) throws Exception {
    URI uri = URI.create(url);
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath() + "?user=postgres";
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
      if (statement.execute(statements)) {
        try (ResultSet rows = statement.getResultSet()) {
          return rows.next() ? rows.getString(1) : null;
        }
      }
      return null;
    }
  }
}
