package io.roost.server.command.hash;

import static org.junit.jupiter.api.Assertions.fail;

import io.roost.server.RoostExtension;
import io.roost.store.Database;
import io.roost.store.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Helpers of the hash command tests: setup through the store, deadlines ({@link
 * io.roost.server.Replies} has the RESP literals).
 */
final class HashSupport {
  private HashSupport() {}

  private static UnsafeBuffer bytes(String s) {
    return new UnsafeBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Creates a string key through the store (string commands belong to another package). */
  static void setString(RoostExtension node, String key, String value) {
    UnsafeBuffer k = bytes(key);
    UnsafeBuffer v = bytes(value);
    node.server().store().database(0).set(k, 0, k.capacity(), v, 0, v.capacity(), 0, 0, null);
  }

  static Database db0(RoostExtension node) {
    return node.server().store().database(0);
  }

  /**
   * The key's encoding name: OBJECT ENCODING over {@code c} where the command exists, else read
   * from the store.
   */
  static String encoding(RoostExtension node, io.roost.server.RespClient c, String key) {
    if (node.server().commands().find("object") != null) {
      return io.roost.server.RespClient.payload(c.call("OBJECT", "ENCODING", key));
    }
    UnsafeBuffer k = bytes(key);
    Encoding e = db0(node).objectEncoding(k, 0, k.capacity());
    return e == null ? null : e.name().toLowerCase(java.util.Locale.ROOT).replace("_", "");
  }

  /** Polls {@code condition} until it holds; fails after {@code deadline}. */
  static void await(Duration deadline, String what, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("not within " + deadline + ": " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
