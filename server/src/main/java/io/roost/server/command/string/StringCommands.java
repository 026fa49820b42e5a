package io.roost.server.command.string;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.Database;
import io.roost.store.Status;
import io.roost.store.StoreConfiguration;
import io.roost.store.ValueType;
import java.nio.charset.StandardCharsets;
import org.agrona.collections.MutableLong;

/**
 * The string commands: GET, SET and its variants, GETEX, GETDEL, GETSET, MGET, MSET, MSETNX,
 * APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE and the counters. Stateless; every handler runs on the
 * connection's event loop.
 *
 * <p>Implementation notes: options are matched with {@link Call#argIs} against pre-encoded
 * upper-case constants and numbers are parsed from the argument bytes, so GET and SET allocate
 * nothing (error replies excepted). Options are parsed exactly as Redis's {@code
 * parseExtendedStringArgumentsOrReply}: an option that conflicts with one seen earlier is a syntax
 * error, a repeated EX/PX/... replaces the earlier one. Relative TTLs become absolute milliseconds
 * with the store's clock. Where the store delivers a value through the reply sink and then fails
 * (SET ... GET running out of memory), the partial reply is rolled back before the error.
 */
public final class StringCommands {
  private StringCommands() {}

  static final byte[] NX = ascii("NX");
  static final byte[] XX = ascii("XX");
  static final byte[] GET = ascii("GET");
  static final byte[] KEEPTTL = ascii("KEEPTTL");
  static final byte[] PERSIST = ascii("PERSIST");
  static final byte[] EX = ascii("EX");
  static final byte[] PX = ascii("PX");
  static final byte[] EXAT = ascii("EXAT");
  static final byte[] PXAT = ascii("PXAT");

  static final int F_NX = 1;
  static final int F_XX = 1 << 1;
  static final int F_GET = 1 << 2;
  static final int F_KEEPTTL = 1 << 3;
  static final int F_PERSIST = 1 << 4;
  static final int F_EX = 1 << 5;
  static final int F_PX = 1 << 6;
  static final int F_EXAT = 1 << 7;
  static final int F_PXAT = 1 << 8;

  /** {@link #expireAtMs} result: the argument is not an integer. */
  static final long EXPIRE_NOT_INTEGER = -1;

  /** {@link #expireAtMs} result: non-positive or overflowing. */
  static final long EXPIRE_INVALID = -2;

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ------------------------------------------------------------------ GET / SET family

  /** {@code GET key}. */
  public static void get(Call call) {
    int st = call.db().get(call.buf(), call.offset(1), call.length(1), call.bulkSink());
    if (st == Status.NIL) {
      call.reply().nullBulk();
    } else if (st < 0) {
      call.storeError(st);
    }
  }

  /** {@code SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]}. */
  public static void set(Call call) {
    long parsed = parseOptions(call, 3, true);
    if (parsed < 0) {
      return;
    }
    int flags = (int) parsed;
    int expireArg = (int) (parsed >>> 32);
    long atMs = 0;
    if (expireArg != 0) {
      atMs = expireAtMs(call, expireArg, flags);
      if (atMs < 0) {
        expireError(call, atMs);
        return;
      }
    }
    store(call, 2, flags, atMs, false);
  }

  /** {@code SETNX key value}: 1 if set, 0 if the key existed. */
  public static void setNx(Call call) {
    store(call, 2, F_NX, 0, true);
  }

  /** {@code SETEX key seconds value}. */
  public static void setEx(Call call) {
    setWithTtl(call, F_EX);
  }

  /** {@code PSETEX key milliseconds value}. */
  public static void pSetEx(Call call) {
    setWithTtl(call, F_PX);
  }

  private static void setWithTtl(Call call, int unitFlag) {
    long atMs = expireAtMs(call, 2, unitFlag);
    if (atMs < 0) {
      expireError(call, atMs);
      return;
    }
    store(call, 3, 0, atMs, false);
  }

  /** {@code GETSET key value}: SET ... GET without keeping the TTL. */
  public static void getSet(Call call) {
    store(call, 2, F_GET, 0, false);
  }

  /**
   * Runs the store's SET and writes Redis's reply: the old value with GET, else OK / 1, or nil / 0
   * when NX or XX was not met.
   */
  private static void store(Call call, int valueArg, int flags, long atMs, boolean integerReply) {
    int dbFlags =
        ((flags & F_NX) != 0 ? Database.SET_NX : 0)
            | ((flags & F_XX) != 0 ? Database.SET_XX : 0)
            | ((flags & F_GET) != 0 ? Database.SET_GET : 0)
            | ((flags & F_KEEPTTL) != 0 ? Database.SET_KEEPTTL : 0);
    boolean get = (flags & F_GET) != 0;
    ByteBuf out = call.reply().target();
    int mark = out.writerIndex();
    int st =
        call.db()
            .set(
                call.buf(),
                call.offset(1),
                call.length(1),
                call.buf(),
                call.offset(valueArg),
                call.length(valueArg),
                dbFlags,
                atMs,
                get ? call.bulkSink() : null);
    if (st < 0) {
      out.writerIndex(mark);
      call.storeError(st);
    } else if (get) {
      return; // the old value (or nil) is the reply, written by the store
    } else if (st == Status.NOT_SET) {
      if (integerReply) {
        call.reply().integer(0);
      } else {
        call.reply().nullBulk();
      }
    } else if (integerReply) {
      call.reply().integer(1);
    } else {
      call.reply().ok();
    }
  }

