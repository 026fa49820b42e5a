package io.roost.server.command.keys;

import io.roost.protocol.RespNumberException;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.cluster.ClusterKeyspace;
import io.roost.store.Status;
import io.roost.store.ValueType;
import java.nio.charset.StandardCharsets;

/**
 * Generic key commands: DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX, COPY, MOVE, RANDOMKEY.
 * Stateless; every handler runs on the connection's event loop and calls one store operation.
 */
public final class KeyCommands {
  private KeyCommands() {}

  static final byte[] REPLACE = ascii("REPLACE");
  static final byte[] DB = ascii("DB");

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code DEL key [key ...]}: keys removed. */
  public static void del(Call call) {
    call.reply().integer(call.db().del(call.args(), 1, call.argc()));
  }

  /** {@code UNLINK key [key ...]}: freeing off-heap blocks is cheap, so it is DEL. */
  public static void unlink(Call call) {
    call.reply().integer(call.db().del(call.args(), 1, call.argc()));
  }

  /** {@code EXISTS key [key ...]}: repeated keys count again. */
  public static void exists(Call call) {
    call.reply().integer(call.db().exists(call.args(), 1, call.argc()));
  }

  /** {@code TOUCH key [key ...]}. */
  public static void touch(Call call) {
    call.reply().integer(call.db().touch(call.args(), 1, call.argc()));
  }

  /** {@code TYPE key}: a status reply, {@code none} when missing. */
  public static void type(Call call) {
    ValueType t = call.db().type(call.buf(), call.offset(1), call.length(1));
    call.reply().simple(t.nameBytes());
  }

  /** {@code RENAME key newkey}. */
  public static void rename(Call call) {
    int st = renameOrError(call, false);
    if (st >= 0) {
      call.reply().ok();
    }
  }

  /** {@code RENAMENX key newkey}: 1 renamed, 0 target exists. */
  public static void renameNx(Call call) {
    int st = renameOrError(call, true);
    if (st >= 0) {
      call.reply().integer(st == Status.OK ? 1 : 0);
    }
  }

  private static int renameOrError(Call call, boolean nx) {
    int st =
        call.db()
            .rename(
                call.buf(),
                call.offset(1),
                call.length(1),
                call.buf(),
                call.offset(2),
                call.length(2),
                nx);
    if (st < 0) {
      call.storeError(st);
    }
    return st;
  }

  /**
   * COPY's options after the two keys.
   *
   * @param dstDb the destination database ({@code DB}, else the client's)
   * @param replace whether {@code REPLACE} was given
   * @param error the error reply when the options are invalid, else null
   */
  public record CopyOptions(int dstDb, boolean replace, String error) {}

  /** Parses {@code [DB destination-db] [REPLACE]} from argument 3, as Redis's copyCommand. */
  public static CopyOptions copyOptions(Call call, int clientDb) {
    boolean replace = false;
    int dstDb = clientDb;
    for (int j = 3; j < call.argc(); j++) {
      if (call.argIs(j, REPLACE)) {
        replace = true;
      } else if (j + 1 < call.argc() && call.argIs(j, DB)) {
        String error = intError(call, j + 1);
        if (error != null) {
          return new CopyOptions(dstDb, replace, error);
        }
        long id = call.argLong(j + 1, -1);
        if (id < 0 || id >= call.server().store().databaseCount()) {
          return new CopyOptions(dstDb, replace, Errors.DB_OUT_OF_RANGE);
        }
        dstDb = (int) id;
        j++;
      } else {
        return new CopyOptions(dstDb, replace, Errors.SYNTAX);
      }
    }
    return new CopyOptions(dstDb, replace, null);
  }

  /** {@code COPY source destination [DB destination-db] [REPLACE]}: 1 copied, else 0. */
  public static void copy(Call call) {
    CopyOptions o = copyOptions(call, call.client().db);
    if (o.error() != null) {
      call.reply().error(o.error());
      return;
    }
    boolean replace = o.replace();
    int dstDb = o.dstDb();
    int r =
        call.db()
            .copy(
                call.buf(),
                call.offset(1),
                call.length(1),
                dstDb,
                call.buf(),
                call.offset(2),
                call.length(2),
                replace);
    if (r < 0) {
      call.storeError(r);
    } else {
      call.reply().integer(r);
    }
  }

  /** {@code MOVE key db}: 1 moved, 0 missing here or present there. */
  public static void move(Call call) {
    long id = argIntOrReply(call, 2);
    if (id == Long.MIN_VALUE) {
      return;
    }
    if (id < 0 || id >= call.server().store().databaseCount()) {
      call.reply().error(Errors.DB_OUT_OF_RANGE);
      return;
    }
    if (id == call.client().db) {
      call.storeError(Status.SAME_OBJECT);
      return;
    }
    int r = call.db().move(call.buf(), call.offset(1), call.length(1), (int) id);
    if (r < 0) {
      call.storeError(r);
    } else {
      call.reply().integer(r);
    }
  }

  /** {@code RANDOMKEY}: a key (of the whole cluster when clustered), or nil when empty. */
  public static void randomKey(Call call) {
    if (ClusterKeyspace.active(call)) {
      ClusterKeyspace.randomKey(call);
      return;
    }
    if (call.db().randomKey(call.bulkSink()) != Status.OK) {
      call.reply().nullBulk();
    }
  }

  /**
   * Argument {@code i} as Redis's {@code getIntFromObjectOrReply}: an int, or writes the error and
   * returns {@link Long#MIN_VALUE}.
   */
  static long argIntOrReply(Call call, int i) {
    String error = intError(call, i);
    if (error != null) {
      call.reply().error(error);
      return Long.MIN_VALUE;
    }
    return call.argLong(i, Long.MIN_VALUE);
  }

  /** The error {@code getIntFromObjectOrReply} gives for argument {@code i}, or null for an int. */
  private static String intError(Call call, int i) {
    long v;
    try {
      v = call.frame().argLong(i);
    } catch (RespNumberException e) {
      return Errors.NOT_INTEGER;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      return "ERR value is out of range, value must between -2147483648 and 2147483647";
    }
    return null;
  }
}
