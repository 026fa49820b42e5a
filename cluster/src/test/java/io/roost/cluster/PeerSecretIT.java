package io.roost.cluster;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.PhysicalAddress;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer authentication and encryption ({@code cluster-secret}) over the production TCP stack in one
 * JVM. Every node's peer port sits behind a {@link WireTap} (the node advertises the tap's port as
 * its address, so every connection between nodes goes through a tap), and a {@link Tally} right
 * above the transport counts what reaches each node before decryption.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PeerSecretIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final String SECRET = "correct horse battery staple 42";
  static final String WRONG_SECRET = "correct horse battery staple 43";

  /** How long a node without the secret keeps knocking before the test looks at the views. */
  static final long KNOCKING_NS = TimeUnit.SECONDS.toNanos(5);

  /** Size of the injected value: the injection is the only message from its sender that long. */
  static final int INJECTED_VALUE_BYTES = 2_000;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final String cluster = "roost-secret-it-" + System.nanoTime();
  private final Random random = new Random(42);

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void sameSecretFormsAClusterThatReplicatesAndNoValueCrossesInClear() throws Exception {
    final List<WireTap> taps = taps(2);
    final Peer a = start("a", taps, 0, SECRET);
    final Peer b = start("b", taps, 1, SECRET);
    TestCluster.await(() -> formed(a, b), "a and b in one view");

    final List<String> stack = names(a.channel());
    assertEquals(
        List.of("TCP", "Tally", "SYM_ENCRYPT", "SERIALIZE", "TCPPING"),
        stack.subList(0, 5),
        "" + stack);
    final Map<String, String> written = writeMarkedValues(a, b);
    for (Map.Entry<String, String> e : written.entrySet()) {
      assertEquals(e.getValue(), a.node.value(e.getKey()), e.getKey());
      assertEquals(e.getValue(), b.node.value(e.getKey()), e.getKey());
    }
    // a and b advertise their taps' ports, so every connection between them goes through one
    // (both directions may share one connection).
    assertTrue(taps.stream().mapToLong(WireTap::bytes).sum() > 0, "traffic went through the taps");
    FIGURES.info(
        "test=peer-secret-wire keysWritten={} tapBytes={} tapConnections={}",
        written.size(),
        taps.stream().mapToLong(WireTap::bytes).sum(),
        taps.stream().mapToLong(WireTap::connections).sum());
    for (WireTap tap : taps) {
      for (Map.Entry<String, String> e : written.entrySet()) {
        assertFalse(tap.saw(e.getValue().getBytes(ISO_8859_1)), "value in clear: " + e);
        assertFalse(tap.saw(e.getKey().getBytes(ISO_8859_1)), "key in clear: " + e);
      }
    }
  }

  /** The control of the test above: without a secret, the same taps see the values. */
  @Test
  void withoutSecretTheTapsSeeTheValues() throws Exception {
    final List<WireTap> taps = taps(2);
    final Peer a = start("a", taps, 0, "");
    final Peer b = start("b", taps, 1, "");
    TestCluster.await(() -> formed(a, b), "a and b in one view");
    assertFalse(names(a.channel()).contains("SYM_ENCRYPT"));
    final Map<String, String> written = writeMarkedValues(a, b);
    for (Map.Entry<String, String> e : written.entrySet()) {
      assertEquals(e.getValue(), b.node.value(e.getKey()), e.getKey());
      assertTrue(
          taps.stream().anyMatch(t -> t.saw(e.getValue().getBytes(ISO_8859_1))), "a tap saw " + e);
    }
  }

  @Test
  void wrongOrMissingSecretCannotJoinNorInject() throws Exception {
    final List<WireTap> taps = taps(4);
    final Peer a = start("a", taps, 0, SECRET);
    final Peer b = start("b", taps, 1, SECRET);
    TestCluster.await(() -> formed(a, b), "a and b in one view");

    // Both outsiders know a's and b's addresses (TCPPING) and use the cluster's name.
    final Peer wrong = start("wrong", taps, 2, WRONG_SECRET);
    final Peer none = start("none", taps, 3, "");

    // A forged forward that a's primary would run, as the positive control shows: b, a member,
    // sends it and a executes it.
    final String controlKey = keyWithPrimary(a, "control-");
    final long executedBefore = a.node.cluster.stats().forwardsExecuted();
    b.node.cluster.send(a.address(), forwardSet(controlKey, "from-b"), false);
    TestCluster.await(() -> "from-b".equals(a.node.value(controlKey)), "b's forged SET ran on a");
    assertEquals(executedBefore + 1, a.node.cluster.stats().forwardsExecuted());

    // The same from the outsiders, who are told a's address as an eavesdropper would learn it.
    final String wrongKey = keyWithPrimary(a, "wrong-");
    final String noneKey = keyWithPrimary(a, "none-");
    final String injected = "x".repeat(INJECTED_VALUE_BYTES);
    for (Peer outsider : List.of(wrong, none)) {
      final TP transport = outsider.channel().getProtocolStack().getTransport();
      transport.addPhysicalAddressToCache(a.address(), physicalAddress(a));
    }
    wrong.node.cluster.send(a.address(), forwardSet(wrongKey, injected), false);
    none.node.cluster.send(a.address(), forwardSet(noneKey, injected), false);

    // Wait until a's transport has received the injections, and the outsiders' other traffic for
    // several merge rounds (MERGE3 at most every 1.5 s here).
    TestCluster.await(
        () ->
            a.tally.longest(wrong.address()) > INJECTED_VALUE_BYTES
                && a.tally.longest(none.address()) > INJECTED_VALUE_BYTES
                && a.tally.spanNs(wrong.address()) > KNOCKING_NS
                && a.tally.spanNs(none.address()) > KNOCKING_NS,
        "a received the injections and " + KNOCKING_NS / 1_000_000 + " ms of outsider traffic");

    assertNull(a.node.value(wrongKey));
    assertNull(a.node.value(noneKey));
    assertNull(b.node.value(wrongKey));
    assertNull(b.node.value(noneKey));
    assertEquals(executedBefore + 1, a.node.cluster.stats().forwardsExecuted());
    assertEquals(2, a.node.cluster.view().members().size());
    assertEquals(2, b.node.cluster.view().members().size());
    assertEquals(1, wrong.node.cluster.view().members().size());
    assertEquals(1, none.node.cluster.view().members().size());
    FIGURES.info(
        "test=peer-secret-outsiders messagesAtA wrong={} none={} longestAtA wrong={} none={}"
            + " forwardsExecutedAtA={}",
        a.tally.messages(wrong.address()),
        a.tally.messages(none.address()),
        a.tally.longest(wrong.address()),
        a.tally.longest(none.address()),
        a.node.cluster.stats().forwardsExecuted());
    assertTrue(a.tally.messages(wrong.address()) > 1, "wrong-secret traffic reached a");
    assertTrue(a.tally.messages(none.address()) > 1, "no-secret traffic reached a");

    // The cluster still works.
    assertArrayEquals(TestCluster.OK, b.node.call("SET", "after", "ok").get(10, TimeUnit.SECONDS));
    assertEquals("ok", a.node.value("after"));
  }

  // ------------------------------------------------------------------ helpers

  /** One node: its store and cluster node, and the tally above its transport. */
  private record Peer(TestCluster.Node node, Tally tally) {
    JChannel channel() {
      return node.cluster.channel();
    }

    Address address() {
      return node.cluster.address();
    }
  }

  private List<WireTap> taps(int count) throws Exception {
    final List<WireTap> taps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      final WireTap tap = new WireTap(freePort());
      closing.add(tap);
      taps.add(tap);
    }
    return taps;
  }

  /**
   * Starts node {@code index} behind {@code taps.get(index)}; it discovers the first two taps'
   * nodes (the cluster) and listens on the tap's target port.
   */
  private Peer start(String name, List<WireTap> taps, int index, String secret) throws Exception {
    final WireTap tap = taps.get(index);
    final String members = "127.0.0.1:" + taps.get(0).port() + ",127.0.0.1:" + taps.get(1).port();
    final ClusterContext context =
        new ClusterContext()
            .clusterName(cluster)
            .bindAddress("127.0.0.1")
            .port(tap.targetPort())
            .members(members)
            .owners(2)
            .replication(ClusterContext.Replication.SYNC)
            .requireMajority(true)
            .secret(secret)
            .conclude();
    final Tally tally = new Tally();
    final TestCluster.Node node =
        new TestCluster.Node(
            name,
            context,
            "127.0.0.1:" + tap.port(),
            () -> {
              final JChannel channel = JGroupsStack.channel(context).name(name);
              final ProtocolStack stack = channel.getProtocolStack();
              final TP transport = stack.getTransport();
              transport.setExternalAddr(InetAddress.getLoopbackAddress());
              transport.setExternalPort(tap.port());
              stack.insertProtocol(tally, ProtocolStack.Position.ABOVE, TCP.class);
              final MERGE3 merge = stack.findProtocol(MERGE3.class);
              merge.setMinInterval(500).setMaxInterval(1_500).setCheckInterval(2_000);
              return channel;
            });
    closing.add(node);
    node.cluster.start(node.store);
    return new Peer(node, tally);
  }

  /** Writes marked values through both nodes: executed locally and forwarded. */
  private Map<String, String> writeMarkedValues(Peer a, Peer b) throws Exception {
    final Map<String, String> written = new LinkedHashMap<>();
    for (Peer via : List.of(a, b)) {
      for (Peer primary : List.of(a, b)) {
        final String key = keyWithPrimary(primary, "wire-key-" + via.node.name + "-");
        final byte[] mark = new byte[16];
        random.nextBytes(mark);
        final String value = "wire-value-" + HexFormat.of().formatHex(mark);
        assertArrayEquals(
            TestCluster.OK, via.node.call("SET", key, value).get(10, TimeUnit.SECONDS), key);
        written.put(key, value);
      }
    }
    return written;
  }

  private static boolean formed(Peer... peers) {
    for (Peer peer : peers) {
      final ClusterView view = peer.node.cluster.view();
      if (!view.confirmed() || view.members().size() != peers.length) {
        return false;
      }
    }
    return true;
  }

  private static List<String> names(JChannel channel) {
    final List<String> names = new ArrayList<>();
    for (Protocol p = channel.getProtocolStack().getBottomProtocol();
        p != null;
        p = p.getUpProtocol()) {
      names.add(p.getName());
    }
    return names;
  }

  private static PhysicalAddress physicalAddress(Peer peer) {
    return (PhysicalAddress)
        peer.channel().down(new Event(Event.GET_PHYSICAL_ADDRESS, peer.address()));
  }

  /** A FORWARD_REQUEST for {@code SET key value} in database 0, as a member would send it. */
  static byte[] forwardSet(String key, String value) {
    final byte[][] argv = {
      "SET".getBytes(ISO_8859_1), key.getBytes(ISO_8859_1), value.getBytes(ISO_8859_1)
    };
    final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
    final int length = ForwardCodec.encode(payload, 0, 0, 2, argv);
    final UnsafeBuffer out =
        new UnsafeBuffer(new byte[ReplicationMessages.FORWARD_PAYLOAD_OFFSET + length]);
    ReplicationMessages.encodeForwardRequest(
        out, 0, new ViewStamp(1, 1, 1), 1, FencingIT.slot(key), payload, 0, length);
    return out.byteArray();
  }

  static String keyWithPrimary(Peer peer, String prefix) {
    for (int i = 0; ; i++) {
      if (peer.node.cluster.isPrimary(FencingIT.slot(prefix + i))) {
        return prefix + i;
      }
    }
  }

  private int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Counts, per sender, the messages that reach the protocol right above the transport (before
   * decryption): how many, the longest payload, and the first and last arrival. Called on JGroups
   * threads; read by the test thread.
   */
  static final class Tally extends Protocol {
    private final Map<Address, long[]> bySender = new ConcurrentHashMap<>();

    @Override
    public Object up(Message message) {
      record(message.src(), message.getLength());
      return up_prot.up(message);
    }

    @Override
    public void up(MessageBatch batch) {
      for (Message message : batch) {
        record(message.src() != null ? message.src() : batch.sender(), message.getLength());
      }
      up_prot.up(batch);
    }

    private void record(Address sender, int length) {
      if (sender == null) {
        return;
      }
      final long now = System.nanoTime();
      final long[] entry = bySender.computeIfAbsent(sender, s -> new long[] {0, 0, now, now});
      synchronized (entry) {
        entry[0]++;
        entry[1] = Math.max(entry[1], length);
        entry[3] = now;
      }
    }

    long messages(Address sender) {
      return field(sender, 0);
    }

    long longest(Address sender) {
      return field(sender, 1);
    }

    long spanNs(Address sender) {
      final long[] entry = bySender.get(sender);
      if (entry == null) {
        return 0;
      }
      synchronized (entry) {
        return entry[3] - entry[2];
      }
    }

    private long field(Address sender, int index) {
      final long[] entry = bySender.get(sender);
      if (entry == null) {
        return 0;
      }
      synchronized (entry) {
        return entry[index];
      }
    }
  }
}
