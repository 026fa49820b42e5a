package io.roost.server.command.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import io.roost.cluster.ClusterNode;
import io.roost.cluster.ClusterView;
import io.roost.cluster.ClusterView.Member;
import io.roost.cluster.SlotHash;
import io.roost.cluster.SlotOwnership;
import io.roost.cluster.SlotSet;
import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import io.roost.server.command.Call;
import io.roost.server.command.server.Info;
import io.roost.server.net.PendingReply;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * DBSIZE, KEYS, SCAN, RANDOMKEY and INFO keyspace over the whole cluster, for the clients of a
 * clustered node in {@code cluster-mode roost} (in {@code cluster-mode redis}, and for the internal
 * client, they answer for this node's store, as a Redis Cluster node does). Each asks every node
 * for its part with an internal command ({@link InternalCommands}) and joins the parts. Stateless;
 * a handler starts on the connection's event loop, parts complete on any thread, and the last one
 * builds the reply (in the client's protocol) and completes the command's {@link PendingReply}.
 *
 * <p>Implementation notes.
 *
 * <ul>
 *   <li><b>Parts.</b> The 16384 slots are partitioned so that every key is counted once: a slot
 *       goes to this node when it serves reads of it ({@link ClusterNode#servesReads}), else to the
 *       slot's primary. A member's part carries its slot set and is forwarded to one slot of the
 *       set ({@link ClusterNode#forward}), so it reaches that member, or runs here through the
 *       internal client. The node that runs it answers only when it serves reads of every slot of
 *       the set; otherwise (the view changed meanwhile), or on any error, the whole request is
 *       partitioned again from the current view and asked again every {@value #RETRY_DELAY_MS} ms,
 *       for at most {@value #RETRY_DEADLINE_MS} ms, after which the client gets the error.
 *   <li><b>SCAN.</b> The cursor is 64 bits: {@code stamp:12 | member rank:8 | member's cursor:44}.
 *       Members are walked in view order; member {@code r} scans its own store (its own cursor
 *       keeps Redis's guarantee there, also while tables grow) keeping the keys of the slots it is
 *       primary of. The partition is by primary only, so any node can continue a cursor another
 *       node gave. The stamp is a hash of the members and of every slot's primary: when it is not
 *       the current one the scan starts again at member 0, so a key present during the whole scan
 *       is returned at least once (perhaps twice) even across view changes. A step whose part fails
 *       returns the same cursor and no keys after {@value #RETRY_DELAY_MS} ms.
 *   <li>DBSIZE and INFO keyspace read per-slot counters ({@code Database.countInSlots}); KEYS and
 *       RANDOMKEY visit the records as they do on one node. INFO's other sections describe this
 *       node; avg_ttl stays 0 as on one node.
 * </ul>
 */
public final class ClusterKeyspace {
  private ClusterKeyspace() {}

  static final long RETRY_DELAY_MS = 50;
  static final long RETRY_DEADLINE_MS = 5_000;

  /** Bits of a SCAN cursor that hold the member's own cursor. */
  static final int LOCAL_CURSOR_BITS = 44;

  static final long LOCAL_CURSOR_MASK = (1L << LOCAL_CURSOR_BITS) - 1;

  /** Bits of a SCAN cursor that hold the member's rank in the view. */
  static final int RANK_BITS = 8;

  static final int STAMP_SHIFT = LOCAL_CURSOR_BITS + RANK_BITS;

  private static final byte[] CLUSTERDOWN =
      "-CLUSTERDOWN The cluster is down\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Whether the keyspace commands of this call cover the whole cluster. */
  public static boolean active(Call call) {
    Server server = call.server();
    return server.cluster() != null
        && !call.client().internal()
        && !"redis".equals(server.settings().clusterMode);
  }

  /** {@code DBSIZE}: the keys of the selected database in every slot. */
  public static void dbsize(Call call) {
    int db = call.client().db;
    int protocol = call.client().protocol;
    gather(
        call,
        slots -> new byte[][] {InternalCommands.KEYCOUNT, SlotSet.encode(slots)},
        parts -> encode(protocol, w -> w.integer(counts(parts)[0][db])));
  }

  /** INFO with a whole-cluster Keyspace section appended to {@code head} (the other sections). */
  public static void info(Call call, String head) {
    int protocol = call.client().protocol;
    gather(
        call,
        slots -> new byte[][] {InternalCommands.KEYCOUNT, SlotSet.encode(slots)},
        parts -> {
          long[][] counts = counts(parts);
          StringBuilder sb = new StringBuilder(head);
          if (sb.length() > 0) {
            sb.append("\r\n");
          }
          Info.keyspace(counts[0], counts[1], sb);
          byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
          return encode(protocol, w -> w.verbatim("txt", text));
        });
  }

  /** {@code KEYS pattern}: the union of every member's keys in its slots. */
  public static void keys(Call call) {
    byte[] pattern = call.argBytes(1);
    int protocol = call.client().protocol;
    gather(
        call,
        slots -> new byte[][] {InternalCommands.KEYS, SlotSet.encode(slots), pattern},
        parts -> {
          long total = 0;
          int[] from = new int[parts.length];
          for (int i = 0; i < parts.length; i++) {
            ReplyReader r = new ReplyReader(parts[i]);
            total += r.arrayHeader();
            from[i] = r.position();
          }
          long n = total;
          return encode(
              protocol,
              w -> {
                w.arrayHeader(n);
                for (int i = 0; i < parts.length; i++) {
                  w.target().writeBytes(parts[i], from[i], parts[i].length - from[i]);
                }
              });
        });
  }

  /** {@code RANDOMKEY}: a member's random key, members weighted by their key counts. */
  public static void randomKey(Call call) {
    int protocol = call.client().protocol;
    gather(
        call,
        slots -> new byte[][] {InternalCommands.RANDOMKEY, SlotSet.encode(slots)},
        parts -> {
          long[] weights = new long[parts.length];
          byte[][] keys = new byte[parts.length][];
          long total = 0;
          for (int i = 0; i < parts.length; i++) {
            ReplyReader r = new ReplyReader(parts[i]);
            r.arrayHeader();
            long count = r.integer();
            keys[i] = r.bulk();
            weights[i] = keys[i] == null ? 0 : Math.max(1, count);
            total += weights[i];
          }
          byte[] chosen = null;
          if (total > 0) {
            long pick = ThreadLocalRandom.current().nextLong(total);
            for (int i = 0; i < parts.length && chosen == null; i++) {
              pick -= weights[i];
              chosen = pick < 0 ? keys[i] : null;
            }
          }
          byte[] key = chosen;
          return encode(
              protocol,
              w -> {
                if (key == null) {
                  w.nullBulk();
                } else {
                  w.bulk(key);
                }
              });
        });
  }

  /**
   * {@code SCAN cursor [options]} (options already checked): one step of the member the cursor
   * points at.
   */
  public static void scan(Call call, long cursor) {
    Server server = call.server();
    int protocol = call.client().protocol;
    int db = call.client().db;
    EventExecutor loop = call.client().channel().eventLoop();
    PendingReply reply = call.defer();
    Partition p = partition(server.cluster(), false);
    if (p == null) {
      reply.complete(CLUSTERDOWN);
      return;
    }
    int stamp = stamp(p.view());
    int rank = 0;
    long local = 0;
    if (cursor != 0 && (cursor >>> STAMP_SHIFT) == stamp) {
      rank = (int) ((cursor >>> LOCAL_CURSOR_BITS) & ((1 << RANK_BITS) - 1));
      local = cursor & LOCAL_CURSOR_MASK;
    }
    int member = next(p, rank);
    if (member >= p.slots().length) {
      reply.complete(encode(protocol, w -> scanReply(w, 0, 0, null, 0)));
      return;
    }
    if (member != rank) {
      local = 0;
    }
    byte[][] argv = new byte[4 + call.argc() - 2][];
    argv[0] = InternalCommands.SCAN;
    argv[1] = SlotSet.encode(p.slots()[member]);
    argv[2] = p.view().ownership().members().get(member).id().getBytes(StandardCharsets.US_ASCII);
    argv[3] = Long.toUnsignedString(local).getBytes(StandardCharsets.US_ASCII);
    for (int i = 2; i < call.argc(); i++) {
      argv[2 + i] = call.argBytes(i);
    }
    long current = cursor(stamp, member, local);
    send(
        server,
        p,
        member,
        db,
        argv,
        part -> {
          if (ReplyReader.isError(part)) {
            loop.schedule(
                () -> reply.complete(encode(protocol, w -> scanReply(w, current, 0, null, 0))),
                RETRY_DELAY_MS,
                TimeUnit.MILLISECONDS);
            return;
          }
          byte[] out;
          try {
            ReplyReader r = new ReplyReader(part);
            r.arrayHeader();
            long next = r.unsignedBulk();
            long count = r.arrayHeader();
            int from = r.position();
            long following;
            if (next == 0) {
              int after = next(p, member + 1);
              following = after >= p.slots().length ? 0 : cursor(stamp, after, 0);
            } else if ((next & ~LOCAL_CURSOR_MASK) != 0) {
              throw new IllegalStateException("member cursor=" + Long.toUnsignedString(next));
            } else {
              following = cursor(stamp, member, next);
            }
            out = encode(protocol, w -> scanReply(w, following, count, part, from));
          } catch (RuntimeException e) {
            out = encode(protocol, w -> w.error("ERR cluster scan: " + e.getMessage()));
          }
          reply.complete(out);
        });
  }

  private static void scanReply(RespWriter w, long cursor, long count, byte[] part, int from) {
    w.arrayHeader(2);
    w.bulk(Long.toUnsignedString(cursor));
    w.arrayHeader(count);
    if (part != null) {
      w.target().writeBytes(part, from, part.length - from);
    }
  }

  static long cursor(int stamp, int rank, long local) {
    return ((long) stamp << STAMP_SHIFT) | ((long) rank << LOCAL_CURSOR_BITS) | local;
  }

  /** The first member at or after {@code rank} with slots in the partition. */
  private static int next(Partition p, int rank) {
    int r = rank;
    while (r < p.slots().length && p.slots()[r] == null) {
      r++;
    }
    return r;
  }

  /**
   * A 12-bit hash (never 0) of the members, in order, and of every slot's primary: SCAN cursors are
   * only continued under the same stamp.
   */
  static int stamp(ClusterView view) {
    SlotOwnership<Member> own = view.ownership();
    long h = 0xcbf29ce484222325L;
    for (Member m : own.members()) {
      String id = m.id();
      for (int i = 0; i < id.length(); i++) {
        h = (h ^ id.charAt(i)) * 0x100000001b3L;
      }
    }
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      h = (h ^ own.primaryIndex(slot)) * 0x100000001b3L;
    }
    h ^= h >>> 32;
    h ^= h >>> 16;
    int s = (int) (h & ((1 << (64 - STAMP_SHIFT)) - 1));
    return s == 0 ? 1 : s;
  }

  /** Slot sets per member index of {@code view}'s ownership, null where a member gets none. */
  record Partition(ClusterView view, long[][] slots, int self) {}

  /**
   * Partitions the slots: each to this node when {@code preferSelf} and it serves reads of it, else
   * to its primary; null before the first assignment.
   */
  static Partition partition(ClusterNode cluster, boolean preferSelf) {
    ClusterView view = cluster.view();
    SlotOwnership<Member> own = view.ownership();
    if (own == null) {
      return null;
    }
    int self = own.indexOf(view.self());
    long[][] sets = new long[own.memberCount()][];
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      int m = preferSelf && self >= 0 && cluster.servesReads(slot) ? self : own.primaryIndex(slot);
      if (sets[m] == null) {
        sets[m] = SlotSet.empty();
      }
      SlotSet.add(sets[m], slot);
    }
    return new Partition(view, sets, self);
  }

  /** Runs a part on {@code member}: here through the internal client, else forwarded. */
  private static void send(
      Server server, Partition p, int member, int db, byte[][] argv, Consumer<byte[]> reply) {
    if (member == p.self()) {
      server.executor().execute(db, 2, argv, reply);
    } else {
      server.cluster().forward(SlotSet.first(p.slots()[member]), db, 2, argv, reply);
    }
  }

  /** Keys [0] and keys with a TTL [1] per database, summed over ROOST.KEYCOUNT parts. */
  private static long[][] counts(byte[][] parts) {
    long[][] sum = null;
    for (byte[] part : parts) {
      ReplyReader r = new ReplyReader(part);
      int dbs = (int) (r.arrayHeader() / 2);
      if (sum == null) {
        sum = new long[2][dbs];
      }
      for (int db = 0; db < dbs; db++) {
        sum[0][db] += r.integer();
        sum[1][db] += r.integer();
      }
    }
    return sum;
  }

  /** Asks every member of a fresh partition for its part and completes the reply with the join. */
  private static void gather(
      Call call, Function<long[], byte[][]> command, Function<byte[][], byte[]> join) {
    Gather g =
        new Gather(
            call.server(),
            call.client().db,
            command,
            join,
            call.defer(),
            call.client().channel().eventLoop(),
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_DEADLINE_MS));
    g.start();
  }

  /**
   * One whole-cluster request. Immutable; each round of parts has its own arrays, and the part that
   * completes a round (any thread) joins it.
   */
  private record Gather(
      Server server,
      int db,
      Function<long[], byte[][]> command,
      Function<byte[][], byte[]> join,
      PendingReply reply,
      EventExecutor loop,
      long deadlineNs) {

    void start() {
      Partition p = partition(server.cluster(), true);
      if (p == null) {
        retry(CLUSTERDOWN);
        return;
      }
      int n = 0;
      for (long[] set : p.slots()) {
        n += set == null ? 0 : 1;
      }
      byte[][] parts = new byte[n][];
      AtomicInteger missing = new AtomicInteger(n);
      int index = 0;
      for (int m = 0; m < p.slots().length; m++) {
        if (p.slots()[m] == null) {
          continue;
        }
        int i = index++;
        send(
            server,
            p,
            m,
            db,
            command.apply(p.slots()[m]),
            part -> {
              parts[i] = part;
              if (missing.decrementAndGet() == 0) {
                finish(parts);
              }
            });
      }
    }

    private void finish(byte[][] parts) {
      for (byte[] part : parts) {
        if (ReplyReader.isError(part)) {
          retry(part);
          return;
        }
      }
      byte[] out;
      try {
        out = join.apply(parts);
      } catch (RuntimeException e) {
        out =
            ("-ERR cluster keyspace: " + e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
      }
      reply.complete(out);
    }

    private void retry(byte[] error) {
      if (System.nanoTime() - deadlineNs < 0) {
        loop.schedule(this::start, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
      } else {
        reply.complete(error);
      }
    }
  }

  /** A reply built off the connection's buffers, in {@code protocol}. */
  static byte[] encode(int protocol, Consumer<RespWriter> body) {
    ByteBuf buf = Unpooled.buffer(64);
    try {
      RespWriter w = new RespWriter();
      w.protocol(protocol);
      w.target(buf);
      body.accept(w);
      byte[] out = new byte[buf.readableBytes()];
      buf.readBytes(out);
      return out;
    } finally {
      buf.release();
    }
  }
}
