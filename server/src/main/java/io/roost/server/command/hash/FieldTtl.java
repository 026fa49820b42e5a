package io.roost.server.command.hash;

import io.roost.server.command.Call;
import io.roost.store.Database;
import org.agrona.DirectBuffer;

/**
 * Per-field TTLs (Redis 7.4): HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME,
 * HPEXPIRETIME, HPERSIST. Each replies one integer per field: -2 no such field, and 0/1/2
 * (condition not met / set / deleted because the time is not in the future), -1/time, or -1/1.
 * Stateless; relative times become absolute with the store's clock.
 */
final class FieldTtl {
  private FieldTtl() {}

  /** {@code HEXPIRE key seconds [NX|XX|GT|LT] FIELDS numfields field...}. */
  static void hexpire(Call call) {
    expire(call, true, call.storeNowMs());
  }

  /** {@code HPEXPIRE key milliseconds [NX|XX|GT|LT] FIELDS numfields field...}. */
  static void hpexpire(Call call) {
    expire(call, false, call.storeNowMs());
  }

  /** {@code HEXPIREAT key unix-time-seconds [NX|XX|GT|LT] FIELDS numfields field...}. */
  static void hexpireat(Call call) {
    expire(call, true, 0);
  }

  /** {@code HPEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT] FIELDS numfields field...}. */
  static void hpexpireat(Call call) {
    expire(call, false, 0);
  }

  private static void expire(Call call, boolean seconds, long baseMs) {
    long atMs = HashArgs.expireTimeOrReply(call, 2, seconds, baseMs);
    if (atMs < 0) {
      return;
    }
    int cond = 0;
    if (call.argIs(3, HashArgs.NX)) {
      cond = Database.EXPIRE_NX;
    } else if (call.argIs(3, HashArgs.XX)) {
      cond = Database.EXPIRE_XX;
    } else if (call.argIs(3, HashArgs.GT)) {
      cond = Database.EXPIRE_GT;
    } else if (call.argIs(3, HashArgs.LT)) {
      cond = Database.EXPIRE_LT;
    }
    int fieldsAt = cond == 0 ? 3 : 4;
    if (!HashArgs.checkFields(call, fieldsAt, HashArgs.NUMFIELDS_EXPIRE)) {
      return;
    }
    int mark = HashArgs.mark(call);
    int st =
        call.db()
            .hexpireAt(
                call.buf(),
                call.offset(1),
                call.length(1),
                atMs,
                cond,
                call.args(),
                fieldsAt + 2,
                call.argc(),
                call.bulkSink());
    HashArgs.finish(call, mark, st);
  }

  /** {@code HTTL key FIELDS numfields field...}: seconds left, rounded up. */
  static void httl(Call call) {
    ttl(call, Database.HTTL_SECONDS);
  }

  /** {@code HPTTL key FIELDS numfields field...}. */
  static void hpttl(Call call) {
    ttl(call, Database.HTTL_MILLIS);
  }

  /** {@code HEXPIRETIME key FIELDS numfields field...}. */
  static void hexpiretime(Call call) {
    ttl(call, Database.HEXPIRETIME_SECONDS);
  }

  /** {@code HPEXPIRETIME key FIELDS numfields field...}. */
  static void hpexpiretime(Call call) {
    ttl(call, Database.HEXPIRETIME_MILLIS);
  }

  private static void ttl(Call call, int mode) {
    if (!HashArgs.checkFields(call, 2, HashArgs.NUMFIELDS_POSITIVE)) {
      return;
    }
    int mark = HashArgs.mark(call);
    DirectBuffer b = call.buf();
    int st =
        call.db()
            .httl(
                b,
                call.offset(1),
                call.length(1),
                mode,
                call.args(),
                4,
                call.argc(),
                call.bulkSink());
    HashArgs.finish(call, mark, st);
  }

  /** {@code HPERSIST key FIELDS numfields field...}. */
  static void hpersist(Call call) {
    if (HashArgs.checkFields(call, 2, HashArgs.NUMFIELDS_POSITIVE)) {
      HashArgs.streamFields(call, 4, Database::hpersist);
    }
  }
}
