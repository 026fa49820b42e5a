package io.roost.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import java.util.Arrays;

/**
 * Incremental RESP request decoder, owned by one connection's event-loop thread.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>An explicit state machine: {@link #decode} loops over steps, each of which either makes
 *       progress (consumes a header, an argument or a whole command) or reports that it needs more
 *       bytes. No recursion.
 *   <li>All partial state is relative to the start of the pending command, which is always {@code
 *       in.readerIndex()} between calls; the caller may therefore {@code discardReadBytes()} (or
 *       otherwise move the readable bytes) between calls. Bytes already scanned for a line
 *       terminator are never scanned again ({@link #scanned}).
 *   <li>Multibulk arguments are slices of the input buffer: nothing is copied, no String is made.
 *       The slice arrays grow by doubling as arguments actually arrive; nothing is sized from a
 *       length the client declares. The input's readerIndex stays at the command start until the
 *       whole command is present, so the slices stay valid.
 *   <li>Inline commands are split with {@code sdssplitargs} rules (quotes and escapes) into a
 *       reusable heap scratch buffer owned by the decoder, which grows to at most the longest line
 *       received; the frame then points into that buffer.
 *   <li>Like Redis, which scans the query buffer with {@code strchr}, a NUL byte before a line's
 *       terminator hides the terminator: such a line can only end in a "too big" error. Like Redis,
 *       the byte after a header's CR and the two bytes after a bulk payload are skipped unchecked.
 *   <li>Limits are checked before waiting for more bytes. The "too big" limits count from the start
 *       of the line: a terminator must appear within the first {@code maxInlineBytes + 1} bytes,
 *       which is Redis's rule made independent of how the bytes were split. The query-buffer limit
 *       counts every byte buffered from the start of the pending command (Redis moves finished
 *       arguments out of its query buffer; Roost keeps them in place, so a command whose arguments
 *       together exceed the limit is refused).
 * </ul>
 */
public final class RespDecoder {
  private static final int START = 0;
  private static final int INLINE = 1;
  private static final int MULTIBULK_HEADER = 2;
  private static final int BULK_HEADER = 3;
  private static final int BULK_PAYLOAD = 4;

  /** Continues while the byte is neither LF nor NUL. */
  private static final ByteProcessor FIND_LF_OR_NUL = b -> b != '\n' && b != 0;

  /** Continues while the byte is neither CR nor NUL. */
  private static final ByteProcessor FIND_CR_OR_NUL = b -> b != '\r' && b != 0;

  private static final int INITIAL_ARGS = 8;

  private final RespLimits limits;
  private boolean authenticated = true;

  private int state = START;

  /** Relative index of the next unconsumed byte of the pending command. */
  private int cursor;

  /** Relative index up to which the current line was scanned without finding its terminator. */
  private int scanned;

  /** The current line can no longer end: a NUL came before its terminator. */
  private boolean lineBlocked;

  /** Arguments still expected by the pending multibulk command. */
  private int remaining;

  /** Length of the bulk payload being awaited. */
  private int bulkLength;

  private int argc;
  private int[] offsets = new int[INITIAL_ARGS];
  private int[] lengths = new int[INITIAL_ARGS];

  private byte[] scratch = new byte[0];
  private ByteBuf scratchBuf = Unpooled.wrappedBuffer(scratch);

