package io.roost.server.command.hash;

import static org.junit.jupiter.api.Assertions.fail;

import io.roost.server.RoostExtension;
import io.roost.store.Database;
import io.roost.store.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.UnsafeBuffer;

/** Helpers of the hash command tests: RESP literals, setup through the store, deadlines. */
final class HashSupport {
  private HashSupport() {}

  static final String OK = "+OK\r\n";
  static final String NIL2 = "$-1\r\n";
  static final String NIL3 = "_\r\n";
  static final String WRONGTYPE =
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

  static String bulk(String s) {
    return "$" + s.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n" + s + "\r\n";
  }

  static String integer(long v) {
    return ":" + v + "\r\n";
  }

  static String err(String text) {
    return "-" + text + "\r\n";
  }

  /** An array of integers, e.g. the per-field codes of HEXPIRE. */
  static String ints(long... values) {
    StringBuilder sb = new StringBuilder("*").append(values.length).append("\r\n");
    for (long v : values) {
      sb.append(integer(v));
    }
    return sb.toString();
  }

  /** An array of bulk strings ({@code null} elements are RESP2 nulls). */
  static String bulks(String... values) {
    StringBuilder sb = new StringBuilder("*").append(values.length).append("\r\n");
    for (String v : values) {
      sb.append(v == null ? NIL2 : bulk(v));
    }
    return sb.toString();
  }

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
