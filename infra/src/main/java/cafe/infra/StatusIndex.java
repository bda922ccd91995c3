package cafe.infra;

import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The stand-in's index on a collection's {@code status} field, the one barista's and delivery's status queries
 * (the boards, the auto barista's and rider's sweeps) filter by; MongoDB answers those from the
 * {@code {status, createdAt}} index the services create, mongo-java-server would read the whole collection.
 * Positions are kept per status value, in memory, built from the documents the first time it is needed and kept
 * up to date by the collection on every insert, update and removal.
 */
final class StatusIndex<P> {
  static final String FIELD = "status";

  private final Supplier<Stream<DocumentWithPosition<P>>> all;
  private volatile Map<Object, Set<P>> byStatus;

  StatusIndex(Supplier<Stream<DocumentWithPosition<P>>> all) {
    this.all = all;
  }

  /**
   * The positions of the documents a filter can match, when it pins {@code status} to a string or to a list of
   * them ({@code $in}); null when it does not, and the collection reads every document as it always does.
   */
  List<P> candidates(Document query) {
    Object wanted = query.get(FIELD);
    Collection<?> values;
    if (wanted instanceof String) {
      values = List.of(wanted);
    } else if (wanted instanceof Document condition && condition.size() == 1
        && condition.get("$in") instanceof Collection<?> in && in.stream().allMatch(v -> v instanceof String)) {
      values = in;
    } else {
      return null;
    }
    Map<Object, Set<P>> index = index();
    List<P> positions = new ArrayList<>();
    for (Object value : values) {
      positions.addAll(index.getOrDefault(value, Set.of()));
    }
    return positions;
  }

  void added(P position, Document document) {
    put(index(), position, document);
  }

  void updated(P position, Document before, Document after) {
    Map<Object, Set<P>> index = index();
    Object was = before == null ? null : before.get(FIELD);
    Object now = after.get(FIELD);
    if (was != null && !was.equals(now)) {
      Set<P> old = index.get(was);
      if (old != null) {
        old.remove(position);
      }
    }
    put(index, position, after);
  }

  void removed(P position) {
    for (Set<P> positions : index().values()) {
      positions.remove(position);
    }
  }

  private static <P> void put(Map<Object, Set<P>> index, P position, Document document) {
    Object status = document.get(FIELD);
    if (status instanceof String) {
      index.computeIfAbsent(status, s -> ConcurrentHashMap.newKeySet()).add(position);
    }
  }

  private Map<Object, Set<P>> index() {
    Map<Object, Set<P>> index = byStatus;
    if (index == null) {
      synchronized (this) {
        index = byStatus;
        if (index == null) {
          Map<Object, Set<P>> built = new ConcurrentHashMap<>();
          try (Stream<DocumentWithPosition<P>> documents = all.get()) {
            documents.forEach(d -> put(built, d.getPosition(), d.getDocument()));
          }
          byStatus = index = built;
        }
      }
    }
    return index;
  }
}
