package io.roost.server.command.keys;

import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.ValueType;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;

/**
 * Keyspace iteration: KEYS and SCAN. Stateless; runs on the connection's event loop.
 *
 * <p>Implementation notes: the store delivers keys without announcing their number, so they are
 * collected in a scratch buffer ({@link KeyCollector}) and copied after the array header. SCAN's
 * cursor is an unsigned 64-bit number parsed as Redis's {@code string2ull} does; an unknown TYPE
 * filters out every key without an error (Redis 7.4; 8.0 makes it an error).
 */
public final class ScanCommands {
  private ScanCommands() {}

  private static final byte[] MATCH = KeyCommands.ascii("MATCH");
  private static final byte[] COUNT = KeyCommands.ascii("COUNT");
  private static final byte[] TYPE = KeyCommands.ascii("TYPE");

  /** {@code KEYS pattern}. */
  public static void keys(Call call) {
    KeyCollector keys = new KeyCollector(call.reply());
    try {
      call.db().keys(call.buf(), call.offset(1), call.length(1), keys);
    } catch (RuntimeException e) {
      keys.discard();
      throw e;
    }
    keys.writeTo(call.reply());
  }

  /** {@code SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]}. */
  public static void scan(Call call) {
    MutableLong parsed = call.scratchLong();
    if (!parseCursor(call, 1, parsed)) {
      call.reply().error("ERR invalid cursor");
      return;
    }
    long cursor = parsed.get();
    long count = 10;
    int patternArg = 0;
    ValueType type = null;
    int argc = call.argc();
    for (int i = 2; i < argc; i += 2) {
      boolean hasValue = argc - i >= 2;
      if (hasValue && call.argIs(i, COUNT)) {
        try {
          count = call.frame().argLong(i + 1);
        } catch (RespNumberException e) {
          call.reply().error(Errors.NOT_INTEGER);
          return;
        }
        if (count < 1) {
          call.syntaxError();
          return;
        }
      } else if (hasValue && call.argIs(i, MATCH)) {
        patternArg = i + 1;
      } else if (hasValue && call.argIs(i, TYPE)) {
        type = ValueType.ofName(call.argString(i + 1));
        if (type == null) {
          type = ValueType.NONE; // no key has type none: everything is filtered out
        }
      } else {
        call.syntaxError();
        return;
      }
    }
    DirectBuffer pattern = null;
    int patternOff = 0;
    int patternLen = 0;
    if (patternArg != 0 && !(call.length(patternArg) == 1 && isStar(call, patternArg))) {
      pattern = call.buf();
      patternOff = call.offset(patternArg);
      patternLen = call.length(patternArg);
    }
    KeyCollector keys = new KeyCollector(call.reply());
    long next;
    try {
      next =
          call.db()
              .scan(
                  cursor,
                  pattern,
                  patternOff,
                  patternLen,
                  type,
                  (int) Math.min(count, Integer.MAX_VALUE),
                  keys);
    } catch (RuntimeException e) {
      keys.discard();
      throw e;
    }
    call.reply().arrayHeader(2);
    call.reply().bulk(Long.toUnsignedString(next));
    keys.writeTo(call.reply());
  }

  private static boolean isStar(Call call, int i) {
    return call.buf().getByte(call.offset(i)) == '*';
  }

  /**
   * Redis's {@code string2ull}: a canonical long that is not negative, else C's {@code strtoull}
   * over the whole argument (leading white space, a sign, leading zeros; '-' negates modulo 2^64;
   * no overflow).
   *
   * @return whether the argument is a cursor; its bits are put in {@code out}.
   */
  static boolean parseCursor(Call call, int i, MutableLong out) {
    try {
      long v = call.frame().argLong(i);
      out.set(v);
      return v >= 0;
    } catch (RespNumberException e) {
      // Not canonical: fall through to strtoull's rules (cold path).
    }
    String s = call.argString(i);
    int p = 0;
    int n = s.length();
    while (p < n && isSpace(s.charAt(p))) {
      p++;
    }
    boolean negative = false;
    if (p < n && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
      negative = s.charAt(p) == '-';
      p++;
    }
    if (p == n) {
      return false;
    }
    long v = 0;
    for (; p < n; p++) {
      char c = s.charAt(p);
      if (c < '0' || c > '9') {
        return false;
      }
      int d = c - '0';
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
        return false; // ERANGE
      }
      v = v * 10 + d;
    }
    out.set(negative ? -v : v);
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }
}
