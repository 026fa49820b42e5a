package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An old primary crashes while its slots stream to a joining node. The joiner hears nothing from it
 * (its DISCARD ignores that member from the start), so when the crash comes the joiner holds none
 * of the records it was being sent. The slots must fail over to an owner with a complete copy:
 * afterwards every acknowledged write is on every owner of its slot.
 */
@Timeout(120)
class JoinCrashIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  private static String lists(SlotOwnership<Address> o, int slot) {
    final List<Address> out = new ArrayList<>();
    for (int rank = 0; rank < o.ownersPerSlot(); rank++) {
      out.add(o.owner(slot, rank));
    }
    return out.toString();
  }

  @Test
  void oldPrimaryCrashingMidStreamLosesNoAcknowledgedWrite() throws Exception {
    try (TestCluster cluster =
        new TestCluster("join-crash", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node victim = cluster.nodes.get(1);
      final Address victimAddress = victim.cluster.address();
      final List<TestCluster.Node> survivors = List.of(cluster.nodes.get(0), cluster.nodes.get(2));
      final SlotOwnership<Address> before = cluster.nodes.get(0).cluster.ownership();

      try (RebalanceIT.Writer writer = new RebalanceIT.Writer(cluster, survivors)) {
        writer.awaitAcknowledged(20_000);
        final TestCluster.Node joiner =
            new TestCluster.Node(
                "n3",
                cluster.context(),
                "127.0.0.1:7003",
                () -> {
                  final JChannel channel = TestStacks.channel(cluster.tag + "-n3");
                  TestStacks.discard(channel).addIgnoreMember(victimAddress);
                  return channel;
                });
        cluster.nodes.add(joiner);
        joiner.cluster.start(joiner.store);
        // The joiner has its assignment, so the coordinator has the view's staged and target
        // lists. The victim streams to the joiner every slot it is primary of that the joiner is
        // to own (as primary or backup); none of that arrives, nor does the victim's hand-off.
        final SlotOwnership<Address> staged = cluster.nodes.get(0).cluster.ownership();
        final SlotOwnership<Address> target = cluster.nodes.get(0).cluster.target();
        final int joinerIndex = target.indexOf(joiner.cluster.address());
        int fromVictim = 0;
        for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
          if (staged.primary(slot).equals(victimAddress) && target.isOwner(slot, joinerIndex)) {
            fromVictim++;
          }
        }
        assertTrue(fromVictim > 0, "the victim streams slots to the joiner");
        assertEquals(staged.members(), target.members());
        victim.kill();
        TestStacks.discard(joiner.cluster.channel()).resetIgnoredMembers();
        cluster.awaitSettled();
        final int atSettle = writer.acknowledged.size();
        writer.awaitAcknowledged(atSettle + 2_000);
        writer.stopAndDrain();
        cluster.awaitQuiet();

        final SlotOwnership<Address> after = cluster.nodes.get(0).cluster.ownership();
        final List<String> missing = new ArrayList<>();
        int lost = 0;
        int checked = 0;
        for (Map.Entry<String, String> e : writer.acknowledged.entrySet()) {
          final int slot = SlotHash.slot(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
          for (int rank = 0; rank < after.ownersPerSlot(); rank++) {
            final TestCluster.Node owner = survivors.get(0).at(cluster, after.owner(slot, rank));
            if (!e.getValue().equals(owner.value(e.getKey()))) {
              lost++;
              if (missing.size() < 20) {
                missing.add(
                    owner
                        + " rank="
                        + rank
                        + " slot="
                        + slot
                        + " "
                        + e.getKey()
                        + " lists before="
                        + lists(before, slot)
                        + " staged="
                        + lists(staged, slot)
                        + " target="
                        + lists(target, slot)
                        + " after="
                        + lists(after, slot));
              }
            }
          }
          checked++;
        }
        FIGURES.info(
            "test=join-crash acknowledged={} slotsFromVictim={} writeErrors={} missingCopies={}",
            checked,
            fromVictim,
            writer.errors.size(),
            lost);
        assertEquals(
            List.of(),
            missing,
            "missing copies=" + lost + " stats=" + ReplicationIT.stats(cluster));
      }
    }
  }
}
