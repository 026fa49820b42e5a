package io.roost.server.net;

import io.roost.cluster.ClusterNode;
import io.roost.cluster.SlotHash;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.cluster.InternalCommands;
import io.roost.server.command.cluster.ReplyReader;
import io.roost.server.command.keys.KeyCommands;
import io.roost.store.Database;
import java.nio.charset.StandardCharsets;

/**
 * One RENAME, RENAMENX or COPY whose two keys hash to different slots ({@code cluster-mode roost}),
 * owned by the thread that delivers the reply of its current step (one step runs at a time, and
 * each step's reply starts the next). The source's record is read at its slot's primary ({@code
 * ROOST.DUMP}: value, type, encoding, absolute expiry), created at the destination's primary
 * ({@code ROOST.RESTORE}, refused when the key exists unless RENAME or COPY REPLACE; replicated to
 * the destination's backups), and for a rename the source is then deleted at its primary, only
 * while it still holds the record that was read ({@code ROOST.DELIFSAME}). Replies and errors are
 * Redis's: {@code ERR no such key} for a missing RENAME source, 0 for COPY of a missing key or onto
 * an existing one and for RENAMENX onto an existing one.
 *
 * <p>Not atomic across slots, unlike Redis on one node: between the steps another client may see
 * both keys (never neither), and a write to the source after it was read is kept there rather than
 * lost (the source is then not deleted, and the destination holds the value that was read). If a
 * step fails (the cluster changed, a node left) the client gets that step's error and the steps
 * already done stay done.
 */
final class CrossSlotTransfer {
  private static final byte[] NO_SUCH_KEY =
      ("-" + Errors.NO_SUCH_KEY + "\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ClusterNode cluster;
  private final boolean rename;
  private final boolean nx;
  private final boolean replace;
  private final int db;
  private final int dstDb;
  private final byte[] src;
  private final byte[] dst;
  private final PendingReply reply;
  private byte[] record;

  private CrossSlotTransfer(
      ClusterNode cluster,
      boolean rename,
      boolean nx,
      boolean replace,
      int db,
      int dstDb,
      byte[] src,
      byte[] dst,
      PendingReply reply) {
    this.cluster = cluster;
    this.rename = rename;
    this.nx = nx;
    this.replace = replace;
    this.db = db;
    this.dstDb = dstDb;
    this.src = src;
    this.dst = dst;
    this.reply = reply;
  }

  /** Starts the command {@code call} is bound to (its options already checked). */
  static void start(ClusterNode cluster, Call call, int db, PendingReply reply) {
    String name = call.spec().name();
    boolean rename = !name.equals("copy");
    boolean nx = name.equals("renamenx");
    int dstDb = db;
    boolean replace = name.equals("rename");
    if (!rename) {
      KeyCommands.CopyOptions o = KeyCommands.copyOptions(call, db);
      dstDb = o.dstDb();
      replace = o.replace();
    }
    new CrossSlotTransfer(
            cluster, rename, nx, replace, db, dstDb, call.argBytes(1), call.argBytes(2), reply)
        .dump();
  }

  private void dump() {
    cluster.forward(
        SlotHash.slot(src), db, 2, new byte[][] {InternalCommands.DUMP, src}, this::onDump);
  }

  private void onDump(byte[] r) {
    if (ReplyReader.isError(r)) {
      reply.complete(r);
      return;
    }
    try {
      record = new ReplyReader(r).bulk();
    } catch (IllegalStateException e) {
      reply.complete(("-ERR " + e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (record == null) {
      reply.complete(rename ? NO_SUCH_KEY : ZERO);
      return;
    }
    int flags = (replace ? Database.RESTORE_REPLACE : 0) | (rename ? Database.RESTORE_RENAMED : 0);
    byte[][] argv = {
      InternalCommands.RESTORE,
      dst,
      record,
      Integer.toString(flags).getBytes(StandardCharsets.US_ASCII)
    };
    cluster.forward(SlotHash.slot(dst), dstDb, 2, argv, this::onRestore);
  }

  private void onRestore(byte[] r) {
    if (ReplyReader.isError(r)) {
      reply.complete(r);
    } else if (r.length > 1 && r[1] == '0') {
      reply.complete(ZERO);
    } else if (!rename) {
      reply.complete(ONE);
    } else {
      cluster.forward(
          SlotHash.slot(src),
          db,
          2,
          new byte[][] {InternalCommands.DELIFSAME, src, record},
          this::onDelete);
    }
  }

  private void onDelete(byte[] r) {
    if (ReplyReader.isError(r)) {
      reply.complete(r);
    } else {
      reply.complete(nx ? ONE : OK);
    }
  }
}
