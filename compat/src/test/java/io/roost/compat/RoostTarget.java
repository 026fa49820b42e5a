package io.roost.compat;

import io.roost.server.RoostServer;
import io.roost.server.config.Settings;

/**
 * An in-process Roost node with default settings on 127.0.0.1 and a port the kernel picked. Started
 * and closed by the test thread.
 */
final class RoostTarget implements Target {
  private final RoostServer node;
  private final int port;

  private RoostTarget(RoostServer node, int port) {
    this.node = node;
    this.port = port;
  }

  static RoostTarget start() {
    Settings settings = Settings.defaults();
    settings.port = 0;
    settings.bind = new String[] {"127.0.0.1"};
    settings.ioThreads = 2;
    RoostServer node = new RoostServer(settings);
    try {
      return new RoostTarget(node, node.start());
    } catch (InterruptedException e) {
      node.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Roost", e);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "roost";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() {
    node.close();
  }
}
