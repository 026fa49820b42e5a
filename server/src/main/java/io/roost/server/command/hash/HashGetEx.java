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
    String error = HashArgs.fields(call, 2, HashArgs.NUMFIELDS_POSITIVE);
    if (error != null) {
      HashArgs.parseError(call, error);
      return;
    }
    int mark = HashArgs.mark(call);
    long st =
        call.db()
            .hgetDel(
                call.buf(),
                call.offset(1),
                call.length(1),
                call.args(),
                4,
                call.argc(),
                call.bulkSink());
    HashArgs.finish(call, mark, st);
  }

  static void hgetex(Call call) {
    int mode = Database.GETEX_NONE;
    long atMs = 0;
    int fieldsAt = 2;
    boolean seconds = call.argIs(2, HashArgs.EX) || call.argIs(2, HashArgs.EXAT);
    boolean relative = call.argIs(2, HashArgs.EX) || call.argIs(2, HashArgs.PX);
    if (seconds || relative || call.argIs(2, HashArgs.PXAT)) {
      mode = Database.GETEX_EXPIRE;
      atMs = HashArgs.expireTime(call, 3, seconds, relative ? call.storeNowMs() : 0);
      if (atMs < 0) {
        HashArgs.parseError(call, HashArgs.expireError(call, atMs));
        return;
      }
      fieldsAt = 4;
    } else if (call.argIs(2, HashArgs.PERSIST)) {
      mode = Database.GETEX_PERSIST;
      fieldsAt = 3;
    }
    String error = HashArgs.fields(call, fieldsAt, HashArgs.NUMFIELDS_POSITIVE);
    if (error != null) {
      HashArgs.parseError(call, error);
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
