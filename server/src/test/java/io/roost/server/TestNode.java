package io.roost.server;

import io.roost.server.config.Settings;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One in-process Roost node on 127.0.0.1 and a port the kernel picked, for tests. Started and
 * closed by the test thread.
 */
public final class TestNode implements AutoCloseable {
  private final RoostServer roost;
  private final int port;

  private TestNode(RoostServer roost, int port) {
    this.roost = roost;
    this.port = port;
  }

  /** Starts a node with default settings (two event loops). */
  public static TestNode start() {
    return start(s -> {});
  }

  /** Starts a node with default settings changed by {@code customize}. */
  public static TestNode start(Consumer<Settings> customize) {
    Settings s = Settings.defaults();
    s.port = 0;
    s.bind = new String[] {"127.0.0.1"};
    s.ioThreads = 2;
    customize.accept(s);
    RoostServer roost = new RoostServer(s);
    try {
      int port = roost.start();
      return new TestNode(roost, port);
    } catch (InterruptedException e) {
      roost.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      roost.close();
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public Server server() {
    return roost.server();
  }

  public Settings settings() {
    return roost.server().settings();
  }

  /** A new raw RESP connection to this node. */
  public RespClient connect() {
    try {
      return new RespClient("127.0.0.1", port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to port=" + port, e);
    }
  }

  @Override
  public void close() {
    roost.close();
  }
}
