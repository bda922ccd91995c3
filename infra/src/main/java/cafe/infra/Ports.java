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

  /** A port nobody listens on right now. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new InfraException("could not find a free port on " + HOST + ": " + e.getMessage(), e);
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
