package io.roost.cluster;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.roost.store.Args;
import io.roost.store.Database;
import io.roost.store.Status;
import io.roost.store.Store;
import io.roost.store.StoreContext;
import io.roost.store.ValueSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jgroups.util.UUID;

/**
 * Several {@link ClusterNode}s in one JVM, each with its own small {@link Store}, over the
 * SHARED_LOOPBACK {@link TestStacks}, and a tiny command executor (SET/GET/HSET/DEL) that stands in
 * for the server: writes run inside begin/endCommand and reply via whenReplicated. Owned by the
 * test thread; the executor runs on JGroups threads.
 */
final class TestCluster implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final byte[] OK = "+OK\r\n".getBytes(ISO_8859_1);

  final String clusterName;
  final String tag;
  final List<Node> nodes = new ArrayList<>();
  private final int owners;
  private final ClusterContext.Replication replication;

  TestCluster(String name, int owners, ClusterContext.Replication replication) {
    this.clusterName = "roost-it-" + name + "-" + System.nanoTime();
    this.tag = name;
    this.owners = owners;
    this.replication = replication;
  }

  /** Starts {@code count} nodes one after the other and waits until all see one view. */
  TestCluster start(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      add();
    }
    awaitSettled();
    return this;
  }

  /** Starts one more node. */
  Node add() throws Exception {
    final Node node = new Node(this, "n" + nodes.size(), 7000 + nodes.size());
    nodes.add(node);
    node.cluster.start(node.store);
    return node;
  }

  ClusterContext context() {
    return new ClusterContext()
        .clusterName(clusterName)
        .owners(owners)
        .replication(replication)
        .requireMajority(true)
        .conclude();
  }

  /** Live nodes (not killed). */
  List<Node> live() {
    return nodes.stream().filter(n -> !n.killed).toList();
  }

  /**
   * Waits until every live node has a confirmed assignment over exactly the live nodes, and no slot
   * is moving (every node's owner lists are the target's).
   */
  void awaitSettled() throws InterruptedException {
    final List<Node> live = live();
    await(
        () ->
            live.stream()
                .allMatch(
                    n -> {
                      final ClusterView v = n.cluster.view();
                      return v.confirmed()
                          && !n.cluster.stats().rebalancing()
                          && v.members().size() == live.size()
                          && v.ownership() != null
                          && v.members().stream()
                              .allMatch(m -> live.stream().anyMatch(o -> o.id().equals(m.id())));
                    }),
        "settled on " + live.size() + " members");
  }

  /** Waits until no node has unacknowledged effects or pending tickets. */
  void awaitQuiet() throws InterruptedException {
    await(
        () ->
            live().stream()
                .allMatch(
                    n ->
                        n.cluster.stats().maxLagEffects() == 0
                            && n.cluster.stats().pendingTickets() == 0
                            && !n.cluster.stats().rebalancing()),
        "replication quiet");
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    await(DEADLINE, condition, what);
  }

  static void await(java.time.Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not reached within " + timeout + ": " + what);
      }
      // Polls a condition with a deadline (real time is unavoidable across JGroups threads).
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** The node whose member id is {@code id}. */
  Node byId(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  /** One member: its store, cluster node and executor. */
  static final class Node implements AutoCloseable {
    final String name;
    final ClusterNode cluster;
    final Store store;
    boolean killed;

    Node(TestCluster owner, String name, int port) {
      this(
          name,
          owner.context(),
          "127.0.0.1:" + port,
          () -> TestStacks.channel(owner.tag + "-" + name));
    }

    /** A node over any channel (for example the production TCP stack); not started. */
    Node(
        String name,
        ClusterContext context,
        String clientEndpoint,
        ClusterNode.ChannelFactory channelFactory) {
      this.name = name;
      final Executor executor = new Executor();
      this.cluster = new ClusterNode(context, clientEndpoint, executor, channelFactory);
      this.store =
          new Store(
              new StoreContext()
                  .databases(2)
                  .shardsPerDatabase(4)
                  .maxMemoryBytes(64L << 20)
                  .effectSink(cluster.effectSink()));
      executor.node = this;
    }

    String id() {
      return cluster.myId();
    }

    /** Sends a command through this node (executed here when primary, else forwarded). */
    CompletableFuture<byte[]> call(String... argv) {
      final byte[][] args = new byte[argv.length][];
      for (int i = 0; i < argv.length; i++) {
        args[i] = argv[i].getBytes(ISO_8859_1);
      }
      final CompletableFuture<byte[]> future = new CompletableFuture<>();
      cluster.forward(SlotHash.slot(args[1]), 0, 2, args, future::complete);
      return future;
    }

    /** The string value of {@code key} in this node's store, or null. */
    String get(String key) {
      final UnsafeBuffer k = new UnsafeBuffer(key.getBytes(ISO_8859_1));
      final String[] out = new String[1];
      store.database(0).get(k, 0, k.capacity(), (b, o, l) -> out[0] = str(b, o, l));
      return out[0];
    }

    /** Every key of database 0 with its {@link #value}. */
    Map<String, String> contents() {
      final List<String> keys = new ArrayList<>();
      final UnsafeBuffer star = new UnsafeBuffer("*".getBytes(ISO_8859_1));
      store.database(0).keys(star, 0, 1, (b, o, l) -> keys.add(str(b, o, l)));
      final Map<String, String> contents = new HashMap<>();
      for (String key : keys) {
        final String value = value(key);
        if (value != null) {
          contents.put(key, value);
        }
      }
      return contents;
    }

    /** A string's value, a hash as {@code hash[f=v, ...]} (fields sorted), or null. */
    String value(String key) {
      final UnsafeBuffer k = new UnsafeBuffer(key.getBytes(ISO_8859_1));
      final List<String> values = new ArrayList<>();
      final ValueSink sink = (b, o, l) -> values.add(str(b, o, l));
      if (store.database(0).get(k, 0, k.capacity(), sink) == Status.WRONGTYPE) {
        store.database(0).hgetAll(k, 0, k.capacity(), Database.HASH_BOTH, sink);
        final List<String> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < values.size(); i += 2) {
          pairs.add(values.get(i) + "=" + values.get(i + 1));
        }
        pairs.sort(null);
        return "hash" + pairs;
      }
      return values.isEmpty() ? null : values.get(0);
    }

    /** The live node at {@code address}, or null. */
    Node at(TestCluster cluster, org.jgroups.Address address) {
      for (Node node : cluster.live()) {
        if (address.equals(node.cluster.address())) {
          return node;
        }
      }
      return null;
    }

    /** Graceful leave: hands this node's slots off, then leaves the cluster. */
    boolean leave() {
      final boolean handedOff = cluster.handOffAndLeave(20_000);
      killed = true;
      close();
      return handedOff;
    }

    /** Crash: drop all traffic, then close without a goodbye that anyone hears. */
    void kill() {
      killed = true;
      TestStacks.discard(cluster.channel()).discardAll(true);
      close();
    }

    @Override
    public void close() {
      cluster.close();
      store.close();
    }

    @Override
    public String toString() {
      return name + "/" + (cluster.address() == null ? "?" : ((UUID) cluster.address()).toString());
    }
  }

  static String str(DirectBuffer b, int o, int l) {
    final byte[] bytes = new byte[l];
    b.getBytes(o, bytes);
    return new String(bytes, ISO_8859_1);
  }

  /** Runs SET/GET/HSET/DEL against the local store as the server would. */
  static final class Executor implements CommandExecutor {
    Node node;

    @Override
    public void execute(int db, int protocol, byte[][] argv, Consumer<byte[]> reply) {
      final String name = new String(argv[0], ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
      final ClusterNode cluster = node.cluster;
      final Database database = node.store.database(db);
      final UnsafeBuffer key = new UnsafeBuffer(argv[1]);
      final boolean write = !name.equals("GET");
      if (write) {
        cluster.beginCommand(); // before deciding, as the server's dispatcher does
      }
      if (!cluster.isPrimary(SlotHash.slot(argv[1]))) {
        if (write) {
          cluster.endCommand();
        }
        // The server's answer to a forwarded command whose slot moved: the forwarder retries.
        reply.accept(
            ("-TRYAGAIN Slot " + SlotHash.slot(argv[1]) + " moved, retry\r\n")
                .getBytes(ISO_8859_1));
        return;
      }
      if (name.equals("GET")) {
        final StringBuilder out = new StringBuilder();
        final int status =
            database.get(
                key,
                0,
                argv[1].length,
                (b, o, l) -> out.append('$').append(l).append("\r\n").append(str(b, o, l)));
        reply.accept((status == Status.NIL ? "$-1\r\n" : out + "\r\n").getBytes(ISO_8859_1));
        return;
      }
      if (!cluster.writable()) {
        cluster.endCommand();
        reply.accept(ClusterNode.CLUSTER_DOWN);
        return;
      }
      final byte[] result;
      switch (name) {
        case "SET" -> {
          final UnsafeBuffer value = new UnsafeBuffer(argv[2]);
          final int status =
              database.set(key, 0, argv[1].length, value, 0, argv[2].length, 0, 0, null);
          result = status == Status.OK ? OK : ("-ERR status " + status + "\r\n").getBytes();
        }
        case "HSET" -> {
          final long added = database.hset(key, 0, argv[1].length, args(argv), 2, argv.length);
          result = (":" + added + "\r\n").getBytes(ISO_8859_1);
        }
        case "DEL" -> {
          final int removed = database.del(key, 0, argv[1].length);
          result = (":" + removed + "\r\n").getBytes(ISO_8859_1);
        }
        default -> result = "-ERR unknown command\r\n".getBytes(ISO_8859_1);
      }
      final long ticket = cluster.endCommand();
      cluster.flush();
      cluster.whenReplicated(ticket, () -> reply.accept(result), reply);
    }

    private static Args args(byte[][] argv) {
      final UnsafeBuffer[] buffers = new UnsafeBuffer[argv.length];
      for (int i = 0; i < argv.length; i++) {
        buffers[i] = new UnsafeBuffer(argv[i]);
      }
      return new Args() {
        @Override
        public int count() {
          return argv.length;
        }

        @Override
        public DirectBuffer buffer(int index) {
          return buffers[index];
        }

        @Override
        public int offset(int index) {
          return 0;
        }

        @Override
        public int length(int index) {
          return argv[index].length;
        }
      };
    }
  }
}