  /** {@code GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]}. */
  public static void getEx(Call call) {
    long parsed = parseOptions(call, 2, false);
    if (parsed < 0) {
      return;
    }
    int flags = (int) parsed;
    int expireArg = (int) (parsed >>> 32);
    int mode = (flags & F_PERSIST) != 0 ? Database.GETEX_PERSIST : Database.GETEX_NONE;
    long atMs = 0;
    if (expireArg != 0) {
      atMs = expireAtMs(call, expireArg, flags);
      if (atMs < 0) {
        // Redis looks the key up before it validates the time.
        ValueType t = call.db().type(call.buf(), call.offset(1), call.length(1));
        if (t == ValueType.NONE) {
          call.reply().nullBulk();
        } else if (t != ValueType.STRING) {
          call.storeError(Status.WRONGTYPE);
        } else {
          expireError(call, atMs);
        }
        return;
      }
      mode = Database.GETEX_EXPIRE;
    }
    int st =
        call.db().getEx(call.buf(), call.offset(1), call.length(1), mode, atMs, call.bulkSink());
    if (st == Status.NIL) {
      call.reply().nullBulk();
    } else if (st < 0) {
      call.storeError(st);
    }
  }

  /** {@code GETDEL key}. */
  public static void getDel(Call call) {
    int st = call.db().getDel(call.buf(), call.offset(1), call.length(1), call.bulkSink());
    if (st == Status.NIL) {
      call.reply().nullBulk();
    } else if (st < 0) {
      call.storeError(st);
    }
  }

