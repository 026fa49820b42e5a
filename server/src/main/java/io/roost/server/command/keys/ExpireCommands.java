package io.roost.server.command.keys;

import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.Database;
import io.roost.store.Status;

/**
 * Key expiry: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with NX/XX/GT/LT), TTL, PTTL, EXPIRETIME,
 * PEXPIRETIME and PERSIST. Stateless; runs on the connection's event loop.
 *
 * <p>Implementation notes: relative times are added to the store's clock so that the deadline the
 * store keeps (absolute epoch ms) is the one it expires by; overflow of the unit conversion or of
 * the addition is Redis's {@code invalid expire time} error, a time not in the future deletes the
 * key (the store's business). Seconds are reported rounded to the nearest, as Redis does for TTL
 * and EXPIRETIME alike.
 */
public final class ExpireCommands {
  private ExpireCommands() {}

  private static final byte[] NX = KeyCommands.ascii("NX");
  private static final byte[] XX = KeyCommands.ascii("XX");
  private static final byte[] GT = KeyCommands.ascii("GT");
  private static final byte[] LT = KeyCommands.ascii("LT");

  /** {@code EXPIRE key seconds [NX|XX|GT|LT]}. */
  public static void expire(Call call) {
    expireGeneric(call, true, true);
  }

  /** {@code PEXPIRE key milliseconds [NX|XX|GT|LT]}. */
  public static void pExpire(Call call) {
    expireGeneric(call, true, false);
  }

  /** {@code EXPIREAT key unix-seconds [NX|XX|GT|LT]}. */
  public static void expireAt(Call call) {
    expireGeneric(call, false, true);
  }

  /** {@code PEXPIREAT key unix-ms [NX|XX|GT|LT]}. */
  public static void pExpireAt(Call call) {
    expireGeneric(call, false, false);
  }

  private static void expireGeneric(Call call, boolean relative, boolean seconds) {
    int flags = 0;
    for (int j = 3; j < call.argc(); j++) {
      if (call.argIs(j, NX)) {
        flags |= Database.EXPIRE_NX;
      } else if (call.argIs(j, XX)) {
        flags |= Database.EXPIRE_XX;
      } else if (call.argIs(j, GT)) {
        flags |= Database.EXPIRE_GT;
      } else if (call.argIs(j, LT)) {
        flags |= Database.EXPIRE_LT;
      } else {
        call.reply().error("ERR Unsupported option " + call.argString(j));
        return;
      }
    }
    if ((flags & Database.EXPIRE_NX) != 0
        && (flags & (Database.EXPIRE_XX | Database.EXPIRE_GT | Database.EXPIRE_LT)) != 0) {
      call.reply().error("ERR NX and XX, GT or LT options at the same time are not compatible");
      return;
    }
    if ((flags & Database.EXPIRE_GT) != 0 && (flags & Database.EXPIRE_LT) != 0) {
      call.reply().error("ERR GT and LT options at the same time are not compatible");
      return;
    }
    long when;
    try {
      when = call.frame().argLong(2);
    } catch (RespNumberException e) {
      call.reply().error(Errors.NOT_INTEGER);
      return;
    }
    if (seconds) {
      if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
        call.storeError(Status.INVALID_EXPIRE);
        return;
      }
      when *= 1000;
    }
    long base = relative ? call.storeNowMs() : 0;
    if (when > Long.MAX_VALUE - base) {
      call.storeError(Status.INVALID_EXPIRE);
      return;
    }
    when += base;
    int r = call.db().expireAt(call.buf(), call.offset(1), call.length(1), when, flags);
    if (r < 0) {
      call.storeError(r);
    } else {
      call.reply().integer(r);
    }
  }

  /** {@code TTL key}: seconds left (rounded), -1 without TTL, -2 missing. */
  public static void ttl(Call call) {
    long ms = call.db().pttl(call.buf(), call.offset(1), call.length(1));
    call.reply().integer(ms < 0 ? ms : (ms + 500) / 1000);
  }

  /** {@code PTTL key}. */
  public static void pTtl(Call call) {
    call.reply().integer(call.db().pttl(call.buf(), call.offset(1), call.length(1)));
  }

  /** {@code EXPIRETIME key}: absolute unix seconds (rounded), -1, -2. */
  public static void expireTime(Call call) {
    long ms = call.db().pexpireTime(call.buf(), call.offset(1), call.length(1));
    call.reply().integer(ms < 0 ? ms : (ms + 500) / 1000);
  }

  /** {@code PEXPIRETIME key}. */
  public static void pExpireTime(Call call) {
    call.reply().integer(call.db().pexpireTime(call.buf(), call.offset(1), call.length(1)));
  }

  /** {@code PERSIST key}: 1 if a TTL was removed. */
  public static void persist(Call call) {
    call.reply().integer(call.db().persist(call.buf(), call.offset(1), call.length(1)));
  }
}
