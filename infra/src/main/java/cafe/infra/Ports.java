package cafe.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Finding and checking loopback ports: everything local binds to 127.0.0.1 only. */
public final class Ports {

  public static final String HOST = "127.0.0.1";

  private Ports() {
  }

  /**
   * A port nobody listens on right now, below the range the system hands out for outgoing connections
   * ({@code ip_local_port_range}, from 32768 on Linux): a port picked in that range can be taken as the
   * local end of some client's connection before its server binds it, which happened to a test stack.
   */
  public static int free() {
    int below = ephemeralStart();
    int from = Math.max(1024, below - 12_000);
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int tries = 0; tries < 200; tries++) {
      int port = random.nextInt(from, below);
      if (isFree(port)) {
        return port;
      }
    }
    throw new InfraException("could not find a free port on " + HOST + " between " + from + " and " + below);
  }

  /** Where the system's ports for outgoing connections begin (32768 when it cannot be read). */
  static int ephemeralStart() {
    try {
      String range = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      int start = Integer.parseInt(range.trim().split("\\s+")[0]);
      return start > 13_024 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /** A free port whose next port is free too (Kafka puts its controller there). */
  public static int freePair() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = free();
      if (port < 65535 && isFree(port + 1)) {
        return port;
      }
    }
    throw new InfraException("could not find two free neighbouring ports on " + HOST);
  }

  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(HOST, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Fails with one line naming the component and port when the port is taken. */
  public static void requireFree(int port, String what) {
    if (!isFree(port)) {
      throw new InfraException(what + ": port " + port + " on " + HOST + " is already in use");
    }
  }

  /** Whether something accepts TCP connections on the port. */
  public static boolean accepts(int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
