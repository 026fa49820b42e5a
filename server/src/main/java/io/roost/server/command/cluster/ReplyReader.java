package io.roost.server.command.cluster;

import java.nio.charset.StandardCharsets;

/**
 * A reader over one RESP2 reply of an internal command that another node (or this node's internal
 * client) executed, owned by the thread that reads it: integers, bulk strings, arrays and errors,
 * in order. Malformed input throws {@link IllegalStateException} (a peer bug, never client input).
 */
public final class ReplyReader {
  private final byte[] reply;
  private int position;

  public ReplyReader(byte[] reply) {
    this.reply = reply;
  }

  /** Whether a whole reply is an error ({@code -...} or RESP3 {@code !...}). */
  public static boolean isError(byte[] reply) {
    return reply.length > 0 && (reply[0] == '-' || reply[0] == '!');
  }

  /** Bytes read so far. */
  public int position() {
    return position;
  }

  /** The whole reply. */
  public byte[] bytes() {
    return reply;
  }

  /** {@code :n}. */
  public long integer() {
    expect(':');
    return number();
  }

  /** {@code *n}: the element count, -1 for a null array. */
  public long arrayHeader() {
    expect('*');
    return number();
  }

  /** {@code $n} and its bytes; null for a null bulk. */
  public byte[] bulk() {
    expect('$');
    long n = number();
    if (n < 0) {
      return null;
    }
    if (n > reply.length - position - 2) {
      throw new IllegalStateException("bulk length=" + n + " beyond reply end");
    }
    byte[] out = new byte[(int) n];
    System.arraycopy(reply, position, out, 0, (int) n);
    position += (int) n + 2;
    return out;
  }

  /** Skips one bulk string (or null bulk) without copying it. */
  public void skipBulk() {
    expect('$');
    long n = number();
    if (n >= 0) {
      position += (int) n + 2;
    }
  }

  /** A bulk string holding a decimal unsigned 64-bit number (a cursor). */
  public long unsignedBulk() {
    byte[] b = bulk();
    if (b == null) {
      throw new IllegalStateException("null where a number was expected");
    }
    return Long.parseUnsignedLong(new String(b, StandardCharsets.US_ASCII));
  }

  private void expect(char type) {
    if (position >= reply.length || reply[position] != type) {
      throw new IllegalStateException(
          "expected=" + type + " at=" + position + " reply=" + printable(reply));
    }
    position++;
  }

  private long number() {
    boolean negative = false;
    if (position < reply.length && reply[position] == '-') {
      negative = true;
      position++;
    }
    long v = 0;
    while (position < reply.length && reply[position] != '\r') {
      int d = reply[position++] - '0';
      if (d < 0 || d > 9) {
        throw new IllegalStateException("not a number at=" + position);
      }
      v = v * 10 + d;
    }
    position += 2;
    return negative ? -v : v;
  }

  private static String printable(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 64), StandardCharsets.ISO_8859_1);
    return s.replace("\r", "\\r").replace("\n", "\\n");
  }
}
