package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The staged owner lists installed while slots move: a slot whose primary changes keeps its old
 * primary first, with the new primary right behind it (so it receives the slot as a backup), until
 * the handoff; every other slot already has its target list; applying every handoff gives the
 * target.
 */
class StagedAssignmentTest {
  @Test
  void joinsAndLeavesStageEveryPrimaryChangeBehindTheOldPrimary() {
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

  /** Returns how many slots are staged. */
  private static int check(
      SlotOwnership<Address> previous, SlotOwnership<Address> goal, List<Address> members) {
    final SlotOwnership<Address> staged = ClusterNode.staged(previous, goal, members);
    final List<Integer> moving = new ArrayList<>();
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      final Address old = previous.primary(slot);
      if (!old.equals(goal.primary(slot))) {
        moving.add(slot);
        assertEquals(old, staged.primary(slot), "slot=" + slot + " keeps its old primary");
        if (goal.ownersPerSlot() > 1) {
          assertEquals(goal.primary(slot), staged.owner(slot, 1), "new primary receives it");
        }
        for (int rank = 1; rank < staged.ownersPerSlot(); rank++) {
          final int owner = staged.ownerIndex(slot, rank);
          assertTrue(goal.rankOf(slot, owner) >= 0, "slot=" + slot + " staged backups are targets");
        }
      } else {
        for (int rank = 0; rank < goal.ownersPerSlot(); rank++) {
          assertEquals(goal.owner(slot, rank), staged.owner(slot, rank), "slot=" + slot);
        }
      }
    }
    final int[] slots = moving.stream().mapToInt(Integer::intValue).toArray();
    final SlotOwnership<Address> done = ClusterNode.withGoalLists(staged, goal, slots);
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      for (int rank = 0; rank < goal.ownersPerSlot(); rank++) {
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
