package io.roost.server.command.keys;

import io.roost.cluster.SlotSet;
import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.cluster.ClusterKeyspace;
import io.roost.store.ValueSink;
import io.roost.store.ValueType;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;

/**
 * Keyspace iteration: KEYS and SCAN. Stateless; runs on the connection's event loop. On a clustered
 * node ({@link ClusterKeyspace#active}) both cover the whole cluster; {@link #keysIn} and {@link
 * #scanIn} are the parts each node answers for its slots.
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

  /** {@code KEYS pattern}: on a clustered node, the keys of the whole cluster. */
  public static void keys(Call call) {
    if (ClusterKeyspace.active(call)) {
      ClusterKeyspace.keys(call);
      return;
    }
    keysIn(call, 1, null);
  }

  /**
   * Replies with the keys of the selected database that match the pattern in argument {@code
   * patternArg} and whose slot is in {@code slots} (null: every key).
   */
  public static void keysIn(Call call, int patternArg, long[] slots) {
    KeyCollector keys = new KeyCollector(call.reply());
    try {
      call.db()
          .keys(call.buf(), call.offset(patternArg), call.length(patternArg), filter(keys, slots));
    } catch (RuntimeException e) {
      keys.discard();
      throw e;
    }
    keys.writeTo(call.reply());
  }

  /**
   * SCAN's options.
   *
   * @param patternArg argument of the MATCH pattern, 0 for none (or {@code *})
   * @param count the COUNT hint
   * @param type the TYPE filter or null ({@link ValueType#NONE} for an unknown type)
   */
  public record Options(int patternArg, long count, ValueType type) {}

  /** {@code SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]}. */
  public static void scan(Call call) {
    MutableLong parsed = call.scratchLong();
    if (!parseCursor(call, 1, parsed)) {
      call.reply().error("ERR invalid cursor");
      return;
    }
    long cursor = parsed.get();
    Options options = options(call, 2);
    if (options == null) {
      return;
    }
    if (ClusterKeyspace.active(call)) {
      ClusterKeyspace.scan(call, cursor);
      return;
    }
    scanIn(call, cursor, options, null, 1);
  }

  /**
   * Parses SCAN's options from argument {@code from} on, as Redis does; null after replying the
   * error.
   */
  public static Options options(Call call, int from) {
    long count = 10;
    int patternArg = 0;
    ValueType type = null;
    int argc = call.argc();
    for (int i = from; i < argc; i += 2) {
      boolean hasValue = argc - i >= 2;
      if (hasValue && call.argIs(i, COUNT)) {
        try {
          count = call.frame().argLong(i + 1);
        } catch (RespNumberException e) {
          call.reply().error(Errors.NOT_INTEGER);
          return null;
        }
        if (count < 1) {
          call.syntaxError();
          return null;
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
        return null;
      }
    }
    if (patternArg != 0 && call.length(patternArg) == 1 && isStar(call, patternArg)) {
      patternArg = 0;
    }
    return new Options(patternArg, count, type);
  }

  /**
   * One SCAN step over the selected database, keeping only keys whose slot is in {@code slots}
   * (null: every key); the store is asked for {@code countFactor} times COUNT keys, to make up for
   * the ones the filter drops. Replies {@code [next cursor, keys]}.
   */
  public static void scanIn(
      Call call, long cursor, Options options, long[] slots, long countFactor) {
    DirectBuffer pattern = null;
    int patternOff = 0;
    int patternLen = 0;
    if (options.patternArg() != 0) {
      pattern = call.buf();
      patternOff = call.offset(options.patternArg());
      patternLen = call.length(options.patternArg());
    }
    long factor = Math.max(1, countFactor);
    long count =
        options.count() > Integer.MAX_VALUE / factor ? Integer.MAX_VALUE : options.count() * factor;
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
                  options.type(),
                  (int) count,
                  filter(keys, slots));
    } catch (RuntimeException e) {
      keys.discard();
      throw e;
    }
    call.reply().arrayHeader(2);
    call.reply().bulk(Long.toUnsignedString(next));
    keys.writeTo(call.reply());
  }

  /** {@code keys}, or a sink passing on only the keys whose slot is in {@code slots}. */
  private static ValueSink filter(KeyCollector keys, long[] slots) {
    if (slots == null) {
      return keys;
    }
    return (buffer, offset, length) -> {
      if (SlotSet.containsKey(slots, buffer, offset, length)) {
        keys.value(buffer, offset, length);
      }
    };
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
  public static boolean parseCursor(Call call, int i, MutableLong out) {
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
