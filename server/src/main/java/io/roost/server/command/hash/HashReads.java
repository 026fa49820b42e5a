package io.roost.server.command.hash;

import io.roost.server.command.Call;
import io.roost.store.Database;
import io.roost.store.Status;
import org.agrona.DirectBuffer;

/**
 * HGET, HMGET, HGETALL, HKEYS, HVALS, HLEN, HEXISTS, HSTRLEN. Stateless; values stream from the
 * store straight into the reply, so none of them allocates.
 */
final class HashReads {
  private HashReads() {}

  /** {@code HGET key field}: the value, or null. */
  static void hget(Call call) {
    DirectBuffer b = call.buf();
    int st =
        call.db()
            .hget(
                b,
                call.offset(1),
                call.length(1),
                b,
                call.offset(2),
                call.length(2),
                call.bulkSink());
    if (st == Status.NIL) {
      call.reply().nullBulk();
    } else if (st < 0) {
      call.storeError(st);
    }
  }

  /** {@code HMGET key field [field ...]}: an array of values and nulls. */
  static void hmget(Call call) {
    HashArgs.streamFields(call, 2, Database::hmget);
  }

  /** {@code HGETALL key}: a map in RESP3, a flat array in RESP2. */
  static void hgetall(Call call) {
    all(call, Database.HASH_BOTH);
  }

  /** {@code HKEYS key}. */
  static void hkeys(Call call) {
    all(call, Database.HASH_FIELDS);
  }

  /** {@code HVALS key}. */
  static void hvals(Call call) {
    all(call, Database.HASH_VALUES);
  }

  private static void all(Call call, int what) {
    int mark = HashArgs.mark(call);
    int st =
        call.db()
            .hgetAll(
                call.buf(),
                call.offset(1),
                call.length(1),
                what,
                what == Database.HASH_BOTH ? call.mapSink() : call.bulkSink());
    HashArgs.finish(call, mark, st);
  }

  /** {@code HLEN key}. */
  static void hlen(Call call) {
    integer(call, call.db().hlen(call.buf(), call.offset(1), call.length(1)));
  }

  /** {@code HEXISTS key field}. */
  static void hexists(Call call) {
    DirectBuffer b = call.buf();
    integer(
        call,
        call.db().hexists(b, call.offset(1), call.length(1), b, call.offset(2), call.length(2)));
  }

  /** {@code HSTRLEN key field}. */
  static void hstrlen(Call call) {
    DirectBuffer b = call.buf();
    integer(
        call,
        call.db().hstrlen(b, call.offset(1), call.length(1), b, call.offset(2), call.length(2)));
  }

  private static void integer(Call call, long result) {
    if (result < 0) {
      call.storeError((int) result);
    } else {
      call.reply().integer(result);
    }
  }
}
