package io.roost.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reply writer for one connection, owned by the connection's event-loop thread; writes RESP2 or
 * RESP3 into the buffer given by {@link #target(ByteBuf)}.
 *
 * <p>Implementation notes: the protocol version is per connection ({@code HELLO 3} upgrades, {@code
 * HELLO 2} or {@code RESET} downgrades) and RESP3-only types are written in their RESP2 form
 * exactly as Redis 7.4 does ({@code addReplyMapLen}, {@code addReplyNull}, {@code addReplyBool},
 * ...). Integers 0..9999 and lengths are written from a static table of pre-encoded digits; other
 * longs are written digit by digit; no reply allocates, except a double that is not an integer (its
 * shortest digits come from {@link Double#toString}). Strings are written as Latin-1, one byte per
 * char, which is how {@link CommandFrame#argString(int)} decodes them, so argument bytes echoed in
 * an error text come back unchanged. The writer never retains, releases or flushes the target.
 */
public final class RespWriter {
  private static final int CACHED_INTEGERS = 10_000;

  /** Decimal digits of 0..9999 followed by CRLF. */
  private static final byte[][] DIGITS_CRLF = new byte[CACHED_INTEGERS][];

  static {
    for (int i = 0; i < CACHED_INTEGERS; i++) {
      DIGITS_CRLF[i] = (i + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE3 = "#t\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE3 = "#f\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final short CRLF = ('\r' << 8) | '\n';

  private ByteBuf target;
  private int protocol = 2;
  private final byte[] numberScratch = new byte[RespNumbers.MAX_DOUBLE_CHARS];

  /** Creates a RESP2 writer with no target. */
  public RespWriter() {}

  /** Sets the buffer replies are appended to. */
  public void target(ByteBuf out) {
    this.target = out;
  }

  /** The buffer replies are appended to. */
  public ByteBuf target() {
    return target;
  }

  /** The protocol version, 2 or 3. */
  public int protocol() {
    return protocol;
  }

  /** Sets the protocol version, 2 or 3. */
  public void protocol(int version) {
    if (version != 2 && version != 3) {
      throw new IllegalArgumentException("version=" + version + " (must be 2 or 3)");
    }
    this.protocol = version;
  }

  private boolean resp3() {
    return protocol == 3;
  }

  // ------------------------------------------------------------------------------ simple types

  /** {@code +<text>\r\n} from pre-encoded ASCII without CR or LF. */
  public void simple(byte[] preencodedAscii) {
    ByteBuf out = target;
    out.writeByte('+');
    out.writeBytes(preencodedAscii);
    out.writeShort(CRLF);
  }

  /** {@code +<text>\r\n}; CR and LF in {@code s} become spaces. */
  public void simple(String s) {
    target.writeByte('+');
    writeSanitized(s, 0, s.length());
    target.writeShort(CRLF);
  }

  /** {@code +OK\r\n}. */
  public void ok() {
    target.writeBytes(OK);
  }

  /**
   * {@code -<text>\r\n}, where {@code text} starts with the error code ({@code "ERR ..."}, {@code
   * "WRONGTYPE ..."}). As Redis does for formatted errors, CR and LF at either end are dropped and
   * those inside become spaces. A leading {@code '-'} in {@code text} is not doubled.
   */
  public void error(String text) {
    int from = 0;
    int to = text.length();
    while (from < to && isCrLf(text.charAt(from))) {
      from++;
    }
    while (to > from && isCrLf(text.charAt(to - 1))) {
      to--;
    }
    if (from < to && text.charAt(from) == '-') {
      from++;
    }
    target.writeByte('-');
    writeSanitized(text, from, to);
    target.writeShort(CRLF);
  }

  private static boolean isCrLf(char c) {
    return c == '\r' || c == '\n';
  }

  private void writeSanitized(CharSequence s, int from, int to) {
    ByteBuf out = target;
    out.ensureWritable(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      out.writeByte(c == '\r' || c == '\n' ? ' ' : c > 0xFF ? '?' : c);
    }
  }

  /** {@code :<v>\r\n}. */
  public void integer(long v) {
    writeNumberLine(':', v);
  }

  // ------------------------------------------------------------------------------ bulk strings

  /** A bulk string. */
  public void bulk(byte[] b) {
    bulk(b, 0, b.length);
  }

  /** A bulk string of {@code len} bytes of {@code b} at {@code off}. */
  public void bulk(byte[] b, int off, int len) {
    bulkHeader(len);
    target.writeBytes(b, off, len);
    target.writeShort(CRLF);
  }

  /** A bulk string of {@code len} bytes of {@code src} at absolute index {@code index}. */
  public void bulk(ByteBuf src, int index, int len) {
    bulkHeader(len);
    target.writeBytes(src, index, len);
    target.writeShort(CRLF);
  }

  /** A bulk string of the chars of {@code ascii}, one byte each (Latin-1). */
  public void bulk(CharSequence ascii) {
    int len = ascii.length();
    bulkHeader(len);
    ByteBuf out = target;
    out.ensureWritable(len + 2);
    for (int i = 0; i < len; i++) {
      char c = ascii.charAt(i);
      out.writeByte(c > 0xFF ? '?' : c);
    }
    out.writeShort(CRLF);
  }

  /** {@code $<len>\r\n}; the caller writes the payload, then {@link #crlf()}. */
  public void bulkHeader(int len) {
    writeNumberLine('$', len);
  }

  /** {@code \r\n}. */
  public void crlf() {
    target.writeShort(CRLF);
  }

  /** The null bulk string: RESP2 {@code $-1}, RESP3 {@code _}. */
  public void nullBulk() {
    target.writeBytes(resp3() ? NULL3 : NULL_BULK);
  }

  /** The null array: RESP2 {@code *-1}, RESP3 {@code _}. */
  public void nullArray() {
    target.writeBytes(resp3() ? NULL3 : NULL_ARRAY);
  }

  // ---------------------------------------------------------------------------- aggregates

  /** {@code *<n>}. */
  public void arrayHeader(long n) {
    writeNumberLine('*', n);
  }

  /** RESP3 {@code %<n>}; RESP2 {@code *<2n>}. */
  public void mapHeader(long n) {
    if (resp3()) {
      writeNumberLine('%', n);
    } else {
      writeNumberLine('*', 2 * n);
    }
  }

  /** RESP3 {@code ~<n>}; RESP2 {@code *<n>}. */
  public void setHeader(long n) {
    writeNumberLine(resp3() ? '~' : '*', n);
  }

  /** RESP3 {@code ><n>}; RESP2 {@code *<n>}. */
  public void pushHeader(long n) {
    writeNumberLine(resp3() ? '>' : '*', n);
  }

  /**
   * RESP3 {@code |<n>}.
   *
   * @throws IllegalStateException in RESP2, where Redis never emits attributes
   */
  public void attributeHeader(long n) {
    if (!resp3()) {
      throw new IllegalStateException("attributes need RESP3: protocol=" + protocol);
    }
    writeNumberLine('|', n);
  }

  // ------------------------------------------------------------------------------ RESP3 types

  /** RESP3 {@code ,<d>}; RESP2 a bulk string; formatted as {@link RespNumbers#formatDouble}. */
  public void doubleValue(double d) {
    int len = RespNumbers.formatDouble(d, numberScratch, 0);
    if (resp3()) {
      target.writeByte(',');
    } else {
      bulkHeader(len);
    }
    target.writeBytes(numberScratch, 0, len);
    target.writeShort(CRLF);
  }

  /** RESP3 {@code #t}/{@code #f}; RESP2 {@code :1}/{@code :0}. */
  public void bool(boolean b) {
    if (resp3()) {
      target.writeBytes(b ? TRUE3 : FALSE3);
    } else {
      target.writeBytes(b ? ONE : ZERO);
    }
  }

  /** RESP3 {@code (<digits>}; RESP2 a bulk string. */
  public void bigNumber(CharSequence digits) {
    if (resp3()) {
      target.writeByte('(');
      writeSanitized(digits, 0, digits.length());
      target.writeShort(CRLF);
    } else {
      bulk(digits);
    }
  }

  /**
   * RESP3 {@code =<len+4>\r\n<format3>:<text>\r\n}; RESP2 a bulk string of {@code text}.
   *
   * @param format3 exactly three ASCII characters, such as {@code "txt"}
   */
  public void verbatim(String format3, byte[] text) {
    if (format3.length() != 3) {
      throw new IllegalArgumentException("format3=" + format3 + " (must be 3 characters)");
    }
    if (resp3()) {
      writeNumberLine('=', text.length + 4L);
      ByteBuf out = target;
      out.writeByte(format3.charAt(0));
      out.writeByte(format3.charAt(1));
      out.writeByte(format3.charAt(2));
      out.writeByte(':');
      out.writeBytes(text);
      out.writeShort(CRLF);
    } else {
      bulk(text);
    }
  }

  /** RESP3 {@code !<len>\r\n<text>\r\n}; RESP2 a simple error {@code -<text>}. */
  public void blobError(String text) {
    if (resp3()) {
      int len = text.length();
      writeNumberLine('!', len);
      ByteBuf out = target;
      out.ensureWritable(len + 2);
      for (int i = 0; i < len; i++) {
        char c = text.charAt(i);
        out.writeByte(c > 0xFF ? '?' : c);
      }
      out.writeShort(CRLF);
    } else {
      error(text);
    }
  }

  // ------------------------------------------------------------------------------------ digits

  private void writeNumberLine(char prefix, long v) {
    ByteBuf out = target;
    out.writeByte(prefix);
    if (v >= 0 && v < CACHED_INTEGERS) {
      out.writeBytes(DIGITS_CRLF[(int) v]);
    } else {
      int len = RespNumbers.formatLong(v, numberScratch, 0);
      out.writeBytes(numberScratch, 0, len);
      out.writeShort(CRLF);
    }
  }
}
