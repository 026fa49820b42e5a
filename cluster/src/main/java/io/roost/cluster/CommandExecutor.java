package io.roost.cluster;

import java.util.function.Consumer;

/**
 * Implemented by the server: runs a command forwarded by another node, as if a local client sent
 * it. Called on a JGroups delivery thread, in the order the forwarding node sent its commands.
 */
@FunctionalInterface
public interface CommandExecutor {
  /**
   * Executes {@code argv} ({@code argv[0]} = command name) in database {@code db} for a client
   * speaking RESP {@code protocol}; calls {@code reply} exactly once, on any thread, with the
   * complete RESP reply bytes (after replication when sync).
   */
  void execute(int db, int protocol, byte[][] argv, Consumer<byte[]> reply);
}
