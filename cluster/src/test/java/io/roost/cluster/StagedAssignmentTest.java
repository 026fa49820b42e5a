package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The staged owner lists installed while slots move: a slot whose list changes keeps its old
 * primary first, then its previous owners (complete copies), then goal owners as needed; the goal
 * owners left out are its incoming owners; applying every handoff gives the target.
 */
class StagedAssignmentTest {
  @Test
  void joinsAndLeavesKeepCompleteCopiesListedUntilTheHandoff() {
    for (int owners = 1; owners <= 3; owners++) {
      for (int n = 1; n <= 5; n++) {
        final List<Address> members = addresses(n + 1);
        final SlotOwnership<Address> before = OwnerAssignment.fresh(members.subList(0, n), owners);
        // join: the last member is new
        check(before, OwnerAssignment.next(before, members, owners), members);
        // leave: the first member is leaving but still in the view
        if (n > 1) {
          final SlotOwnership<Address> all = OwnerAssignment.fresh(members, owners);
          final SlotOwnership<Address> goal =
              OwnerAssignment.next(all, members.subList(1, members.size()), owners).over(members);
          assertEquals(0, goal.primaryCounts()[0] + goal.backupCounts()[0], "leaver owns nothing");
          final int moved = check(all, goal, members);
          assertTrue(moved >= all.primaryCounts()[0], "every primary slot of the leaver moves");
        }
      }
    }
  }

  /** Returns how many slots are staged (their list is not the goal's yet). */
  private static int check(
      SlotOwnership<Address> previous, SlotOwnership<Address> goal, List<Address> members) {
    final SlotOwnership<Address> staged = ClusterNode.staged(previous, goal, members);
    final short[] incoming = ClusterNode.incoming(staged, goal);
    final int k = goal.ownersPerSlot();
    final List<Integer> changed = new ArrayList<>();
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      final String at = "slot=" + slot;
      assertEquals(previous.primary(slot), staged.primary(slot), at + " keeps its old primary");
      final Set<Address> previousOwners = new HashSet<>();
      for (int rank = 0; rank < previous.ownersPerSlot(); rank++) {
        previousOwners.add(previous.owner(slot, rank));
      }
      final Set<Address> goalOwners = new HashSet<>();
      for (int rank = 0; rank < k; rank++) {
        goalOwners.add(goal.owner(slot, rank));
      }
      // Previous owners come first: a failover of the old primary promotes a complete copy.
      final int complete = Math.min(k, previousOwners.size());
      final Set<Address> listed = new HashSet<>();
      for (int rank = 0; rank < k; rank++) {
        final Address owner = staged.owner(slot, rank);
        assertTrue(listed.add(owner), at + " owners are distinct");
        if (rank < complete) {
          assertTrue(previousOwners.contains(owner), at + " rank=" + rank + " is a previous owner");
        } else {
          assertTrue(goalOwners.contains(owner), at + " rank=" + rank + " is a goal owner");
        }
      }
      // Every goal owner is listed or incoming, and only goal owners are incoming.
      final Set<Address> reached = new HashSet<>(listed);
      for (int i = 0; incoming != null && i < k && incoming[slot * k + i] >= 0; i++) {
        final Address member = members.get(incoming[slot * k + i]);
        assertTrue(goalOwners.contains(member), at + " incoming " + member + " is a goal owner");
        assertTrue(!listed.contains(member), at + " incoming " + member + " is not listed");
        reached.add(member);
      }
      assertTrue(reached.containsAll(goalOwners), at + " every goal owner receives the slot");
      if (!staged.sameList(slot, goal)) {
        changed.add(slot);
      }
    }
    final int[] slots = changed.stream().mapToInt(Integer::intValue).toArray();
    final SlotOwnership<Address> done = ClusterNode.withGoalLists(staged, goal, slots);
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      for (int rank = 0; rank < k; rank++) {
        assertEquals(goal.owner(slot, rank), done.owner(slot, rank), "slot=" + slot);
      }
    }
    return slots.length;
  }

  private static List<Address> addresses(int n) {
    final List<Address> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new UUID(0, i + 1));
    }
    return out;
  }
}
