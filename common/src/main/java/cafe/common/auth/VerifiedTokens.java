package cafe.common.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tokens whose signature was already checked, kept until they expire. A client sends the same token
 * with every call for its whole lifetime, and an RS256 signature check costs far more than the rest
 * of a request, so each token is verified once per process. Bounded (least recently used goes first),
 * shared by every event loop of the process. {@code JWT_CACHE_SIZE} (default 4096; 0 turns it off).
 */
public final class VerifiedTokens {
  public static final int DEFAULT_SIZE = 4096;

  private record Entry(Caller caller, long expiresAtMillis) {
  }

  private final int capacity;
  private final LongSupplier clock;
  private final Map<String, Entry> entries;

  public VerifiedTokens(int capacity) {
    this(capacity, System::currentTimeMillis);
  }

  VerifiedTokens(int capacity, LongSupplier clock) {
    this.capacity = Math.max(0, capacity);
    this.clock = clock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > VerifiedTokens.this.capacity;
      }
    };
  }

  /** The caller of a token verified before and not expired yet, else null. */
  public Caller get(String token) {
    if (capacity == 0) {
      return null;
    }
    synchronized (entries) {
      Entry entry = entries.get(token);
      if (entry == null) {
        return null;
      }
      if (clock.getAsLong() >= entry.expiresAtMillis()) {
        entries.remove(token);
        return null;
      }
      return entry.caller();
    }
  }

  /**
   * Remembers a verified token until its {@code exp} (seconds since the epoch) plus the leeway the
   * verification allowed; a token without {@code exp} is not kept.
   */
  public void put(String token, Caller caller, Long expSeconds, long leewaySeconds) {
    if (capacity == 0 || expSeconds == null) {
      return;
    }
    long expiresAt = (expSeconds + leewaySeconds) * 1000;
    if (expiresAt <= clock.getAsLong()) {
      return;
    }
    synchronized (entries) {
      entries.put(token, new Entry(caller, expiresAt));
    }
  }

  /** Forgets everything, e.g. when the trusted keys change. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }
}
