package cafe.infra;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Constants;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.mvstore.MVMap;

/**
 * The MongoDB stand-in's backends, made to use their indexes the way MongoDB does.
 *
 * <p>mongo-java-server answers a filter from an index only when the filter names exactly that
 * index's fields, so {@code {_id: x, status: "QUEUED"}} (every conditional update barista and
 * delivery make) scans the whole collection, and each order makes the next scan longer. MongoDB
 * narrows any filter that pins {@code _id} to the one document first. These collections do the same:
 * the {@code _id} part picks the candidates from the index and the whole filter is then matched on
 * them, so the result is the same, only found the way a real server finds it.
 *
 * <p>A filter that pins {@code status} (to a value, or {@code $in} a list) is narrowed the same way by a
 * {@link StatusIndex}, as MongoDB narrows it with the {@code {status, createdAt}} index the services create.
 *
 * <p>The H2 backend also keeps its unique indexes in H2 maps whose keys it compares by serializing
 * them with Java serialization, on every lookup. Here they are hash maps in memory, built from the
 * stored documents when a collection is opened; only the documents are kept in the file.
 */
final class IdIndexedBackends {
  private IdIndexedBackends() {
  }

  static MongoBackend memory() {
    return new MemoryBackend() {
      @Override
      public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new MemoryDatabase(databaseName, getCursorRegistry()) {
          @Override
          protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
            return new IndexedMemoryCollection(this, collectionName, options, cursorRegistry);
          }
        };
      }
    };
  }

  static MongoBackend h2(String fileName) {
    return new IndexedH2Backend(fileName);
  }

  /** Reads of a whole collection (a filter no index could narrow), counted for the tests. */
  static final java.util.concurrent.atomic.LongAdder SCANS = new java.util.concurrent.atomic.LongAdder();

  /** Candidates from the {@code _id} index, else from the status index; null when neither narrows the filter. */
  static <P> Iterable<P> candidates(List<Index<P>> indexes, StatusIndex<P> statuses, Document query) {
    Iterable<P> byId = byId(indexes, query);
    return byId != null ? byId : statuses.candidates(query);
  }

  /**
   * Candidates for a filter that pins {@code _id} among other fields, from the collection's {@code _id}
   * index; null when the filter does not (the collection then does what it always does).
   */
  static <P> Iterable<P> byId(List<Index<P>> indexes, Document query) {
    if (query.size() < 2 || !query.containsKey(Constants.ID_FIELD)) {
      return null;
    }
    Document id = new Document(Constants.ID_FIELD, query.get(Constants.ID_FIELD));
    for (Index<P> index : indexes) {
      if (Constants.PRIMARY_KEY_INDEX_NAME.equals(index.getName())) {
        return index.canHandle(id) ? index.getPositions(id) : null;
      }
    }
    return null;
  }

  private static final class IndexedMemoryCollection extends MemoryCollection {
    private final StatusIndex<Integer> statuses = new StatusIndex<>(super::streamAllDocumentsWithPosition);

    IndexedMemoryCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
      super(database, name, options, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
        Document fields) {
      Iterable<Integer> candidates = candidates(getIndexes(), statuses, query);
      return candidates == null
          ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
          : matchDocuments(query, candidates, orderBy, skip, limit, batchSize, fields);
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
      Integer position = super.addDocumentInternal(document);
      statuses.added(position, document);
      return position;
    }

    @Override
    protected void handleUpdate(Integer position, Document before, Document after) {
      super.handleUpdate(position, before, after);
      statuses.updated(position, before, after);
    }

    @Override
    protected void removeDocument(Integer position) {
      super.removeDocument(position);
      statuses.removed(position);
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
        Document fields) {
      SCANS.increment();
      return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
    }
  }

  private static final class IndexedH2Collection extends H2Collection {
    private final StatusIndex<Object> statuses = new StatusIndex<>(super::streamAllDocumentsWithPosition);

    IndexedH2Collection(MongoDatabase database, String name, CollectionOptions options,
        MVMap<Object, Document> data, MVMap<String, Object> meta, CursorRegistry cursors) {
      super(database, name, options, data, meta, cursors);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
        Document fields) {
      Iterable<Object> candidates = candidates(getIndexes(), statuses, query);
      return candidates == null
          ? super.queryDocuments(query, orderBy, skip, limit, batchSize, fields)
          : matchDocuments(query, candidates, orderBy, skip, limit, batchSize, fields);
    }

    @Override
    protected Object addDocumentInternal(Document document) {
      Object position = super.addDocumentInternal(document);
      statuses.added(position, document);
      return position;
    }

    @Override
    protected void handleUpdate(Object position, Document before, Document after) {
      super.handleUpdate(position, before, after);
      statuses.updated(position, before, after);
    }

    @Override
    protected void removeDocument(Object position) {
      super.removeDocument(position);
      statuses.removed(position);
    }

    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
        Document fields) {
      SCANS.increment();
      return super.matchDocuments(query, orderBy, skip, limit, batchSize, fields);
    }
  }

  private static final class IndexedH2Backend extends H2Backend {
    IndexedH2Backend(String fileName) {
      super(fileName);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
      return new IndexedH2Database(databaseName);
    }

    /** An inner class: the database opens its collections from its constructor, and needs the store then. */
    private final class IndexedH2Database extends H2Database {
      IndexedH2Database(String databaseName) {
        super(databaseName, getMvStore(), getCursorRegistry());
      }

      @Override
      protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
          boolean sparse) {
        return new HashUniqueIndex<>(indexName, keys, sparse);
      }

      @Override
      protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        // The map names H2Database itself uses, so files written before stay readable.
        String fullName = getFullCollectionNamespace(collectionName);
        MVMap<Object, Document> data = getMvStore().openMap("databases." + fullName);
        MVMap<String, Object> meta = getMvStore().openMap("meta." + fullName);
        return new IndexedH2Collection(this, collectionName, options, data, meta, cursorRegistry);
      }
    }
  }

  /** A unique index in a hash map; empty when opened, so the collection fills it from its documents. */
  private static final class HashUniqueIndex<P> extends AbstractUniqueIndex<P> {
    private final Map<KeyValue, P> positions = new ConcurrentHashMap<>();

    HashUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
      super(name, keys, sparse);
    }

    @Override
    public long getCount() {
      return positions.size();
    }

    @Override
    public boolean isEmpty() {
      return positions.isEmpty();
    }

    @Override
    public long getDataSize() {
      return positions.size();
    }

    @Override
    protected P removeDocument(KeyValue key) {
      return positions.remove(key);
    }

    @Override
    protected boolean putKeyPosition(KeyValue key, P position) {
      return positions.putIfAbsent(key, position) == null;
    }

    @Override
    protected P getPosition(KeyValue key) {
      return positions.get(key);
    }

    @Override
    protected Iterable<Map.Entry<KeyValue, P>> getIterable() {
      return positions.entrySet();
    }
  }
}
