package cafe.mypage;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import cafe.mypage.store.Keys;
import cafe.mypage.store.ViewStore;

/** My page's settings, from the environment (each with its default; see the README's table). */
public record MypageConfig(int port, String group, Keys keys, ViewStore.Limits limits, long pingMs,
    int maxQueuedBytes) {
  public static final int DEFAULT_PORT = 8085;
  /** The consumer group every instance shares: the four topics' partitions are split among them. */
  public static final String DEFAULT_GROUP = "mypage";

  public static MypageConfig from(Env env) {
    String prefix = env.string("MYPAGE_KEY_PREFIX", "mypage:");
    if (prefix.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException("MYPAGE_KEY_PREFIX=" + prefix + " must not contain spaces");
    }
    return new MypageConfig(
        env.integer("HTTP_PORT", DEFAULT_PORT),
        env.string("MYPAGE_CONSUMER_GROUP", DEFAULT_GROUP),
        new Keys(prefix),
        new ViewStore.Limits(
            atLeast(env, "MYPAGE_NOTIFICATIONS_KEPT", 100, 1),
            atLeast(env, "MYPAGE_RECENT_ORDERS_KEPT", 1000, 1)),
        atLeast(env, "MYPAGE_WS_PING_MS", 25_000, 100),
        atLeast(env, "MYPAGE_WS_MAX_QUEUED_BYTES", 256 * 1024, 1024));
  }

  private static int atLeast(Env env, String name, int defaultValue, int min) {
    int value = env.integer(name, defaultValue);
    if (value < min) {
      throw new ConfigException(name + "=" + value + " must be at least " + min);
    }
    return value;
  }
}
