package io.roost.server.command.hash;

import io.roost.server.command.Call;
import io.roost.store.Database;

/**
 * The Redis 8.0 get-and-change commands: {@code HGETDEL key FIELDS numfields field...} and {@code
 * HGETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST] FIELDS numfields field...}. Both reply the values
 * (nulls for missing fields) before the change; a time not in the future deletes the fields.
 * Stateless.
 */
final class HashGetEx {
  private HashGetEx() {}

  static void hgetdel(Call call) {
    if (HashArgs.checkFields(call, 2, HashArgs.NUMFIELDS_POSITIVE)) {
      HashArgs.streamFields(call, 4, Database::hgetDel);
    }
  }

  static void hgetex(Call call) {
    int mode = Database.GETEX_NONE;
    long atMs = 0;
    int fieldsAt = 2;
    boolean seconds = call.argIs(2, HashArgs.EX) || call.argIs(2, HashArgs.EXAT);
    boolean relative = call.argIs(2, HashArgs.EX) || call.argIs(2, HashArgs.PX);
    if (seconds || relative || call.argIs(2, HashArgs.PXAT)) {
      mode = Database.GETEX_EXPIRE;
      atMs = HashArgs.expireTimeOrReply(call, 3, seconds, relative ? call.storeNowMs() : 0);
      if (atMs < 0) {
        return;
      }
      fieldsAt = 4;
    } else if (call.argIs(2, HashArgs.PERSIST)) {
      mode = Database.GETEX_PERSIST;
      fieldsAt = 3;
    }
    if (!HashArgs.checkFields(call, fieldsAt, HashArgs.NUMFIELDS_POSITIVE)) {
      return;
    }
    int mark = HashArgs.mark(call);
    int st =
        call.db()
            .hgetEx(
                call.buf(),
                call.offset(1),
                call.length(1),
                mode,
                atMs,
                call.args(),
                fieldsAt + 2,
                call.argc(),
                call.bulkSink());
    HashArgs.finish(call, mark, st);
  }
}
