package io.roost.server.net;

import io.roost.cluster.ClusterNode;
import io.roost.cluster.SlotHash;
import io.roost.protocol.CommandFrame;
import io.roost.server.Server;
import io.roost.server.command.Call;
import io.roost.server.command.CommandSpec;
import io.roost.server.command.Flag;
import io.roost.server.command.keys.KeyCommands;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Where a keyed command runs on a clustered node: here when this node is the primary of the keys'
 * slot, or for a read when this node serves reads of the slot ({@link ClusterNode#servesReads}: an
 * owner with a complete copy); else on the primary (forwarded, or answered with -MOVED in {@code
 * cluster-mode redis}, where only a connection that sent READONLY is answered by a backup, as by a
 * Redis Cluster replica). While a slot is handed off, its old primary answers -ASK with the new one
 * in {@code cluster-mode redis}, and the new primary takes a command sent after ASKING as a
 * forward: it runs once the HANDOFF lands here (or on whichever node is then the primary). Commands
 * whose keys span slots are split into one command per key for the families clients expect to work
 * anywhere (MGET, MSET, DEL, UNLINK, EXISTS, TOUCH), and RENAME, RENAMENX and COPY move a record
 * between the primaries ({@link CrossSlotTransfer}); in {@code cluster-mode redis} they get
 * -CROSSSLOT, as MSETNX always does (all-or-nothing across slots is not offered). Owned by one
 * connection's event loop.
 */
final class ClusterRouter {
  /** The routing decision; {@code error} set means reply with it. */
  record Decision(boolean local, int slot, String error, boolean split) {}

  static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
  static final String CLUSTERDOWN = "CLUSTERDOWN The cluster is down";
  private static final Set<String> SPLITTABLE =
      Set.of("mget", "mset", "del", "unlink", "exists", "touch");

  /** Two-key commands that move or copy one record between slots ({@link CrossSlotTransfer}). */
  private static final Set<String> TRANSFERS = Set.of("rename", "renamenx", "copy");

  private final Server server;
  private final Client client;
  private final ClusterNode cluster;
  private final boolean redisMode;
  private final boolean sync;

  ClusterRouter(Server server, Client client) {
    this.server = server;
    this.client = client;
    this.cluster = server.cluster();
    this.redisMode = server.settings().clusterMode.equals("redis");
    this.sync = server.settings().replication.equals("sync");
  }

  ClusterNode cluster() {
    return cluster;
  }

  boolean sync() {
    return sync;
  }

  /**
   * Decides for the command {@code call} is bound to; computes slots without copying keys. {@code
   * asking}: the client sent ASKING before it.
   */
  Decision decide(Call call, CommandSpec spec, boolean asking) {
    int argc = call.argc();
    int last = spec.lastKey() < 0 ? argc + spec.lastKey() : Math.min(spec.lastKey(), argc - 1);
    int step = Math.max(1, spec.keyStep());
    int slot = -1;
    boolean cross = false;
    for (int i = spec.firstKey(); i <= last; i += step) {
      int s = SlotHash.slot(call.buf(), call.offset(i), call.length(i));
      if (slot < 0) {
        slot = s;
      } else if (s != slot) {
        cross = true;
      }
    }
    if (spec.has(Flag.PUBSUB)) {
      return shardPubSub(slot, cross);
    }
    boolean write = spec.has(Flag.WRITE);
    if (write && !cluster.writable()) {
      return new Decision(false, slot, CLUSTERDOWN, false);
    }
    if (cross) {
      String name = spec.name();
      boolean anywhere = !redisMode && !client.internal();
      if (anywhere && SPLITTABLE.contains(name)) {
        return new Decision(false, slot, null, true);
      }
      if (anywhere && TRANSFERS.contains(name)) {
        // COPY's options are checked before any node is asked, as the single-node COPY does.
        String error =
            name.equals("copy") ? KeyCommands.copyOptions(call, client.db).error() : null;
        return new Decision(false, slot, error, true);
      }
      return new Decision(false, slot, CROSSSLOT, false);
    }
    if (cluster.isPrimary(slot)) {
      return new Decision(true, slot, null, false);
    }
    if (!write
        && cluster.servesReads(slot)
        && (!redisMode || client.readOnly || client.internal())) {
      return new Decision(true, slot, null, false);
    }
    if (client.internal()) {
      return new Decision(false, slot, "TRYAGAIN Slot " + slot + " moved, retry", false);
    }
    if (redisMode) {
      if (asking && cluster.importing(slot)) {
        return new Decision(false, slot, null, false);
      }
      return redirect(cluster.migrating(slot) ? "ASK" : "MOVED", slot);
    }
    return new Decision(false, slot, null, false);
  }

  /**
   * SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH: their "keys" are shard channels. They run here, since every
   * node delivers every shard message to its own subscribers; in {@code cluster-mode redis} an
   * owner of the channel's slot must be asked (-MOVED otherwise, -CROSSSLOT for channels of several
   * slots), as in Redis Cluster, where replicas serve them too.
   */
  private Decision shardPubSub(int slot, boolean cross) {
    if (!redisMode || client.internal() || slot < 0) {
      return new Decision(true, slot, null, false);
    }
    if (cross) {
      return new Decision(false, slot, CROSSSLOT, false);
    }
    if (cluster.isOwner(slot)) {
      return new Decision(true, slot, null, false);
    }
    return redirect("MOVED", slot);
  }

  /** {@code -MOVED} or {@code -ASK} to the slot's primary (as this node's lists name it). */
  private Decision redirect(String kind, int slot) {
    return new Decision(
        false, slot, kind + " " + slot + " " + cluster.primaryEndpoint(slot), false);
  }

  /**
   * Sends the command (or its per-key parts, or its record transfer) to the primaries; {@code
   * reply} gets the answer. {@code call} is bound to the command.
   */
  void forward(Call call, CommandSpec spec, Decision d, PendingReply reply) {
    CommandFrame frame = call.frame();
    if (!d.split()) {
      byte[][] argv = new byte[frame.argc()][];
      for (int i = 0; i < argv.length; i++) {
        argv[i] = frame.argBytes(i);
      }
      cluster.forward(
          d.slot(), client.db, client.protocol, argv, !spec.has(Flag.WRITE), reply::complete);
      return;
    }
    String name = spec.name();
    if (TRANSFERS.contains(name)) {
      CrossSlotTransfer.start(cluster, call, client.db, reply);
      return;
    }
    boolean pairs = name.equals("mset");
    boolean read = !spec.has(Flag.WRITE);
    int parts = pairs ? (frame.argc() - 1) / 2 : frame.argc() - 1;
    FanOut fan = new FanOut(name, parts, client.protocol, reply);
    byte[] sub =
        (name.equals("mget") ? "GET" : pairs ? "SET" : name.toUpperCase(java.util.Locale.ROOT))
            .getBytes(StandardCharsets.US_ASCII);
    for (int p = 0; p < parts; p++) {
      int at = pairs ? 1 + 2 * p : 1 + p;
      byte[][] argv =
          pairs
              ? new byte[][] {sub, frame.argBytes(at), frame.argBytes(at + 1)}
              : new byte[][] {sub, frame.argBytes(at)};
      int slot = SlotHash.slot(argv[1]);
      int index = p;
      if (cluster.isPrimary(slot) || (read && cluster.servesReads(slot))) {
        server.executor().execute(client.db, client.protocol, argv, r -> fan.part(index, r));
      } else {
        cluster.forward(slot, client.db, client.protocol, argv, read, r -> fan.part(index, r));
      }
    }
  }
}
