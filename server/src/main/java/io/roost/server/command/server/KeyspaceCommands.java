package io.roost.server.command.server;

import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.cluster.ClusterKeyspace;
import io.roost.store.Status;

/** Database-wide commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB. */
public final class KeyspaceCommands {
  private KeyspaceCommands() {}

  /** {@code DBSIZE}: on a clustered node, the keys of the whole cluster in this database. */
  public static void dbsize(Call call) {
    if (ClusterKeyspace.active(call)) {
      ClusterKeyspace.dbsize(call);
      return;
    }
    call.reply().integer(call.db().dbSize());
  }

  /** {@code FLUSHDB [ASYNC|SYNC]}: freeing slabs is fast, so both modes flush at once. */
  public static void flushdb(Call call) {
    if (flushMode(call)) {
      call.db().flush();
      call.reply().ok();
    }
  }

  /** {@code FLUSHALL [ASYNC|SYNC]}. */
  public static void flushall(Call call) {
    if (flushMode(call)) {
      call.server().store().flushAll();
      call.reply().ok();
    }
  }

  private static boolean flushMode(Call call) {
    if (call.argc() == 1) {
      return true;
    }
    String mode = call.argString(1);
    if (call.argc() == 2 && (mode.equalsIgnoreCase("async") || mode.equalsIgnoreCase("sync"))) {
      return true;
    }
    call.syntaxError();
    return false;
  }

  /** {@code SWAPDB index1 index2}. */
  public static void swapdb(Call call) {
    long a = call.argLong(1, Long.MIN_VALUE);
    if (a == Long.MIN_VALUE || a != (int) a) {
      call.reply().error("ERR invalid first DB index");
      return;
    }
    long b = call.argLong(2, Long.MIN_VALUE);
    if (b == Long.MIN_VALUE || b != (int) b) {
      call.reply().error("ERR invalid second DB index");
      return;
    }
    if (call.server().store().swapDb((int) a, (int) b) == Status.DB_OUT_OF_RANGE) {
      call.reply().error(Errors.DB_OUT_OF_RANGE);
      return;
    }
    call.reply().ok();
  }
}
