package cafe.barista.store;

/** MongoDB error handling shared by the stores. */
final class Mongo {
  private static final int DUPLICATE_KEY = 11000;

  private Mongo() {
  }

  /** An insert or upsert lost to a document with the same id. */
  static boolean isDuplicateKey(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof com.mongodb.MongoWriteException w && w.getError().getCode() == DUPLICATE_KEY) {
        return true;
      }
      if (t instanceof com.mongodb.MongoCommandException c && c.getErrorCode() == DUPLICATE_KEY) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
