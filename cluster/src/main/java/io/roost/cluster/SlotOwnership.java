package io.roost.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable owner lists of all {@link SlotHash#SLOT_COUNT} slots for one view: for each slot a
 * primary followed by its backups, as indices into {@link #members()}.
 *
 * <p>Implementation notes: one {@code short[SLOT_COUNT * ownersPerSlot]} holds every list, slot
 * {@code s} at {@code [s * ownersPerSlot, (s + 1) * ownersPerSlot)}, rank 0 the primary. Every slot
 * has exactly {@link #ownersPerSlot()} distinct owners. Built only by {@link OwnerAssignment};
 * immutable and safe to share between threads once published.
 *
 * @param <M> member identity (a JGroups address in production); only {@code equals}/{@code
 *     hashCode} are used, never iteration order of a hashed collection.
 */
public final class SlotOwnership<M> {
  private final List<M> members;
  private final Map<M, Integer> indexOfMember;
  private final int ownersPerSlot;
  private final short[] owners;

  SlotOwnership(List<M> members, int ownersPerSlot, short[] owners) {
    this.members = Collections.unmodifiableList(new ArrayList<>(members));
    this.ownersPerSlot = ownersPerSlot;
    this.owners = owners;
    this.indexOfMember = new HashMap<>(members.size() * 2);
    for (int i = 0; i < members.size(); i++) {
      indexOfMember.put(members.get(i), i);
    }
  }

  /** Members in view order; owner indices refer to this list. */
  public List<M> members() {
    return members;
  }

  /** Number of members. */
  public int memberCount() {
    return members.size();
  }

  /** Owners of every slot (primary included), {@code min(owners, memberCount)}. */
  public int ownersPerSlot() {
    return ownersPerSlot;
  }

  /** Index in {@link #members()} of {@code member}, or -1 when it is not a member. */
  public int indexOf(M member) {
    final Integer index = indexOfMember.get(member);
    return index == null ? -1 : index;
  }

  /** Member index of the owner of {@code slot} at {@code rank} (0 = primary). */
  public int ownerIndex(int slot, int rank) {
    if (rank < 0 || rank >= ownersPerSlot) {
      throw new IndexOutOfBoundsException("rank=" + rank + " ownersPerSlot=" + ownersPerSlot);
    }
    return owners[slot * ownersPerSlot + rank];
  }

  /** Member index of the primary of {@code slot}. */
  public int primaryIndex(int slot) {
    return owners[slot * ownersPerSlot];
  }

  /** The primary of {@code slot}. */
  public M primary(int slot) {
    return members.get(primaryIndex(slot));
  }

  /** The owner of {@code slot} at {@code rank} (0 = primary). */
  public M owner(int slot, int rank) {
    return members.get(ownerIndex(slot, rank));
  }

  /** Rank of member {@code memberIndex} in the owner list of {@code slot}, or -1. */
  public int rankOf(int slot, int memberIndex) {
    final int base = slot * ownersPerSlot;
    for (int r = 0; r < ownersPerSlot; r++) {
      if (owners[base + r] == memberIndex) {
        return r;
      }
    }
    return -1;
  }

  /** Whether member {@code memberIndex} owns {@code slot} (as primary or backup). */
  public boolean isOwner(int slot, int memberIndex) {
    return rankOf(slot, memberIndex) >= 0;
  }

  /** Number of slots each member is primary of, indexed like {@link #members()}. */
  public int[] primaryCounts() {
    final int[] counts = new int[members.size()];
    for (int s = 0; s < SlotHash.SLOT_COUNT; s++) {
      counts[primaryIndex(s)]++;
    }
    return counts;
  }

  /** Number of slots each member is a backup of, indexed like {@link #members()}. */
  public int[] backupCounts() {
    final int[] counts = new int[members.size()];
    for (int s = 0; s < SlotHash.SLOT_COUNT; s++) {
      for (int r = 1; r < ownersPerSlot; r++) {
        counts[ownerIndex(s, r)]++;
      }
    }
    return counts;
  }

  /**
   * Number of maximal runs of consecutive slots with identical owner lists: the number of ranges
   * {@code CLUSTER SLOTS} would print.
   */
  public int rangeCount() {
    int ranges = 1;
    for (int s = 1; s < SlotHash.SLOT_COUNT; s++) {
      if (!sameOwners(s - 1, s)) {
        ranges++;
      }
    }
    return ranges;
  }

  /** The same owner lists over {@code renamed}, member {@code i} renamed to {@code renamed[i]}. */
  <N> SlotOwnership<N> rename(List<N> renamed) {
    if (renamed.size() != members.size()) {
      throw new IllegalArgumentException(
          "renamed=" + renamed.size() + " members=" + members.size());
    }
    return new SlotOwnership<>(renamed, ownersPerSlot, owners);
  }

  /**
   * The same owner lists over {@code superset}, which holds every member (and maybe others, who own
   * nothing), in its own order.
   */
  SlotOwnership<M> over(List<M> superset) {
    final short[] newIndex = new short[members.size()];
    final Map<M, Integer> indexInSuperset = new HashMap<>(superset.size() * 2);
    for (int i = 0; i < superset.size(); i++) {
      indexInSuperset.put(superset.get(i), i);
    }
    for (int i = 0; i < members.size(); i++) {
      final Integer index = indexInSuperset.get(members.get(i));
      if (index == null) {
        throw new IllegalArgumentException("member=" + members.get(i) + " missing in superset");
      }
      newIndex[i] = (short) (int) index;
    }
    final short[] translated = new short[owners.length];
    for (int i = 0; i < owners.length; i++) {
      translated[i] = newIndex[owners[i]];
    }
    return new SlotOwnership<>(superset, ownersPerSlot, translated);
  }

  /** Owner lists as received in an ASSIGNMENT; {@code owners} must be valid (decoder-checked). */
  static <M> SlotOwnership<M> of(List<M> members, int ownersPerSlot, short[] owners) {
    return new SlotOwnership<>(members, ownersPerSlot, owners);
  }

  /** Whether {@code other} gives every slot the same owner list over the same members. */
  boolean sameLists(SlotOwnership<M> other) {
    return ownersPerSlot == other.ownersPerSlot
        && members.equals(other.members)
        && java.util.Arrays.equals(owners, other.owners);
  }

  /** Whether {@code other} (over the same members) gives {@code slot} the same owner list. */
  boolean sameList(int slot, SlotOwnership<M> other) {
    if (ownersPerSlot != other.ownersPerSlot) {
      return false;
    }
    for (int r = 0; r < ownersPerSlot; r++) {
      if (owners[slot * ownersPerSlot + r] != other.owners[slot * ownersPerSlot + r]) {
        return false;
      }
    }
    return true;
  }

  /** Whether slots {@code a} and {@code b} have identical owner lists. */
  boolean sameOwners(int a, int b) {
    for (int r = 0; r < ownersPerSlot; r++) {
      if (owners[a * ownersPerSlot + r] != owners[b * ownersPerSlot + r]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "SlotOwnership{members=" + members + " ownersPerSlot=" + ownersPerSlot + "}";
  }
}
