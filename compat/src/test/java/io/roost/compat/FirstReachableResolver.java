package io.roost.compat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.SocketAddressResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;

/**
 * Gives a standalone (non-cluster) Lettuce client a failover list of Roost nodes: every connection
 * and reconnection goes to the first node of the list that accepts a TCP connection, which is what
 * a web tier gets from a TCP load balancer with health checks in front of the nodes. Called on
 * Lettuce's threads; thread-safe.
 *
 * <p>Implementation notes: Lettuce resolves a {@link RedisURI}'s address through {@code
 * ClientResources.socketAddressResolver()} lazily on every connect, including each reconnect
 * attempt of its connection watchdog, so this is its public hook for changing the endpoint after a
 * node died; the URI's own host and port are ignored. The probe is a plain TCP connect with a short
 * timeout, closed at once. When no node accepts, the first is returned so that the connect fails
 * and the watchdog tries again later.
 */
final class FirstReachableResolver extends SocketAddressResolver {
  private static final int PROBE_TIMEOUT_MS = 1_000;

  private final List<InetSocketAddress> endpoints;
  private volatile InetSocketAddress last;

  /** A list of loopback nodes, in order of preference. */
  FirstReachableResolver(List<Integer> ports) {
    this.endpoints =
        ports.stream()
            .map(p -> new InetSocketAddress(InetAddress.getLoopbackAddress(), p))
            .toList();
  }

  @Override
  public SocketAddress resolve(RedisURI uri) {
    for (InetSocketAddress endpoint : endpoints) {
      if (accepts(endpoint)) {
        last = endpoint;
        return endpoint;
      }
    }
    last = endpoints.get(0);
    return last;
  }

  /** The port handed out last, or -1 before the first connect. */
  int lastPort() {
    InetSocketAddress endpoint = last;
    return endpoint == null ? -1 : endpoint.getPort();
  }

  private static boolean accepts(InetSocketAddress endpoint) {
    try (Socket socket = new Socket()) {
      socket.connect(endpoint, PROBE_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
