package io.roost.server.command.hash;

import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.store.Database;

/**
 * {@code HSETEX key [FNX|FXX] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL] FIELDS numfields field value...}
 * (Redis 8.0): 1 when every field was set, 0 when FNX/FXX failed and nothing changed. Without an
 * expiry option the fields lose their TTLs, as with HSET. Stateless.
 *
 * <p>Implementation notes: options are parsed in Redis's order and with its texts; the type is
 * checked afterwards, by the store. The store reads an absolute time of 0 as "no TTL", so {@code
 * PXAT 0} (already past: the fields are set and deleted) is passed as 1 ms, equally past.
 */
final class HashSetEx {
  private HashSetEx() {}

  private static final String ONE_CONDITION =
      "ERR Only one of FXX or FNX arguments can be specified";
  private static final String ONE_EXPIRY =
      "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified";

  static void hsetex(Call call) {
    int flags = 0;
    boolean expiry = false;
    long atMs = 0;
    int argc = call.argc();
    for (int i = 2; i < argc; i++) {
      if (call.argIs(i, HashArgs.FIELDS)) {
        if (i >= argc - 3) {
          call.reply().error(Errors.arity(call.spec()));
          return;
        }
        long n = HashArgs.isLong(call, i + 1) ? call.argLong(i + 1, 0) : 0;
        if (n < 1 || n > Integer.MAX_VALUE) {
          call.reply().error("ERR invalid number of fields");
          return;
        }
        int remaining = argc - i - 2;
        if ((remaining & 1) != 0 || n != remaining / 2) {
          call.reply().error(Errors.arity(call.spec()));
          return;
        }
        set(call, flags, expiry ? atMs : Database.NO_EXPIRY, i + 2);
        return;
      }
      boolean ex = call.argIs(i, HashArgs.EX);
      boolean px = call.argIs(i, HashArgs.PX);
      boolean exat = call.argIs(i, HashArgs.EXAT);
      boolean pxat = call.argIs(i, HashArgs.PXAT);
      if (ex || px || exat || pxat) {
        if (expiry || (flags & Database.HSETEX_KEEPTTL) != 0) {
          call.reply().error(ONE_EXPIRY);
          return;
        }
        if (i >= argc - 1) {
          call.reply().error("ERR missing expire time");
          return;
        }
        i++;
        atMs = HashArgs.expireTime(call, i, ex || exat, ex || px ? call.storeNowMs() : 0);
        if (atMs < 0) {
          call.reply().error(HashArgs.expireError(call, atMs));
          return;
        }
        expiry = true;
      } else if (call.argIs(i, HashArgs.KEEPTTL)) {
        if (expiry || (flags & Database.HSETEX_KEEPTTL) != 0) {
          call.reply().error(ONE_EXPIRY);
          return;
        }
        flags |= Database.HSETEX_KEEPTTL;
      } else if (call.argIs(i, HashArgs.FXX) || call.argIs(i, HashArgs.FNX)) {
        if ((flags & (Database.HSETEX_FNX | Database.HSETEX_FXX)) != 0) {
          call.reply().error(ONE_CONDITION);
          return;
        }
        flags |= call.argIs(i, HashArgs.FXX) ? Database.HSETEX_FXX : Database.HSETEX_FNX;
      } else {
        call.reply().error("ERR unknown argument: " + call.argString(i));
        return;
      }
    }
    // Every argument was an option and FIELDS never came (Redis asserts here).
    call.reply().error(Errors.arity(call.spec()));
  }

  private static void set(Call call, int flags, long atMs, int from) {
    int st =
        call.db()
            .hsetEx(
                call.buf(),
                call.offset(1),
                call.length(1),
                flags,
                atMs,
                call.args(),
                from,
                call.argc());
    if (st < 0) {
      call.storeError(st);
    } else {
      call.reply().integer(st);
    }
  }
}
