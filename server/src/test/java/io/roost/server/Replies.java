package io.roost.server;

import java.nio.charset.StandardCharsets;

/** The exact bytes of expected replies, as {@link RespClient} returns them. Stateless. */
public final class Replies {
  private Replies() {}

  public static final String OK = "+OK\r\n";

  /** The RESP2 null bulk string. */
  public static final String NIL = "$-1\r\n";

  /** The RESP3 null. */
  public static final String NIL3 = "_\r\n";

  public static final String WRONGTYPE =
      "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

  public static String bulk(String s) {
    return "$" + s.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n" + s + "\r\n";
  }

  public static String integer(long v) {
    return ":" + v + "\r\n";
  }

  public static String err(String text) {
    return "-" + text + "\r\n";
  }

  /** An array of integers, e.g. the per-field codes of HEXPIRE. */
  public static String ints(long... values) {
    StringBuilder sb = new StringBuilder("*").append(values.length).append("\r\n");
    for (long v : values) {
      sb.append(integer(v));
    }
    return sb.toString();
  }

  /** An array of bulk strings ({@code null} elements are RESP2 nulls). */
  public static String bulks(String... values) {
    StringBuilder sb = new StringBuilder("*").append(values.length).append("\r\n");
    for (String v : values) {
      sb.append(v == null ? NIL : bulk(v));
    }
    return sb.toString();
  }
}
