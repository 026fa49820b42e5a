package io.roost.server.command.cluster;

import io.roost.cluster.ClusterNode;
import io.roost.cluster.ClusterView;
import io.roost.cluster.ClusterView.Member;
import io.roost.cluster.SlotHash;
import io.roost.cluster.SlotOwnership;
import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.net.PendingReply;
import io.roost.store.ValueSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * The {@code CLUSTER} family, {@code READONLY}, {@code READWRITE}, {@code ROLE} and {@code WAIT}.
 * Roost's slots have an ordered owner list each (primary first), so every node is a master of the
 * slots it is primary of; the backups of a slot range appear as its replicas in CLUSTER SLOTS and
 * SHARDS.
 */
public final class ClusterCommands {
  private ClusterCommands() {}

  /** The node, or null after replying Redis's standalone error. */
  private static ClusterNode node(Call call) {
    ClusterNode node = call.server().cluster();
    if (node == null) {
      call.reply().error(Errors.CLUSTER_DISABLED);
    }
    return node;
  }

  /** One run of consecutive slots with the same owner list. */
  record Range(int start, int end, List<Member> owners) {}

  static List<Range> ranges(SlotOwnership<Member> own) {
    List<Range> out = new ArrayList<>();
    if (own == null) {
      return out;
    }
    int start = 0;
    for (int slot = 1; slot <= SlotHash.SLOT_COUNT; slot++) {
      if (slot == SlotHash.SLOT_COUNT || !sameOwners(own, slot, start)) {
        List<Member> owners = new ArrayList<>();
        for (int r = 0; r < own.ownersPerSlot(); r++) {
          owners.add(own.owner(start, r));
        }
        out.add(new Range(start, slot - 1, owners));
        start = slot;
      }
    }
    return out;
  }

  private static boolean sameOwners(SlotOwnership<Member> own, int a, int b) {
    for (int r = 0; r < own.ownersPerSlot(); r++) {
      if (own.ownerIndex(a, r) != own.ownerIndex(b, r)) {
        return false;
      }
    }
    return true;
  }

  public static void info(Call call) {
    ClusterNode node = node(call);
    if (node == null) {
      return;
    }
    ClusterView v = node.view();
    int assigned = v.ownership() == null ? 0 : SlotHash.SLOT_COUNT;
    int masters = 0;
    if (v.ownership() != null) {
      for (int c : v.ownership().primaryCounts()) {
        masters += c > 0 ? 1 : 0;
      }
    }
    String text =
        "cluster_state:"
            + v.state()
            + "\r\ncluster_slots_assigned:"
            + assigned
            + "\r\ncluster_slots_ok:"
            + (v.majority() ? assigned : 0)
            + "\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:"
            + (v.majority() ? 0 : assigned)
            + "\r\ncluster_known_nodes:"
            + v.members().size()
            + "\r\ncluster_size:"
            + masters
            + "\r\ncluster_current_epoch:"
            + v.epoch()
            + "\r\ncluster_my_epoch:"
            + v.epoch()
            + "\r\ncluster_stats_messages_sent:"
            + node.stats().batchesSent()
            + "\r\ncluster_stats_messages_received:"
            + node.stats().batchesApplied()
            + "\r\ntotal_cluster_links_buffer_limit_exceeded:0\r\n";
    call.reply().verbatim("txt", text.getBytes(StandardCharsets.UTF_8));
  }

  public static void myId(Call call) {
    ClusterNode node = node(call);
    if (node != null) {
      call.reply().bulk(node.myId());
    }
  }

