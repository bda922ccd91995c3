package cafe.infra;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The MongoDB stand-in, in this JVM: H2 file storage when data must survive restarts, memory otherwise. */
final class MongoNode implements AutoCloseable {
  /**
   * The stand-in warns about every secondary index the services create, which it cannot build (the
   * README says so once); the warning is dropped, the logger's other messages are kept.
   */
  private static final java.util.logging.Logger DATABASE_LOG =
      java.util.logging.Logger.getLogger("de.bwaldvogel.mongo.backend.AbstractMongoDatabase");

  static {
    DATABASE_LOG.setFilter(r -> r.getMessage() == null || !r.getMessage().contains("secondary index"));
  }

  private final MongoServer server;
  private final int port;

  private MongoNode(MongoServer server, int port) {
    this.server = server;
    this.port = port;
  }

  static MongoNode start(Path dataDir, int port, boolean persistent) {
    int chosen = port == 0 ? Ports.free() : port;
    Ports.requireFree(chosen, "MongoDB stand-in");
    MongoBackend backend;
    try {
      backend = persistent
          ? IdIndexedBackends.h2(Files.createDirectories(dataDir.resolve("mongo")).resolve("mongo.mv").toString())
          : IdIndexedBackends.memory();
    } catch (IOException | RuntimeException e) {
      throw new InfraException("MongoDB stand-in could not open its storage in " + dataDir.resolve("mongo") + ": "
          + PostgresNode.oneLine(e), e);
    }
    MongoServer server = new MongoServer(backend);
    try {
      server.bind(Ports.HOST, chosen);
      return new MongoNode(server, chosen);
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw new InfraException("MongoDB stand-in did not start on " + Ports.HOST + ":" + chosen + ": "
          + PostgresNode.oneLine(e), e);
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    // shutdownNow closes the backend too, which commits the H2 store.
    server.shutdownNow();
  }
}
