package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.store.EffectSink;
import io.roost.store.Store;
import io.roost.store.StoreContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A primary cut off from the majority never gets a write acknowledged. */
@Timeout(90)
class FencingIT {
  @Test
  void partitionedPrimaryCannotAcknowledgeAndRefusesWrites() throws Exception {
    try (TestCluster cluster =
        new TestCluster("fence", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node a = cluster.nodes.get(0);
      final TestCluster.Node b = cluster.nodes.get(1);
      final TestCluster.Node c = cluster.nodes.get(2);
      final String key = keyWithPrimary(c);
      final int slot = slot(key);
      final Address backup = c.cluster.ownership().owner(slot, 1);
      final String doomed = keyOwnedBy(c, "d");
      assertArrayEquals(TestCluster.OK, a.call("SET", doomed, "x").get(10, TimeUnit.SECONDS));
      cluster.awaitQuiet();

      // {a, b} | {c}
      TestStacks.discard(a.cluster.channel()).addIgnoredMembers(c.cluster.address());
      TestStacks.discard(b.cluster.channel()).addIgnoredMembers(c.cluster.address());
      TestStacks.discard(c.cluster.channel())
          .addIgnoredMembers(a.cluster.address(), b.cluster.address());

      // c still believes it is primary: the write runs but can never be acknowledged.
      final CompletableFuture<byte[]> stale = c.call("SET", key, "stale");
      TestCluster.await(() -> !c.cluster.writable(), "c loses its majority");
      final String reply = ReplicationIT.text(stale.get(20, TimeUnit.SECONDS));
      assertTrue(reply.startsWith("-CLUSTERDOWN"), reply);
      assertTrue(
          ReplicationIT.text(c.call("SET", key, "again").get(10, TimeUnit.SECONDS))
              .startsWith("-CLUSTERDOWN"));
      assertEquals("fail", c.cluster.view().state());

      // The majority failed over to c's backup, which takes the write.
      cluster.nodes.remove(c);
      cluster.awaitSettled();
      cluster.nodes.add(c);
      assertEquals(backup, a.cluster.ownership().primary(slot));
      assertTrue(a.cluster.writable());
      assertArrayEquals(TestCluster.OK, a.call("SET", key, "fresh").get(10, TimeUnit.SECONDS));
      final TestCluster.Node newPrimary = a.at(cluster, backup);
      assertEquals("fresh", newPrimary.value(key));
      // A key c holds a copy of, deleted by the majority meanwhile.
      assertEquals(":1\r\n", ReplicationIT.text(a.call("DEL", doomed).get(10, TimeUnit.SECONDS)));
      assertEquals("x", c.value(doomed), "c's copy, stale");

      // Heal: the merge makes c drop its copy and receive the majority's state.
      for (TestCluster.Node n : List.of(a, b, c)) {
        TestStacks.discard(n.cluster.channel()).resetIgnoredMembers();
      }
      cluster.awaitSettled();
      cluster.awaitQuiet();
      assertEquals(
          "fresh",
          ReplicationIT.text(c.call("GET", key).get(10, TimeUnit.SECONDS)).split("\r\n")[1]);
      assertEquals("$-1\r\n", ReplicationIT.text(c.call("GET", doomed).get(10, TimeUnit.SECONDS)));
      final SlotOwnership<Address> owners = c.cluster.ownership();
      for (TestCluster.Node n : List.of(a, b, c)) {
        if (owners.rankOf(slot(doomed), owners.indexOf(n.cluster.address())) >= 0) {
          assertEquals(null, n.value(doomed), n + " owns the slot of the deleted key");
        }
        if (owners.rankOf(slot, owners.indexOf(n.cluster.address())) >= 0) {
          assertEquals("fresh", n.value(key), n + " owns the slot of the written key");
        }
      }
    }
  }

  @Test
  void backupRejectsBatchStampedWithAnotherView() throws Exception {
    try (TestCluster cluster =
        new TestCluster("stamp", 2, ClusterContext.Replication.SYNC).start(2)) {
      final TestCluster.Node a = cluster.nodes.get(0);
      final TestCluster.Node b = cluster.nodes.get(1);
      final byte[] effect = setEffect("ghost", "boo");
      final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
      final int length =
          new ReplicationMessages.EffectBatchEncoder()
              .wrap(buffer, 0, new ViewStamp(999, 1, 2), ReplicationMessages.linkSeq(77, 1))
              .append(
                  slot("ghost"),
                  ReplicationMessages.linkSeq(77, 1),
                  new UnsafeBuffer(effect),
                  0,
                  effect.length)
              .finish();
      final byte[] bytes = java.util.Arrays.copyOf(buffer.byteArray(), length);
      final long rejectedBefore = b.cluster.stats().batchesRejected();
      final long appliedBefore = b.cluster.stats().effectsApplied();
      a.cluster.send(b.cluster.address(), bytes, false);
      TestCluster.await(
          () -> b.cluster.stats().batchesRejected() > rejectedBefore, "stale batch rejected");
      assertEquals(null, b.value("ghost"));
      assertEquals(appliedBefore, b.cluster.stats().effectsApplied());
    }
  }

  /** The effect a store emits for {@code SET key value}. */
  static byte[] setEffect(String key, String value) {
    final byte[][] captured = new byte[1][];
    final EffectSink sink =
        (buffer, offset, length) -> {
          captured[0] = new byte[length];
          buffer.getBytes(offset, captured[0]);
        };
    try (Store store =
        new Store(
            new StoreContext()
                .databases(1)
                .shardsPerDatabase(1)
                .maxMemoryBytes(1L << 20)
                .effectSink(sink))) {
      final UnsafeBuffer k = new UnsafeBuffer(key.getBytes(StandardCharsets.ISO_8859_1));
      final UnsafeBuffer v = new UnsafeBuffer(value.getBytes(StandardCharsets.ISO_8859_1));
      store.database(0).set(k, 0, k.capacity(), v, 0, v.capacity(), 0, 0, null);
    }
    return captured[0];
  }

  static int slot(String key) {
    return SlotHash.slot(key.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String keyOwnedBy(TestCluster.Node node, String prefix) {
    for (int i = 0; ; i++) {
      if (node.cluster.isOwner(slot(prefix + i))) {
        return prefix + i;
      }
    }
  }

  static String keyWithPrimary(TestCluster.Node node) {
    for (int i = 0; ; i++) {
      if (node.cluster.isPrimary(slot("p" + i))) {
        return "p" + i;
      }
    }
  }
}
