package cafe.gateway.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is calling, by address: the rate limit's key for callers without a token, and what the gateway
 * passes on in {@code X-Forwarded-For}.
 *
 * <p>Each proxy appends the address of whoever connected to it, so only the right-most entries of
 * {@code X-Forwarded-For} were written by proxies the cafe runs (the ALB: one hop); everything to their
 * left was sent by the caller and may be made up. With {@code trustedHops} proxies in front, the client is
 * the entry that many places from the right; with none, the address of the connection itself.
 */
record ClientAddress(int trustedHops) {
  ClientAddress {
    if (trustedHops < 0) {
      throw new IllegalArgumentException("trustedHops must not be negative");
    }
  }

  /** The calling client's address as far as the trusted proxies vouch for it. */
  String of(HttpServerRequest request) {
    String peer = peer(request);
    if (trustedHops == 0) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : request.headers().getAll("X-Forwarded-For")) {
      for (String entry : header.split(",")) {
        if (!entry.isBlank()) {
          hops.add(entry.trim());
        }
      }
    }
    if (hops.isEmpty()) {
      return peer;
    }
    // Fewer entries than trusted hops: the left-most was still written by a trusted proxy.
    return hops.get(Math.max(0, hops.size() - trustedHops));
  }

  /** Whether what the proxies in front say about the scheme and host may be passed on. */
  boolean behindProxies() {
    return trustedHops > 0;
  }

  /** The address of the connection itself (the nearest proxy, when there is one). */
  static String peer(HttpServerRequest request) {
    SocketAddress address = request.remoteAddress();
    return address == null ? "unknown" : address.hostAddress();
  }
}
