package cafe.gateway;

import cafe.common.config.ConfigException;
import cafe.common.config.Env;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway's configuration, read once from the environment; every value has a default. */
public record GatewaySettings(
    int httpPort,
    Map<String, Upstream> upstreams,
    int upstreamPoolSize,
    int breakerMaxFailures,
    long breakerResetMs,
    String issuer,
    int tokenTtlSeconds,
    Optional<String> jwksUrl,
    boolean seedUsers,
    int passwordIterations,
    int passwordMinLength,
    int rateLimitPerUser,
    int rateLimitPerAddress,
    int rateLimitWindowSeconds,
    List<String> corsOrigins,
    int trustedProxyHops) {

  public static final int DEFAULT_PORT = 8080;

  /**
   * One service behind the gateway: where its instances are (usually one URL, a load balancer's or a
   * Kubernetes Service's; several when the gateway balances itself), how long to wait for its answer,
   * and how often each of several instances is asked whether it is ready.
   */
  public record Upstream(String name, List<URI> urls, long timeoutMs, long probeMs) {
    public Upstream {
      if (urls.isEmpty()) {
        throw new IllegalArgumentException(name + " needs at least one URL");
      }
      urls = List.copyOf(urls);
    }

    /** The first (usually the only) instance. */
    public URI url() {
      return urls.get(0);
    }
  }

  public static GatewaySettings from(Env env) {
    long timeout = positive(env, "UPSTREAM_TIMEOUT_MS", 2000);
    long probe = positive(env, "UPSTREAM_PROBE_MS", 1000);
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    upstream(env, upstreams, "order", "ORDER", 8081, timeout, probe);
    upstream(env, upstreams, "payment", "PAYMENT", 8082, timeout, probe);
    upstream(env, upstreams, "barista", "BARISTA", 8083, timeout, probe);
    upstream(env, upstreams, "delivery", "DELIVERY", 8084, timeout, probe);
    upstream(env, upstreams, "mypage", "MYPAGE", 8085, timeout, probe);
    int iterations = env.integer("PASSWORD_HASH_ITERATIONS", 310_000);
    if (iterations < 1000) {
      throw new ConfigException("PASSWORD_HASH_ITERATIONS=" + iterations + " is too low: use at least 1000 (310000 by default)");
    }
    int minLength = env.integer("PASSWORD_MIN_LENGTH", 4);
    if (minLength < 1 || minLength > 64) {
      throw new ConfigException("PASSWORD_MIN_LENGTH=" + minLength + " must be from 1 to 64");
    }
    Optional<String> jwks = env.optional("JWT_JWKS_URL");
    jwks.ifPresent(url -> env.url("JWT_JWKS_URL", null, "https", "http"));
    return new GatewaySettings(
        env.integer("HTTP_PORT", DEFAULT_PORT),
        Map.copyOf(upstreams),
        (int) positive(env, "UPSTREAM_POOL_SIZE", 64),
        (int) positive(env, "BREAKER_MAX_FAILURES", 5),
        positive(env, "BREAKER_RESET_MS", 5000),
        env.string("JWT_ISSUER", "cafe"),
        (int) positive(env, "JWT_TTL_SECONDS", 3600),
        jwks,
        env.flag("CAFE_SEED_USERS", false),
        iterations,
        minLength,
        notNegative(env, "RATE_LIMIT_PER_MINUTE", 6000),
        notNegative(env, "RATE_LIMIT_ANON_PER_MINUTE", 600),
        (int) positive(env, "RATE_LIMIT_WINDOW_SECONDS", 60),
        origins(env.string("CORS_ORIGINS", "")),
        trustedProxyHops(env));
  }

  /** Proxies in front of the gateway that append to X-Forwarded-For (the ALB: 1); 0 trusts no such header. */
  private static int trustedProxyHops(Env env) {
    if (env.optional("TRUST_FORWARDED_HEADERS").isPresent()) {
      throw new ConfigException("TRUST_FORWARDED_HEADERS is no longer read: set TRUSTED_PROXY_HOPS to the number of proxies "
          + "in front of the gateway (1 behind an ALB), so the client address comes from the entries they wrote");
    }
    int hops = env.integer("TRUSTED_PROXY_HOPS", 0);
    if (hops < 0 || hops > 10) {
      throw new ConfigException("TRUSTED_PROXY_HOPS=" + hops + " must be from 0 (no proxy in front) to 10");
    }
    return hops;
  }

  public Upstream upstream(String name) {
    Upstream upstream = upstreams.get(name);
    if (upstream == null) {
      throw new IllegalArgumentException("no upstream named " + name);
    }
    return upstream;
  }

  /** With an outside identity provider, accounts and token issue live there, not here. */
  public boolean issuesTokens() {
    return jwksUrl.isEmpty();
  }

  /** {@code <PREFIX>_URL} is one URL, or a comma-separated list of instances the gateway balances over. */
  private static void upstream(Env env, Map<String, Upstream> into, String name, String prefix, int port, long timeout,
                               long probe) {
    String variable = prefix + "_URL";
    String raw = env.string(variable, "http://127.0.0.1:" + port);
    List<URI> urls = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      String one = part.trim();
      if (one.isEmpty()) {
        throw new ConfigException(variable + "=" + Env.redact(raw)
            + " has an empty entry: give one URL or a comma-separated list, e.g. http://order-1:8081,http://order-2:8081");
      }
      URI url = env.with(variable, one).url(variable, null, "http", "https");
      if (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/")) {
        throw new ConfigException(variable + "=" + url + " must name only scheme, host and port, e.g. http://order:8081");
      }
      if (urls.contains(url)) {
        throw new ConfigException(variable + " lists " + url + " twice");
      }
      urls.add(url);
    }
    long ownTimeout = positive(env, prefix + "_UPSTREAM_TIMEOUT_MS", timeout);
    into.put(name, new Upstream(name, urls, ownTimeout, probe));
  }

  private static List<String> origins(String raw) {
    List<String> origins = new ArrayList<>();
    for (String origin : raw.split(",")) {
      String trimmed = origin.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!trimmed.matches("https?://[^/\\s]+")) {
        throw new ConfigException("CORS_ORIGINS entry '" + trimmed
            + "' is not an origin: use scheme://host[:port] without a path, e.g. https://shop.example.com");
      }
      origins.add(trimmed);
    }
    return List.copyOf(origins);
  }

  private static long positive(Env env, String name, long defaultValue) {
    long value = env.millis(name, defaultValue);
    if (value <= 0) {
      throw new ConfigException(name + "=" + value + " must be greater than 0");
    }
    return value;
  }

  private static int notNegative(Env env, String name, int defaultValue) {
    int value = env.integer(name, defaultValue);
    if (value < 0) {
      throw new ConfigException(name + "=" + value + " must be 0 (no limit) or more");
    }
    return value;
  }
}