  /**
   * Parses SET's ({@code set}) or GETEX's options from argument {@code from} as Redis does.
   *
   * @return the option flags in the low 32 bits and the index of the expire argument (0 if none) in
   *     the high 32 bits, or -1 after writing a syntax error.
   */
  static long parseOptions(Call call, int from, boolean set) {
    int flags = 0;
    int expireArg = 0;
    int argc = call.argc();
    for (int j = from; j < argc; j++) {
      boolean next = j < argc - 1;
      if (set && (flags & F_XX) == 0 && call.argIs(j, NX)) {
        flags |= F_NX;
      } else if (set && (flags & F_NX) == 0 && call.argIs(j, XX)) {
        flags |= F_XX;
      } else if (set && call.argIs(j, GET)) {
        flags |= F_GET;
      } else if (set
          && (flags & (F_PERSIST | F_EX | F_EXAT | F_PX | F_PXAT)) == 0
          && call.argIs(j, KEEPTTL)) {
        flags |= F_KEEPTTL;
      } else if (!set
          && (flags & (F_EX | F_EXAT | F_PX | F_PXAT | F_KEEPTTL)) == 0
          && call.argIs(j, PERSIST)) {
        flags |= F_PERSIST;
      } else if (next
          && (flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT)) == 0
          && call.argIs(j, EX)) {
        flags |= F_EX;
        expireArg = ++j;
      } else if (next
          && (flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT)) == 0
          && call.argIs(j, PX)) {
        flags |= F_PX;
        expireArg = ++j;
      } else if (next
          && (flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT)) == 0
          && call.argIs(j, EXAT)) {
        flags |= F_EXAT;
        expireArg = ++j;
      } else if (next
          && (flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX)) == 0
          && call.argIs(j, PXAT)) {
        flags |= F_PXAT;
        expireArg = ++j;
      } else {
        call.syntaxError();
        return -1;
      }
    }
    return ((long) expireArg << 32) | flags;
  }

  /**
   * The absolute expiry of the time at argument {@code i} under the unit flag in {@code flags}
   * (Redis's {@code getExpireMillisecondsOrReply}); writes nothing.
   *
   * @return epoch ms (positive), {@link #EXPIRE_NOT_INTEGER} or {@link #EXPIRE_INVALID}.
   */
  static long expireAtMs(Call call, int i, int flags) {
    long v;
    try {
      v = call.frame().argLong(i);
    } catch (RespNumberException e) {
      return EXPIRE_NOT_INTEGER;
    }
    boolean seconds = (flags & (F_EX | F_EXAT)) != 0;
    if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
      return EXPIRE_INVALID;
    }
    if (seconds) {
      v *= 1000;
    }
    if ((flags & (F_EX | F_PX)) != 0) {
      v += call.storeNowMs(); // wraps negative on overflow, as in Redis
    }
    return v <= 0 ? EXPIRE_INVALID : v;
  }

  static void expireError(Call call, long code) {
    if (code == EXPIRE_NOT_INTEGER) {
      call.reply().error(Errors.NOT_INTEGER);
    } else {
      call.storeError(Status.INVALID_EXPIRE);
    }
  }

  // ------------------------------------------------------------------ multi-key

  /** {@code MGET key [key ...]}: nil for missing keys and non-strings. */
  public static void mget(Call call) {
    call.db().mget(call.args(), 1, call.argc(), call.bulkSink());
  }

  /** {@code MSET key value [key value ...]}. */
  public static void mset(Call call) {
    if (call.argc() % 2 == 0) {
      call.reply().error(Errors.arity(call.spec()));
      return;
    }
    int st = call.db().mset(call.args(), 1, call.argc());
    if (st < 0) {
      call.storeError(st);
    } else {
      call.reply().ok();
    }
  }

  /** {@code MSETNX key value [key value ...]}: 1 if all were set, 0 if any key existed. */
  public static void msetNx(Call call) {
    if (call.argc() % 2 == 0) {
      call.reply().error(Errors.arity(call.spec()));
      return;
    }
    int r = call.db().msetnx(call.args(), 1, call.argc());
    if (r < 0) {
      call.storeError(r);
    } else {
      call.reply().integer(r);
    }
  }

  // ------------------------------------------------------------------ lengths and ranges

  /** {@code APPEND key value}: the new length. */
  public static void append(Call call) {
    long r =
        call.db()
            .append(
                call.buf(),
                call.offset(1),
                call.length(1),
                call.buf(),
                call.offset(2),
                call.length(2));
    integerOrError(call, r);
  }

  /** {@code STRLEN key}. */
  public static void strlen(Call call) {
    integerOrError(call, call.db().strlen(call.buf(), call.offset(1), call.length(1)));
  }

  /** {@code GETRANGE key start end} (also SUBSTR). */
  public static void getRange(Call call) {
    long start;
    long end;
    try {
      start = call.frame().argLong(2);
      end = call.frame().argLong(3);
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
      return;
    }
    int st =
        call.db().getRange(call.buf(), call.offset(1), call.length(1), start, end, call.bulkSink());
    if (st < 0) {
      call.storeError(st);
    }
  }

  /** {@code SUBSTR key start end}: GETRANGE's old name. */
  public static void substr(Call call) {
    getRange(call);
  }

  /** {@code SETRANGE key offset value}: the new length. */
  public static void setRange(Call call) {
    long offset;
    try {
      offset = call.frame().argLong(2);
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
      return;
    }
    if (offset < 0) {
      call.reply().error("ERR offset is out of range");
      return;
    }
    // Past the limit the store answers STRING_TOO_LONG at the right point; clamping keeps its
    // offset + length from overflowing.
    long clamped = Math.min(offset, StoreConfiguration.MAX_STRING_BYTES + 1);
    long r =
        call.db()
            .setRange(
                call.buf(),
                call.offset(1),
                call.length(1),
                clamped,
                call.buf(),
                call.offset(3),
                call.length(3));
    integerOrError(call, r);
  }

  private static void integerOrError(Call call, long r) {
    if (r < 0) {
      call.storeError((int) r);
    } else {
      call.reply().integer(r);
    }
  }

  // ------------------------------------------------------------------ counters

  /** {@code INCR key}. */
  public static void incr(Call call) {
    incrBy(call, 1);
  }

  /** {@code DECR key}. */
  public static void decr(Call call) {
    incrBy(call, -1);
  }

  /** {@code INCRBY key increment}. */
  public static void incrBy(Call call) {
    try {
      incrBy(call, call.frame().argLong(2));
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
    }
  }

  /** {@code DECRBY key decrement}. */
  public static void decrBy(Call call) {
    long v;
    try {
      v = call.frame().argLong(2);
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
      return;
    }
    if (v == Long.MIN_VALUE) {
      call.reply().error("ERR decrement would overflow");
      return;
    }
    incrBy(call, -v);
  }

  private static void incrBy(Call call, long delta) {
    MutableLong out = call.scratchLong();
    int st = call.db().incrBy(call.buf(), call.offset(1), call.length(1), delta, out);
    if (st < 0) {
      call.storeError(st);
    } else {
      call.reply().integer(out.get());
    }
  }

  /** {@code INCRBYFLOAT key increment}: the new value as a bulk string. */
  public static void incrByFloat(Call call) {
    ByteBuf out = call.reply().target();
    int mark = out.writerIndex();
    int st =
        call.db()
            .incrByFloat(
                call.buf(),
                call.offset(1),
                call.length(1),
                call.buf(),
                call.offset(2),
                call.length(2),
                call.bulkSink());
    if (st < 0) {
      out.writerIndex(mark);
      call.storeError(st);
    }
  }
}
