package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.MergeView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three members in one JVM over SHARED_LOOPBACK, with partitions injected by DISCARD. */
@Timeout(30)
class MembershipIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final List<Membership> nodes = new ArrayList<>();
  private final List<ViewRecorder> recorders = new ArrayList<>();

  @AfterEach
  void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  void threeMembersFormOneViewAndSeeALeave() throws Exception {
    start("form", 3);
    for (ViewRecorder recorder : recorders) {
      recorder.await(DEADLINE, c -> c.current().size() == 3);
    }
    final Address a = nodes.get(0).localAddress();
    for (Membership node : nodes) {
      assertEquals(a, node.view().getCoord());
      assertTrue(node.hasMajority());
    }
    // First change has no previous view; listeners never run on JGroups threads.
    assertNull(recorders.get(0).changes().get(0).previous());
    for (ViewRecorder recorder : recorders) {
      assertTrue(recorder.threads().stream().allMatch(t -> t.startsWith("roost-membership-")));
    }

    final Address leaver = nodes.get(2).localAddress();
    nodes.remove(2).close();
    for (int i = 0; i < 2; i++) {
      final Membership.ViewChange change =
          recorders
              .get(i)
              .await(
                  DEADLINE,
                  c ->
                      c.current().size() == 2
                          && c.previous() != null
                          && c.previous().containsMember(leaver));
      assertNotNull(change.previous());
      assertTrue(change.previous().containsMember(leaver));
      assertFalse(change.current().containsMember(leaver));
      assertTrue(change.majority(), "2 of 3 is a majority");
      assertTrue(nodes.get(i).hasMajority());
    }
  }

  @Test
  void minorityPartitionLosesMajorityAndMergeRestoresIt() throws Exception {
    start("partition", 3);
    for (ViewRecorder recorder : recorders) {
      recorder.await(DEADLINE, c -> c.current().size() == 3);
    }
    final Address a = nodes.get(0).localAddress();
    final Address b = nodes.get(1).localAddress();
    final Address c = nodes.get(2).localAddress();

    // {a, b} | {c}
    TestStacks.discard(nodes.get(0).channel()).addIgnoredMembers(c);
    TestStacks.discard(nodes.get(1).channel()).addIgnoredMembers(c);
    TestStacks.discard(nodes.get(2).channel()).addIgnoredMembers(a, b);

    recorders.get(2).await(DEADLINE, ch -> ch.current().size() == 1);
    for (int i = 0; i < 2; i++) {
      recorders.get(i).await(DEADLINE, ch -> ch.current().size() == 2);
      assertTrue(nodes.get(i).hasMajority(), "majority side node=" + i);
      assertEquals(2, nodes.get(i).stableView().size());
    }
    assertFalse(nodes.get(2).hasMajority(), "minority side");
    assertEquals(3, nodes.get(2).stableView().size(), "minority keeps the last stable view");

    for (Membership node : nodes) {
      TestStacks.discard(node.channel()).resetIgnoredMembers();
    }
    for (int i = 0; i < 3; i++) {
      final Membership.ViewChange merged =
          recorders.get(i).await(DEADLINE, ch -> ch.current().size() == 3);
      assertTrue(merged.current() instanceof MergeView, "merge view node=" + i);
      assertTrue(merged.majority());
      assertTrue(nodes.get(i).hasMajority());
      assertEquals(3, nodes.get(i).stableView().size());
    }
  }

  private void start(String cluster, int count) throws Exception {
    final String clusterName = "roost-it-" + cluster + "-" + System.nanoTime();
    for (int i = 0; i < count; i++) {
      final ViewRecorder recorder = new ViewRecorder();
      final Membership node =
          new Membership(TestStacks.channel(cluster + "-" + (char) ('a' + i)), recorder);
      recorders.add(recorder);
      nodes.add(node);
      node.connect(clusterName);
    }
  }
}