  /** Creates a decoder enforcing {@code limits}; the client starts authenticated. */
  public RespDecoder(RespLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("limits=null");
    }
    this.limits = limits;
  }

  /**
   * Sets whether the client is authenticated; when not, Redis's pre-authentication limits apply
   * (multibulk count above 10, bulk length above 16384, query buffer above 1 MiB are refused).
   */
  public void authenticated(boolean authenticated) {
    this.authenticated = authenticated;
  }

  /** Whether the client is treated as authenticated. */
  public boolean authenticated() {
    return authenticated;
  }

  /** The limits this decoder enforces. */
  public RespLimits limits() {
    return limits;
  }

  /** Forgets any partially decoded command. */
  public void reset() {
    state = START;
    cursor = 0;
    scanned = 0;
    lineBlocked = false;
    remaining = 0;
    bulkLength = 0;
    argc = 0;
  }

  /** Whether part of a command has been decoded and the rest is awaited. */
  public boolean hasPartialCommand() {
    return state != START;
  }

  /**
   * Decodes the next complete command starting at {@code in.readerIndex()}.
   *
   * <p>Returns true and fills {@code frame} when a whole command is present, with {@code
   * in.readerIndex()} advanced past it. Returns false when more bytes are needed, with {@code
   * in.readerIndex()} at the start of the incomplete command. Empty inline lines, {@code *0} and
   * negative multibulk counts are consumed and skipped.
   *
   * @throws RespProtocolException on bad input or an exceeded limit; the connection must close
   */
  public boolean decode(ByteBuf in, CommandFrame frame) {
    for (; ; ) {
      int start = in.readerIndex();
      int readable = in.writerIndex() - start;
      switch (state) {
        case START -> {
          if (readable == 0) {
            return false;
          }
          state = in.getByte(start) == '*' ? MULTIBULK_HEADER : INLINE;
          cursor = 0;
          scanned = 0;
          lineBlocked = false;
          argc = 0;
        }
        case INLINE -> {
          int lf = findTerminator(in, start, readable, FIND_LF_OR_NUL);
          if (lf < 0) {
            if (lf == TOO_BIG) {
              throw protocolError("Protocol error: too big inline request");
            }
            return needMore(readable);
          }
          int lineEnd = lf > 0 && in.getByte(start + lf - 1) == '\r' ? lf - 1 : lf;
          splitInline(in, start, lineEnd);
          in.readerIndex(start + lf + 1);
          state = START;
          if (argc > 0) {
            frame.set(scratchBuf, 0, offsets, lengths, argc, true);
            return true;
          }
        }
        case MULTIBULK_HEADER -> {
          int cr = findTerminator(in, start, readable, FIND_CR_OR_NUL);
          if (cr < 0) {
            if (cr == TOO_BIG) {
              throw protocolError("Protocol error: too big mbulk count string");
            }
            return needMore(readable);
          }
          if (cr + 2 > readable) {
            scanned = cr;
            return needMore(readable);
          }
          long count;
          try {
            count = RespNumbers.parseLong(in, start + 1, cr - 1);
          } catch (RespNumberException e) {
            throw protocolError("Protocol error: invalid multibulk length");
          }
          if (count > Integer.MAX_VALUE) {
            throw protocolError("Protocol error: invalid multibulk length");
          }
          if (count > RespLimits.UNAUTHENTICATED_MAX_MULTIBULK_LENGTH && !authenticated) {
            throw protocolError("Protocol error: unauthenticated multibulk length");
          }
          if (count <= 0) {
            in.readerIndex(start + cr + 2);
            state = START;
          } else {
            remaining = (int) count;
            cursor = cr + 2;
            scanned = cursor;
            state = BULK_HEADER;
          }
        }
        case BULK_HEADER -> {
          int cr = findTerminator(in, start, readable, FIND_CR_OR_NUL);
          if (cr < 0) {
            if (cr == TOO_BIG) {
              throw protocolError("Protocol error: too big bulk count string");
            }
            return needMore(readable);
          }
          if (cr + 2 > readable) {
            scanned = cr;
            return needMore(readable);
          }
          byte first = in.getByte(start + cursor);
          if (first != '$') {
            throw protocolError(
                "Protocol error: expected '$', got '" + (char) (first & 0xFF) + "'");
          }
          long length;
          try {
            length = RespNumbers.parseLong(in, start + cursor + 1, cr - cursor - 1);
          } catch (RespNumberException e) {
            throw protocolError("Protocol error: invalid bulk length");
          }
          if (length < 0 || length > limits.maxBulkBytes()) {
            throw protocolError("Protocol error: invalid bulk length");
          }
          if (length > RespLimits.UNAUTHENTICATED_MAX_BULK_BYTES && !authenticated) {
            throw protocolError("Protocol error: unauthenticated bulk length");
          }
          bulkLength = (int) length;
          cursor = cr + 2;
          state = BULK_PAYLOAD;
        }
        case BULK_PAYLOAD -> {
          if ((long) readable - cursor < (long) bulkLength + 2) {
            return needMore(readable);
          }
          addArg(cursor, bulkLength);
          cursor += bulkLength + 2;
          scanned = cursor;
          lineBlocked = false;
          if (--remaining > 0) {
            state = BULK_HEADER;
          } else {
            in.readerIndex(start + cursor);
            state = START;
            frame.set(in, start, offsets, lengths, argc, false);
            return true;
          }
        }
        default -> throw new IllegalStateException("state=" + state);
      }
    }
  }

  private static final int NOT_FOUND = -1;
  private static final int TOO_BIG = -2;

  /**
   * Finds the current line's terminator, scanning only bytes not scanned before. The line starts at
   * relative index {@link #cursor}. Returns the terminator's relative index, {@link #NOT_FOUND}, or
   * {@link #TOO_BIG} when no terminator is within {@code maxInlineBytes + 1} bytes of the line
   * start.
   */
  private int findTerminator(ByteBuf in, int start, int readable, ByteProcessor processor) {
    long window = (long) cursor + limits.maxInlineBytes() + 1;
    int scanEnd = (int) Math.min(readable, window);
    if (!lineBlocked && scanned < scanEnd) {
      int found = in.forEachByte(start + scanned, scanEnd - scanned, processor);
      if (found >= 0) {
        if (in.getByte(found) != 0) {
          return found - start;
        }
        lineBlocked = true;
      }
      scanned = scanEnd;
    }
    // No terminator (or one hidden behind a NUL): too big once the line outgrows the limit.
    return readable > (long) cursor + limits.maxInlineBytes() ? TOO_BIG : NOT_FOUND;
  }

  /** Checks the query-buffer limit before asking for more bytes. */
  private boolean needMore(int buffered) {
    long limit = limits.queryBufferLimitBytes();
    if (!authenticated) {
      limit = Math.min(limit, RespLimits.UNAUTHENTICATED_QUERY_BUFFER_LIMIT_BYTES);
    }
    if (buffered > limit) {
      throw new RespProtocolException(
          "Closing client that reached max query buffer length: qbuf=" + buffered, false);
    }
    return false;
  }

  private RespProtocolException protocolError(String message) {
    reset();
    return new RespProtocolException(message, true);
  }

  private void addArg(int offset, int length) {
    if (argc == offsets.length) {
      int n = argc * 2;
      offsets = Arrays.copyOf(offsets, n);
      lengths = Arrays.copyOf(lengths, n);
    }
    offsets[argc] = offset;
    lengths[argc] = length;
    argc++;
  }

  // ----------------------------------------------------------------------------------- inline

  /** C {@code isspace} in the C locale. */
  private static boolean isSpace(int c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int hexValue(int c) {
    if (c <= '9') {
      return c - '0';
    }
    return (c | 0x20) - 'a' + 10;
  }

  /**
   * Splits line bytes {@code [start, start + len)} of {@code in} into {@link #scratch} with the
   * rules of Redis's {@code sdssplitargs}. The line holds no NUL (see {@link #findTerminator}), so
   * "end of line" plays the part of C's terminating NUL.
   */
  private void splitInline(ByteBuf in, int start, int len) {
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, Math.min(2 * scratch.length, limits.maxInlineBytes() + 1))];
      scratchBuf = Unpooled.wrappedBuffer(scratch);
    }
    byte[] out = scratch;
    int w = 0;
    int p = 0;
    argc = 0;
    for (; ; ) {
      while (p < len && isSpace(in.getByte(start + p))) {
        p++;
      }
      if (p >= len) {
        break;
      }
      boolean inDoubleQuotes = false;
      boolean inSingleQuotes = false;
      boolean done = false;
      int argStart = w;
      while (!done) {
        int c = p < len ? in.getByte(start + p) & 0xFF : 0;
        int next = p + 1 < len ? in.getByte(start + p + 1) & 0xFF : 0;
        if (inDoubleQuotes) {
          if (c == '\\'
              && next == 'x'
              && p + 3 < len
              && isHexDigit(in.getByte(start + p + 2))
              && isHexDigit(in.getByte(start + p + 3))) {
            out[w++] =
                (byte)
                    (hexValue(in.getByte(start + p + 2)) * 16
                        + hexValue(in.getByte(start + p + 3)));
            p += 3;
          } else if (c == '\\' && next != 0) {
            p++;
            out[w++] =
                switch (next) {
                  case 'n' -> '\n';
                  case 'r' -> '\r';
                  case 't' -> '\t';
                  case 'b' -> '\b';
                  case 'a' -> 7;
                  default -> (byte) next;
                };
          } else if (c == '"') {
            if (next != 0 && !isSpace(next)) {
              throw protocolError("Protocol error: unbalanced quotes in request");
            }
            done = true;
          } else if (c == 0) {
            throw protocolError("Protocol error: unbalanced quotes in request");
          } else {
            out[w++] = (byte) c;
          }
        } else if (inSingleQuotes) {
          if (c == '\\' && next == '\'') {
            p++;
            out[w++] = '\'';
          } else if (c == '\'') {
            if (next != 0 && !isSpace(next)) {
              throw protocolError("Protocol error: unbalanced quotes in request");
            }
            done = true;
          } else if (c == 0) {
            throw protocolError("Protocol error: unbalanced quotes in request");
          } else {
            out[w++] = (byte) c;
          }
        } else {
          switch (c) {
            case ' ', '\n', '\r', '\t', 0 -> done = true;
            case '"' -> inDoubleQuotes = true;
            case '\'' -> inSingleQuotes = true;
            default -> out[w++] = (byte) c;
          }
        }
        if (p < len) {
          p++;
        }
      }
      addArg(argStart, w - argStart);
    }
    scratchBuf.setIndex(0, w);
  }
}
