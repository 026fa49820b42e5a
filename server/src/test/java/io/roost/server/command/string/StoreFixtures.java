package io.roost.server.command.string;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import io.roost.store.Args;
import io.roost.store.Status;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Puts values the string and key commands cannot create (hashes, for WRONGTYPE cases) straight into
 * a test node's store. Called by the test thread.
 */
public final class StoreFixtures {
  private StoreFixtures() {}

  /**
   * A new connection to {@code node} after FLUSHALL, with the hash {@code h} in database 0 for
   * WRONGTYPE cases: the starting point of each string and key command test.
   */
  public static RespClient connectFlushed(RoostExtension node) {
    RespClient c = node.connect();
    assertEquals("+OK\r\n", c.call("FLUSHALL"));
    hash(node, 0, "h");
    return c;
  }

  /** Creates (or extends) the hash {@code key} in database {@code db} with one field. */
  public static void hash(RoostExtension node, int db, String key) {
    UnsafeBuffer k = buffer(key);
    UnsafeBuffer[] pairs = {buffer("field"), buffer("value")};
    Args args =
        new Args() {
          @Override
          public int count() {
            return pairs.length;
          }

          @Override
          public DirectBuffer buffer(int index) {
            return pairs[index];
          }

          @Override
          public int offset(int index) {
            return 0;
          }

          @Override
          public int length(int index) {
            return pairs[index].capacity();
          }
        };
    long r = node.server().store().database(db).hset(k, 0, k.capacity(), args, 0, 2);
    if (r < 0) {
      throw new IllegalStateException("hset failed status=" + Status.name(r));
    }
  }

  private static UnsafeBuffer buffer(String s) {
    return new UnsafeBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
  }
}
