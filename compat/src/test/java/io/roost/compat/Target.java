package io.roost.compat;

/**
 * A Redis-protocol endpoint on 127.0.0.1 that a compatibility scenario runs against: an in-process
 * Roost node or a real {@code redis-server}. Started and closed by the test thread of one test
 * class.
 */
interface Target extends AutoCloseable {
  /** A short name for messages and log files: {@code roost} or {@code redis-server}. */
  String name();

  /** The loopback port the target listens on. */
  int port();

  /** Stops the target; never throws. */
  @Override
  void close();
}
