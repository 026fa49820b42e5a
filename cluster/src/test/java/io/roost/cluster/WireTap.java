package io.roost.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 that forwards every connection to {@code target} and records the bytes
 * of both directions, so a test can check what crosses the wire between two nodes. Created and
 * closed by the test thread; one accept thread and two pump threads per connection (daemons) do the
 * relaying. The recording keeps at most {@link #MAX_RECORDED_BYTES}; the byte count goes on.
 */
final class WireTap implements AutoCloseable {
  static final int MAX_RECORDED_BYTES = 32 << 20;

  private final int targetPort;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();

  WireTap(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final Thread acceptor = new Thread(this::accept, "wire-tap-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The port peers connect to instead of the target's. */
  int port() {
    return server.getLocalPort();
  }

  /** The port the tap relays to. */
  int targetPort() {
    return targetPort;
  }

  /** Bytes relayed so far, both directions. */
  long bytes() {
    return bytes.get();
  }

  /** Connections accepted so far. */
  long connections() {
    return connections.get();
  }

  /** Whether the recorded bytes contain {@code needle}. */
  boolean saw(byte[] needle) {
    final byte[] haystack;
    synchronized (recorded) {
      haystack = recorded.toByteArray();
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void accept() {
    while (!server.isClosed()) {
      final Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        continue; // closed
      }
      final Socket out = new Socket();
      sockets.add(in);
      sockets.add(out);
      try {
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
      } catch (IOException e) {
        // The target does not listen (yet): drop the peer's connection as a refusal would, rather
        // than leave it open to nowhere.
        closeQuietly(in);
        closeQuietly(out);
        continue;
      }
      connections.incrementAndGet();
      pump(in, out);
      pump(out, in);
    }
  }

  private void pump(Socket from, Socket to) {
    final Thread thread =
        new Thread(
            () -> {
              final byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  record(buffer, n);
                  out.write(buffer, 0, n);
                }
              } catch (IOException e) {
                // Either side closed.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "wire-tap-" + port());
    thread.setDaemon(true);
    thread.start();
  }

  private void record(byte[] buffer, int n) {
    bytes.addAndGet(n);
    synchronized (recorded) {
      final int room = MAX_RECORDED_BYTES - recorded.size();
      if (room > 0) {
        recorded.write(buffer, 0, Math.min(room, n));
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }
}
