package io.roost.cluster;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes slot owner lists: {@link #fresh} for a new cluster, {@link #next} from the previous
 * assignment and a new view. Pure functions of their arguments: every node that applies the same
 * sequence of views computes the same lists.
 *
 * <p>Implementation notes.
 *
 * <p><b>Targets.</b> With {@code n} members, {@code k = min(owners, n)} owners per slot. Each
 * member is primary of {@code floor(16384/n)} or {@code ceil(16384/n)} slots; the ceilings go to
 * the members that already hold the most primaries (ties: lower view index), which minimises moves.
 * Backup targets are {@code floor/ceil(16384(k-1)/n)}, the same way.
 *
 * <p><b>Fresh.</b> Member {@code i} is primary of the {@code i}-th contiguous range of slots. Its
 * range is cut into {@code n-1} contiguous sub-ranges; in sub-range {@code j} the backup of rank
 * {@code r} is member {@code (i + 1 + (j + r - 1) mod (n-1)) mod n}. So the first backups of every
 * primary are spread evenly over all other members (when a primary fails, each survivor inherits an
 * equal share of its slots) and owner lists form few ranges.
 *
 * <p><b>Next</b>, in five steps, each over slots in ascending order and members in view order:
 *
 * <ol>
 *   <li><i>Failover.</i> Each slot keeps its previous owners that are still members, in order; when
 *       the primary is gone, the first surviving backup becomes primary (no data moves). Slots with
 *       no surviving owner are unassigned.
 *   <li><i>Promote.</i> For a slot that did not fail over whose primary is above target, a backup
 *       below target is swapped in as primary (the old primary becomes that backup): a role change,
 *       no data moves.
 *   <li><i>Transfer.</i> Members still above target release primaries (slots that did not fail over
 *       first), choosing each time a slot whose first backup is the most frequent among the
 *       member's remaining slots, so first backups stay spread. Released and unassigned slots go,
 *       in ascending order, to an under-target member that already owns the slot, else to the first
 *       under-target member in view order (contiguous runs); the new primary replaces the old one
 *       when the list is full, else is prepended.
 *   <li><i>Trim backups.</i> Members above their backup target leave backup places, taken from the
 *       primaries they back most often.
 *   <li><i>Fill backups.</i> Slots short of backups take an under-target member that is not yet an
 *       owner, preferring for the first backup the member least often first backup of that primary.
 *       When every under-target member already owns the slot, a backup of another slot is swapped
 *       over so counts stay within target.
 * </ol>
 *
 * <p>Consequences (asserted by {@code OwnerAssignmentProperties}): primaries are balanced to one
 * slot; owners are distinct; a member that leaves has its slots taken by their next owners; on a
 * join or leave, about {@code 16384/n} slots change primary and surviving primaries keep the rest.
 *
 * <p>Not thread-bound: no shared state; callers own the returned {@link SlotOwnership}.
 */
public final class OwnerAssignment {
  /** {@code owners all}: every member owns every slot. */
  public static final int ALL = Integer.MAX_VALUE;

  /** Largest view an assignment supports (member indices are shorts). */
  public static final int MAX_MEMBERS = 4096;

  private static final int SLOTS = SlotHash.SLOT_COUNT;

  /**
   * How far (in slots) a choice may trail the best one and still be kept because it continues the
   * previous slot's choice: trades a little spread for contiguous owner-list ranges.
   */
  private static final int STICKY_SLOTS = 16;

  private OwnerAssignment() {}

  /** Assignment for a fresh cluster whose first view is {@code members}. */
  public static <M> SlotOwnership<M> fresh(List<M> members, int owners) {
    validate(members, owners);
    final int n = members.size();
    final int k = Math.min(owners, n);
    final short[] lists = new short[SLOTS * k];
    final int base = SLOTS / n;
    final int extra = SLOTS % n;
    int slot = 0;
    for (int i = 0; i < n; i++) {
      final int size = base + (i < extra ? 1 : 0);
      final int subBase = n > 1 ? size / (n - 1) : size;
      final int subExtra = n > 1 ? size % (n - 1) : 0;
      int j = 0;
      int leftInSub = subBase + (subExtra > 0 ? 1 : 0);
      for (int end = slot + size; slot < end; slot++) {
        while (leftInSub == 0) {
          j++;
          leftInSub = subBase + (j < subExtra ? 1 : 0);
        }
        leftInSub--;
        lists[slot * k] = (short) i;
        for (int r = 1; r < k; r++) {
          lists[slot * k + r] = (short) ((i + 1 + (j + r - 1) % (n - 1)) % n);
        }
      }
    }
    if (k >= 3 && n >= 3) {
      spreadSecondBackups(lists, n, k);
    }
    return new SlotOwnership<>(members, k, lists);
  }

  /** Assignment for the view {@code members} that follows {@code previous}. */
  public static <M> SlotOwnership<M> next(SlotOwnership<M> previous, List<M> members, int owners) {
    validate(members, owners);
    final Work work = new Work(members.size(), Math.min(owners, members.size()));
    final int[] newIndexOfOld = new int[previous.memberCount()];
    final Map<M, Integer> indexOf = new HashMap<>(members.size() * 2);
    for (int i = 0; i < members.size(); i++) {
      indexOf.put(members.get(i), i);
    }
    for (int i = 0; i < newIndexOfOld.length; i++) {
      newIndexOfOld[i] = indexOf.getOrDefault(previous.members().get(i), -1);
    }
    work.failover(previous, newIndexOfOld);
    work.balancePrimaries();
    work.balanceBackups();
    return new SlotOwnership<>(members, work.k, work.toShorts());
  }

  /**
   * Within each run of slots sharing primary {@code i} and first backup {@code b}, cycles the
   * second backup over all members other than {@code i} and {@code b} in contiguous sub-runs, so
   * that after {@code i} fails, {@code b}'s inherited slots have their backups spread evenly too.
   * Ranks 3 and up follow rank 2 cyclically, skipping {@code i} and {@code b}.
   */
  private static void spreadSecondBackups(short[] lists, int n, int k) {
    int start = 0;
    while (start < SLOTS) {
      int end = start + 1;
      while (end < SLOTS
          && lists[end * k] == lists[start * k]
          && lists[end * k + 1] == lists[start * k + 1]) {
        end++;
      }
      final int i = lists[start * k];
      final int b = lists[start * k + 1];
      final int size = end - start;
      final int others = n - 2;
      int slot = start;
      for (int l = 0; l < others; l++) {
        final int subSize = size / others + (l < size % others ? 1 : 0);
        for (int e = slot + subSize; slot < e; slot++) {
          int candidate = b;
          for (int r = 2; r < k; r++) {
            candidate = nextOther(candidate, n, i, b, r == 2 ? l + 1 : 1);
            lists[slot * k + r] = (short) candidate;
          }
        }
      }
      start = end;
    }
  }

  /** The member {@code steps} places after {@code from} in cyclic order, skipping i and b. */
  private static int nextOther(int from, int n, int i, int b, int steps) {
    int m = from;
    for (int left = steps; left > 0; ) {
      m = (m + 1) % n;
      if (m != i && m != b) {
        left--;
      }
    }
    return m;
  }

  private static <M> void validate(List<M> members, int owners) {
    if (members.isEmpty() || members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "members=" + members.size() + " must be in [1, " + MAX_MEMBERS + "]");
    }
    if (owners < 1) {
      throw new IllegalArgumentException("owners=" + owners + " must be >= 1");
    }
    final Map<M, Integer> seen = new HashMap<>(members.size() * 2);
    for (int i = 0; i < members.size(); i++) {
      final Integer before = seen.put(members.get(i), i);
      if (before != null) {
        throw new IllegalArgumentException("member=" + members.get(i) + " appears twice");
      }
    }
  }

  /** Mutable lists during one computation; confined to the calling thread. */
  private static final class Work {
    final int n;
    final int k;
    final int[] own;
    final int[] len;
    final boolean[] failedOver = new boolean[SLOTS];
    final int[] primaries;
    final int[] backups;

    /** holds[p * n + b]: slots with primary p that b backs (any rank). */
    final int[] holds;

    /** lastChoice[p * k + rank]: member last filled in at that rank for primary p, or -1. */
    final int[] lastChoice;

    Work(int n, int k) {
      this.n = n;
      this.k = k;
      this.own = new int[SLOTS * k];
      this.len = new int[SLOTS];
      this.primaries = new int[n];
      this.backups = new int[n];
      this.holds = new int[n * n];
      this.lastChoice = new int[n * k];
      Arrays.fill(lastChoice, -1);
    }

    <M> void failover(SlotOwnership<M> previous, int[] newIndexOfOld) {
      for (int s = 0; s < SLOTS; s++) {
        int length = 0;
        for (int r = 0; r < previous.ownersPerSlot() && length < k; r++) {
          final int member = newIndexOfOld[previous.ownerIndex(s, r)];
          if (member >= 0) {
            own[s * k + length++] = member;
          } else if (r == 0) {
            failedOver[s] = true;
          }
        }
        len[s] = length;
        if (length == 0) {
          failedOver[s] = false;
        } else {
          primaries[own[s * k]]++;
        }
      }
    }

    void balancePrimaries() {
      final int[] target = targets(primaries, SLOTS);
      // Promote: swap roles inside slots that did not fail over.
      for (int s = 0; s < SLOTS; s++) {
        if (len[s] == 0 || failedOver[s]) {
          continue;
        }
        final int a = own[s * k];
        if (primaries[a] <= target[a]) {
          continue;
        }
        for (int r = 1; r < len[s]; r++) {
          final int b = own[s * k + r];
          if (primaries[b] < target[b]) {
            own[s * k + r] = a;
            own[s * k] = b;
            primaries[a]--;
            primaries[b]++;
            break;
          }
        }
      }
      // Transfer: release the surplus, then hand released and unassigned slots out.
      final boolean[] released = new boolean[SLOTS];
      for (int a = 0; a < n; a++) {
        if (primaries[a] > target[a]) {
          release(a, primaries[a] - target[a], false, released);
        }
        if (primaries[a] > target[a]) {
          release(a, primaries[a] - target[a], true, released);
        }
      }
      int receiver = 0;
      for (int s = 0; s < SLOTS; s++) {
        if (len[s] > 0 && !released[s]) {
          continue;
        }
        int chosen = -1;
        int chosenRank = -1;
        for (int r = 1; r < len[s]; r++) {
          final int b = own[s * k + r];
          if (primaries[b] < target[b]) {
            chosen = b;
            chosenRank = r;
            break;
          }
        }
        if (chosen >= 0) {
          own[s * k + chosenRank] = own[s * k];
          own[s * k] = chosen;
        } else {
          while (primaries[receiver] >= target[receiver]) {
            receiver++;
          }
          chosen = receiver;
          if (len[s] == k) {
            own[s * k] = chosen;
          } else {
            System.arraycopy(own, s * k, own, s * k + 1, len[s]);
            own[s * k] = chosen;
            len[s]++;
          }
        }
        primaries[chosen]++;
      }
    }

    /** Marks {@code count} primaries of {@code a} released, keeping its first backups spread. */
    private void release(int a, int count, boolean failedOverSlots, boolean[] released) {
      // buckets[b] lists a's candidate slots (ascending) whose first backup is b; n = no backup.
      final int[][] buckets = new int[n + 1][];
      final int[] sizes = new int[n + 1];
      for (int s = 0; s < SLOTS; s++) {
        if (len[s] > 0 && own[s * k] == a && failedOver[s] == failedOverSlots && !released[s]) {
          final int b = len[s] > 1 ? own[s * k + 1] : n;
          if (buckets[b] == null) {
            buckets[b] = new int[16];
          } else if (sizes[b] == buckets[b].length) {
            buckets[b] = Arrays.copyOf(buckets[b], sizes[b] * 2);
          }
          buckets[b][sizes[b]++] = s;
        }
      }
      final int[] cursor = new int[n + 1];
      int current = -1;
      for (int i = 0; i < count; i++) {
        final int best = largestBucket(sizes, cursor, current);
        if (best < 0) {
          return;
        }
        current = best;
        released[buckets[best][cursor[best]++]] = true;
        primaries[a]--;
      }
    }

    void balanceBackups() {
      if (k == 1) {
        return;
      }
      for (int s = 0; s < SLOTS; s++) {
        for (int r = 1; r < len[s]; r++) {
          backups[own[s * k + r]]++;
          holds[own[s * k] * n + own[s * k + r]]++;
        }
      }
      final int[] target;
      if (k == n) {
        // Every member backs every slot it is not primary of: counts are forced.
        target = new int[n];
        for (int m = 0; m < n; m++) {
          target[m] = SLOTS - primaries[m];
        }
      } else {
        target = targets(backups, SLOTS * (k - 1));
        for (int m = 0; m < n; m++) {
          if (backups[m] > target[m]) {
            trim(m, backups[m] - target[m]);
          }
        }
      }
      for (int s = 0; s < SLOTS; s++) {
        while (len[s] < k) {
          fill(s, target);
        }
      }
      spreadFirstBackups();
    }

    /**
     * Reorders backups inside each slot (no data moves) so that every primary's first backups are
     * spread evenly over the other members: when it fails, each survivor inherits an equal share.
     */
    private void spreadFirstBackups() {
      if (k < 3) {
        return;
      }
      final int[] firstBackup = new int[n * n];
      final int[] last = new int[n];
      Arrays.fill(last, -1);
      for (int s = 0; s < SLOTS; s++) {
        final int p = own[s * k];
        int bestRank = 1;
        for (int r = 2; r < k; r++) {
          if (firstBackup[p * n + own[s * k + r]] < firstBackup[p * n + own[s * k + bestRank]]) {
            bestRank = r;
          }
        }
        for (int r = 1; r < k; r++) {
          if (own[s * k + r] == last[p]
              && firstBackup[p * n + last[p]]
                  <= firstBackup[p * n + own[s * k + bestRank]] + STICKY_SLOTS) {
            bestRank = r;
          }
        }
        final int chosen = own[s * k + bestRank];
        System.arraycopy(own, s * k + 1, own, s * k + 2, bestRank - 1);
        own[s * k + 1] = chosen;
        firstBackup[p * n + chosen]++;
        last[p] = chosen;
      }
    }

    /** Removes {@code count} backup places of {@code m}, from the primaries it backs most. */
    private void trim(int m, int count) {
      final int[][] buckets = new int[n][];
      final int[] sizes = new int[n];
      for (int s = 0; s < SLOTS; s++) {
        for (int r = 1; r < len[s]; r++) {
          if (own[s * k + r] == m) {
            final int p = own[s * k];
            if (buckets[p] == null) {
              buckets[p] = new int[16];
            } else if (sizes[p] == buckets[p].length) {
              buckets[p] = Arrays.copyOf(buckets[p], sizes[p] * 2);
            }
            buckets[p][sizes[p]++] = s;
          }
        }
      }
      final int[] cursor = new int[n];
      int current = -1;
      for (int i = 0; i < count; i++) {
        final int best = largestBucket(sizes, cursor, current);
        current = best;
        final int s = buckets[best][cursor[best]++];
        removeBackup(s, m);
      }
    }

    /**
     * The bucket with the most remaining entries (ties: lowest index), or {@code current} while it
     * trails that by at most {@link #STICKY_SLOTS}; -1 when all are empty.
     */
    private static int largestBucket(int[] sizes, int[] cursor, int current) {
      int best = -1;
      for (int b = 0; b < sizes.length; b++) {
        if (sizes[b] - cursor[b] > 0
            && (best < 0 || sizes[b] - cursor[b] > sizes[best] - cursor[best])) {
          best = b;
        }
      }
      if (current >= 0
          && best >= 0
          && sizes[current] - cursor[current] > 0
          && sizes[current] - cursor[current] + STICKY_SLOTS >= sizes[best] - cursor[best]) {
        return current;
      }
      return best;
    }

    private void removeBackup(int s, int m) {
      final int p = own[s * k];
      holds[p * n + m]--;
      int r = 1;
      while (own[s * k + r] != m) {
        r++;
      }
      System.arraycopy(own, s * k + r + 1, own, s * k + r, len[s] - r - 1);
      len[s]--;
      backups[m]--;
    }

    /** Adds one backup to slot {@code s}. */
    private void fill(int s, int[] target) {
      final int p = own[s * k];
      int best = -1;
      for (int m = 0; m < n; m++) {
        if (backups[m] >= target[m] || owns(s, m)) {
          continue;
        }
        if (best < 0 || better(p, m, best, target)) {
          best = m;
        }
      }
      final int previous = lastChoice[p * k + len[s]];
      if (best >= 0
          && previous >= 0
          && previous != best
          && backups[previous] < target[previous]
          && !owns(s, previous)
          && within(p, previous, best, target)) {
        best = previous;
      }
      if (best >= 0) {
        lastChoice[p * k + len[s]] = best;
      }
      if (best < 0 && swapInto(s, target)) {
        return;
      }
      if (best < 0) {
        // Nobody below target can take it (unreachable for n much smaller than the slot count).
        for (int m = 0; m < n; m++) {
          if (!owns(s, m) && (best < 0 || backups[m] < backups[best])) {
            best = m;
          }
        }
      }
      append(s, best);
    }

    /** Whether {@code m} trails {@code best} by at most {@link #STICKY_SLOTS}. */
    private boolean within(int p, int m, int best, int[] target) {
      if (holds[p * n + m] != holds[p * n + best]) {
        return holds[p * n + m] <= holds[p * n + best] + STICKY_SLOTS;
      }
      return target[m] - backups[m] + STICKY_SLOTS >= target[best] - backups[best];
    }

    private boolean better(int p, int m, int best, int[] target) {
      if (holds[p * n + m] != holds[p * n + best]) {
        return holds[p * n + m] < holds[p * n + best];
      }
      return target[m] - backups[m] > target[best] - backups[best];
    }

    /**
     * Every under-target member owns {@code s}: move a backup {@code x} of another slot {@code t}
     * to {@code s} and put an under-target member {@code d} in its place in {@code t}.
     */
    private boolean swapInto(int s, int[] target) {
      for (int d = 0; d < n; d++) {
        if (backups[d] >= target[d]) {
          continue;
        }
        for (int t = 0; t < SLOTS; t++) {
          if (t == s || owns(t, d)) {
            continue;
          }
          for (int r = 1; r < len[t]; r++) {
            final int x = own[t * k + r];
            if (!owns(s, x)) {
              replaceBackup(t, r, d);
              append(s, x);
              return true;
            }
          }
        }
      }
      return false;
    }

    private void replaceBackup(int s, int r, int m) {
      final int p = own[s * k];
      backups[own[s * k + r]]--;
      holds[p * n + own[s * k + r]]--;
      holds[p * n + m]++;
      own[s * k + r] = m;
      backups[m]++;
    }

    private void append(int s, int m) {
      holds[own[s * k] * n + m]++;
      own[s * k + len[s]++] = m;
      backups[m]++;
    }

    private boolean owns(int s, int m) {
      for (int r = 0; r < len[s]; r++) {
        if (own[s * k + r] == m) {
          return true;
        }
      }
      return false;
    }

    short[] toShorts() {
      final short[] lists = new short[SLOTS * k];
      for (int i = 0; i < lists.length; i++) {
        lists[i] = (short) own[i];
      }
      return lists;
    }

    /** floor/ceil shares of {@code total}; ceilings to the largest {@code counts}, then index. */
    private int[] targets(int[] counts, int total) {
      final int[] target = new int[n];
      final int base = total / n;
      int extra = total % n;
      Arrays.fill(target, base);
      final boolean[] given = new boolean[n];
      while (extra > 0) {
        int best = -1;
        for (int m = 0; m < n; m++) {
          if (!given[m] && (best < 0 || counts[m] > counts[best])) {
            best = m;
          }
        }
        given[best] = true;
        target[best]++;
        extra--;
      }
      return target;
    }
  }
}
