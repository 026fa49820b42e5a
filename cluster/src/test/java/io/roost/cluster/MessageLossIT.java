package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jgroups.Address;
import org.jgroups.protocols.DISCARD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 5% of messages dropped both ways on every node: owners still converge slot by slot. */
@Timeout(30)
class MessageLossIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  @Test
  void ownersOfEverySlotHoldTheSameKeysAfterQuiescing() throws Exception {
    try (TestCluster cluster =
        new TestCluster("loss", 2, ClusterContext.Replication.SYNC).start(3)) {
      for (TestCluster.Node node : cluster.nodes) {
        final DISCARD discard = TestStacks.discard(node.cluster.channel());
        discard.setUpDiscardRate(0.05);
        discard.setDownDiscardRate(0.05);
      }
      final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      ReplicationIT.write(cluster, 1_000, 0, failures, false);
      for (TestCluster.Node node : cluster.nodes) {
        final DISCARD discard = TestStacks.discard(node.cluster.channel());
        discard.setUpDiscardRate(0);
        discard.setDownDiscardRate(0);
      }
      cluster.awaitSettled();
      cluster.awaitQuiet();

      final SlotOwnership<Address> owners = cluster.nodes.get(0).cluster.ownership();
      final Map<Address, long[]> digests = new HashMap<>();
      for (TestCluster.Node node : cluster.nodes) {
        digests.put(node.cluster.address(), digest(node.contents()));
      }
      int compared = 0;
      for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
        final long primary = digests.get(owners.primary(slot))[slot];
        for (int rank = 1; rank < owners.ownersPerSlot(); rank++) {
          assertEquals(primary, digests.get(owners.owner(slot, rank))[slot], "slot=" + slot);
          compared++;
        }
      }
      assertTrue(compared > 0);
      long keys = 0;
      for (TestCluster.Node node : cluster.nodes) {
        keys += node.contents().size();
      }
      assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(10, failures.size())));
      assertEquals(2L * 1_000, keys, "every key on exactly two owners");
      ReplicationIT.logFigures("loss", cluster);
      FIGURES.info("test=loss comparedSlotPairs={}", compared);
    }
  }

  /** Per slot: an order-independent digest of its keys and values. */
  static long[] digest(Map<String, String> contents) {
    final long[] digest = new long[SlotHash.SLOT_COUNT];
    for (Map.Entry<String, String> e : contents.entrySet()) {
      final int slot = SlotHash.slot(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
      long h = 1125899906842597L;
      for (char ch : (e.getKey() + '\0' + e.getValue()).toCharArray()) {
        h = 31 * h + ch;
      }
      digest[slot] += h * 0x9E3779B97F4A7C15L;
    }
    return digest;
  }
}