  /** {@code CLUSTER NODES}: one line per member, each a master of the slots it is primary of. */
  public static void nodes(Call call) {
    ClusterNode node = node(call);
    if (node == null) {
      return;
    }
    ClusterView v = node.view();
    Map<Member, StringBuilder> slots = new LinkedHashMap<>();
    for (Member m : v.members()) {
      slots.put(m, new StringBuilder());
    }
    // Primary runs, merged where consecutive ranges only differ in their backups.
    List<int[]> runs = new ArrayList<>();
    List<Member> runOwner = new ArrayList<>();
    for (Range r : ranges(v.ownership())) {
      Member primary = r.owners().get(0);
      int last = runs.size() - 1;
      if (last >= 0 && runOwner.get(last).equals(primary) && runs.get(last)[1] + 1 == r.start()) {
        runs.get(last)[1] = r.end();
      } else {
        runs.add(new int[] {r.start(), r.end()});
        runOwner.add(primary);
      }
    }
    for (int i = 0; i < runs.size(); i++) {
      StringBuilder sb = slots.get(runOwner.get(i));
      int[] run = runs.get(i);
      if (sb != null) {
        sb.append(' ').append(run[0] == run[1] ? "" + run[0] : run[0] + "-" + run[1]);
      }
    }
    StringBuilder out = new StringBuilder();
    for (Member m : v.members()) {
      String[] hp = hostPort(m.clientEndpoint());
      out.append(m.id())
          .append(' ')
          .append(hp[0])
          .append(':')
          .append(hp[1])
          .append('@')
          .append(Integer.parseInt(hp[1]) + 10000)
          .append(' ')
          .append(m.self() ? "myself,master" : "master")
          .append(" - 0 0 ")
          .append(v.epoch())
          .append(" connected")
          .append(slots.get(m))
          .append('\n');
    }
    call.reply().verbatim("txt", out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code CLUSTER SLOTS}: each slot range with its primary then its backups. */
  public static void slots(Call call) {
    ClusterNode node = node(call);
    if (node == null) {
      return;
    }
    List<Range> ranges = ranges(node.view().ownership());
    RespWriter r = call.reply();
    r.arrayHeader(ranges.size());
    for (Range range : ranges) {
      r.arrayHeader(2 + range.owners().size());
      r.integer(range.start());
      r.integer(range.end());
      for (Member m : range.owners()) {
        String[] hp = hostPort(m.clientEndpoint());
        r.arrayHeader(4);
        r.bulk(hp[0]);
        r.integer(Integer.parseInt(hp[1]));
        r.bulk(m.id());
        r.mapHeader(0);
      }
    }
  }

  /** {@code CLUSTER SHARDS}: one shard per distinct owner list, with all its ranges. */
  public static void shards(Call call) {
    ClusterNode node = node(call);
    if (node == null) {
      return;
    }
    Map<List<Member>, List<Range>> shards = new LinkedHashMap<>();
    for (Range range : ranges(node.view().ownership())) {
      shards.computeIfAbsent(range.owners(), k -> new ArrayList<>()).add(range);
    }
    RespWriter r = call.reply();
    r.arrayHeader(shards.size());
    for (Map.Entry<List<Member>, List<Range>> e : shards.entrySet()) {
      r.mapHeader(2);
      r.bulk("slots");
      r.arrayHeader(e.getValue().size() * 2L);
      for (Range range : e.getValue()) {
        r.integer(range.start());
        r.integer(range.end());
      }
      r.bulk("nodes");
      r.arrayHeader(e.getKey().size());
      boolean primary = true;
      for (Member m : e.getKey()) {
        String[] hp = hostPort(m.clientEndpoint());
        r.mapHeader(7);
        r.bulk("id");
        r.bulk(m.id());
        r.bulk("port");
        r.integer(Integer.parseInt(hp[1]));
        r.bulk("ip");
        r.bulk(hp[0]);
        r.bulk("endpoint");
        r.bulk(hp[0]);
        r.bulk("role");
        r.bulk(primary ? "master" : "replica");
        r.bulk("replication-offset");
        r.integer(0);
        r.bulk("health");
        r.bulk("online");
        primary = false;
      }
    }
  }

  public static void keySlot(Call call) {
    call.reply().integer(SlotHash.slot(call.argBytes(2)));
  }

  public static void countKeysInSlot(Call call) {
    int slot = slotArg(call);
    if (slot >= 0) {
      long[] n = {0};
      call.db().forEachKeyInSlot(slot, (b, o, l) -> n[0]++);
      call.reply().integer(n[0]);
    }
  }

  public static void getKeysInSlot(Call call) {
    int slot = slotArg(call);
    if (slot < 0) {
      return;
    }
    long max = call.argLong(3, -1);
    if (max < 0) {
      call.reply().error("ERR Invalid number of keys");
      return;
    }
    List<byte[]> keys = new ArrayList<>();
    call.db()
        .forEachKeyInSlot(
            slot,
            new ValueSink() {
              @Override
              public void value(DirectBuffer buffer, int offset, int length) {
                if (keys.size() < max) {
                  byte[] k = new byte[length];
                  buffer.getBytes(offset, k);
                  keys.add(k);
                }
              }
            });
    call.reply().arrayHeader(keys.size());
    for (byte[] k : keys) {
      call.reply().bulk(k);
    }
  }

  private static int slotArg(Call call) {
    long slot = call.argLong(2, -1);
    if (slot < 0 || slot >= SlotHash.SLOT_COUNT) {
      call.reply().error("ERR Invalid slot");
      return -1;
    }
    return (int) slot;
  }

  /**
   * {@code READONLY}: in {@code cluster-mode redis} this connection's reads of slots this node is a
   * backup of are answered here instead of with -MOVED, as by a Redis Cluster replica. In {@code
   * cluster-mode roost} every owner answers reads anyway.
   */
  public static void readOnly(Call call) {
    if (node(call) != null) {
      call.client().readOnly = true;
      call.reply().ok();
    }
  }

  /**
   * {@code ASKING}: the next command of this connection may run on a slot this node is importing
   * (the answer to an -ASK redirection).
   */
  public static void asking(Call call) {
    if (node(call) != null) {
      call.client().asking = true;
      call.reply().ok();
    }
  }

  /** {@code READWRITE}: back to reads from primaries only (cluster-mode redis). */
  public static void readWrite(Call call) {
    if (node(call) != null) {
      call.client().readOnly = false;
      call.reply().ok();
    }
  }

  /** {@code ROLE}: every Roost node is a master of the slots it is primary of. */
  public static void role(Call call) {
    call.reply().arrayHeader(3);
    call.reply().bulk("master");
    call.reply().integer(0);
    call.reply().arrayHeader(0);
  }

  /**
   * {@code WAIT numreplicas timeout}: the number of backups that hold every write this node sent so
   * far; a standalone node has none, so it answers 0 once the timeout passes (at once when
   * numreplicas is 0).
   */
  public static void waitReplicas(Call call) {
    long replicas = call.argLongOrReply(1);
    if (replicas == Long.MIN_VALUE) {
      return;
    }
    long timeout = call.argLong(2, Long.MIN_VALUE);
    if (timeout == Long.MIN_VALUE) {
      call.reply().error("ERR timeout is not an integer or out of range");
      return;
    }
    if (timeout < 0) {
      call.reply().error("ERR timeout is negative");
      return;
    }
    ClusterNode node = call.server().cluster();
    if (replicas <= 0 && node == null) {
      call.reply().integer(0);
      return;
    }
    PendingReply p = call.defer();
    if (node != null) {
      node.waitReplicas(
          (int) Math.min(Integer.MAX_VALUE, Math.max(0, replicas)),
          timeout,
          n -> p.complete((":" + n + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    } else if (timeout > 0) {
      call.client()
          .channel()
          .eventLoop()
          .schedule(
              () -> p.complete(":0\r\n".getBytes(StandardCharsets.US_ASCII)),
              timeout,
              java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /**
   * {@code host:port} split in two; a member whose endpoint is not known yet (its introduction has
   * not arrived since the last view change) reads as Redis shows a node without address: {@code ""}
   * and port 0.
   */
  static String[] hostPort(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0 || colon == endpoint.length() - 1) {
      return new String[] {"", "0"};
    }
    return new String[] {endpoint.substring(0, colon), endpoint.substring(colon + 1)};
  }
}
