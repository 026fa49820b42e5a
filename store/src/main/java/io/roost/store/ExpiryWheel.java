package io.roost.store;

import static io.roost.store.RecordDescriptor.WHEEL_NEXT_OFFSET;
import static io.roost.store.RecordDescriptor.WHEEL_PREV_OFFSET;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hierarchical timing wheel of one shard, intrusive in the records (links at {@link
 * RecordDescriptor#WHEEL_NEXT_OFFSET}): no memory per timer beyond 8 bytes in the record. Owned by
 * the thread holding the shard lock.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Time unit 1 ms; 7 levels of 64 slots (6 bits each, 42 bits ≈ 139 years); deadlines further
 *       away sit in an overflow list revisited when the wheel crosses a 2^42 ms boundary.
 *   <li>A record with deadline {@code d} sits at the level of the highest 6-bit group where {@code
 *       d} differs from the wheel time {@code cur}, in slot {@code group(d)}; {@code d <= cur} goes
 *       to the due list. Invariant: every entry at level L shares {@code cur}'s groups above L and
 *       has a larger group L (or equal, while its slot is being cascaded).
 *   <li>{@link #advance} jumps {@code cur} straight to the start of the next occupied slot (found
 *       with per-level occupancy bitmaps) or to {@code now}: idle time costs nothing. Reaching a
 *       slot cascades its entries one level down (or into the due list); each entry cascades at
 *       most 7 times. Due entries are handed to the {@link Expirer}. Work per call (cascaded plus
 *       expired entries) is bounded by the budget; the rest continues on the next call.
 *   <li>Links: next ref; prev ref, or {@code -(list + 1)} at a list head, 0 when unlinked. Moving a
 *       record (reallocation) calls {@link #relocate}.
 * </ul>
 */
final class ExpiryWheel {
  static final int BITS = 6;
  static final int SLOTS = 1 << BITS;
  static final int LEVELS = 7;
  static final int DUE = LEVELS * SLOTS;
  static final int OVERFLOW = DUE + 1;
  static final int LISTS = OVERFLOW + 1;
  static final int SPAN_BITS = BITS * LEVELS;

  /** Reclaims a due record; may re-add it with a later deadline. */
  interface Expirer {
    void expire(int ref);
  }

  private final SlabArena arena;
  private final int[] heads = new int[LISTS];
  private final long[] occupied = new long[LEVELS];
  private long cur;
  private int size;

  ExpiryWheel(final SlabArena arena, final long nowMs) {
    this.arena = arena;
    this.cur = nowMs;
  }

  int size() {
    return size;
  }

  long time() {
    return cur;
  }

  private int next(final int ref) {
    return arena.buffer(ref).getInt(SlabArena.offset(ref) + WHEEL_NEXT_OFFSET);
  }

  private int prev(final int ref) {
    return arena.buffer(ref).getInt(SlabArena.offset(ref) + WHEEL_PREV_OFFSET);
  }

  private void next(final int ref, final int value) {
    arena.buffer(ref).putInt(SlabArena.offset(ref) + WHEEL_NEXT_OFFSET, value);
  }

  private void prev(final int ref, final int value) {
    arena.buffer(ref).putInt(SlabArena.offset(ref) + WHEEL_PREV_OFFSET, value);
  }

  boolean contains(final int ref) {
    return prev(ref) != 0;
  }

  /** Adds an unlinked record. */
  void add(final int ref, final long deadlineMs) {
    link(listFor(deadlineMs), ref);
    size++;
  }

  /** Moves a record to the list of its deadline, doing nothing when it is already there. */
  void reschedule(final int ref, final long deadlineMs) {
    final int current = listOf(ref);
    if (deadlineMs == 0) {
      remove(ref);
      return;
    }
    final int target = listFor(deadlineMs);
    if (current == target + 1) {
      return;
    }
    remove(ref);
    link(target, ref);
    size++;
  }

  private int listOf(final int ref) {
    return arena.buffer(ref).getShort(SlabArena.offset(ref) + RecordDescriptor.WHEEL_LIST_OFFSET)
        & 0xFFFF;
  }

  private void listOf(final int ref, final int listPlusOne) {
    arena
        .buffer(ref)
        .putShort(SlabArena.offset(ref) + RecordDescriptor.WHEEL_LIST_OFFSET, (short) listPlusOne);
  }

  private int listFor(final long d) {
    if (d <= cur) {
      return DUE;
    }
    final long x = d ^ cur;
    if ((x >>> SPAN_BITS) != 0) {
      return OVERFLOW;
    }
    final int level = (63 - Long.numberOfLeadingZeros(x)) / BITS;
    return level * SLOTS + (int) ((d >>> (level * BITS)) & (SLOTS - 1));
  }

  private void link(final int list, final int ref) {
    final int head = heads[list];
    next(ref, head);
    prev(ref, -(list + 1));
    listOf(ref, list + 1);
    if (head != 0) {
      prev(head, ref);
    }
    heads[list] = ref;
    if (list < DUE) {
      occupied[list / SLOTS] |= 1L << (list % SLOTS);
    }
  }

  /** Removes a linked record; no-op when unlinked. */
  void remove(final int ref) {
    final int p = prev(ref);
    if (p == 0) {
      return;
    }
    final int n = next(ref);
    if (p < 0) {
      final int list = -p - 1;
      heads[list] = n;
      if (n != 0) {
        prev(n, p);
      } else if (list < DUE) {
        occupied[list / SLOTS] &= ~(1L << (list % SLOTS));
      }
    } else {
      next(p, n);
      if (n != 0) {
        prev(n, p);
      }
    }
    next(ref, 0);
    prev(ref, 0);
    listOf(ref, 0);
    size--;
  }

  /** The record at oldRef was copied (links included) to newRef; fix the neighbours. */
  void relocate(final int oldRef, final int newRef) {
    final int p = prev(newRef);
    if (p == 0) {
      return;
    }
    final int n = next(newRef);
    if (p < 0) {
      heads[-p - 1] = newRef;
    } else {
      next(p, newRef);
    }
    if (n != 0) {
      prev(n, newRef);
    }
  }

  /**
   * Moves the wheel to {@code nowMs}, handing due records to the expirer.
   *
   * @return work done (entries cascaded or expired), at most about {@code budget}.
   */
  int advance(final long nowMs, final int budget, final Expirer expirer) {
    int work = 0;
    while (true) {
      while (heads[DUE] != 0) {
        if (work >= budget) {
          return work;
        }
        final int ref = heads[DUE];
        remove(ref);
        expirer.expire(ref);
        work++;
      }
      boolean cascaded = false;
      for (int level = LEVELS - 1; level >= 0; level--) {
        final int slot = (int) ((cur >>> (level * BITS)) & (SLOTS - 1));
        if ((occupied[level] & (1L << slot)) != 0) {
          final int list = level * SLOTS + slot;
          while (heads[list] != 0) {
            if (work >= budget) {
              return work;
            }
            final int ref = heads[list];
            remove(ref);
            add(ref, deadline(ref));
            work++;
          }
          cascaded = true;
        }
      }
      if (cascaded) {
        continue;
      }
      if (cur >= nowMs) {
        return work;
      }
      final long t = nextEventTime();
      if (t > nowMs) {
        cur = nowMs;
        return work;
      }
      cur = t;
      if ((t & ((1L << SPAN_BITS) - 1)) == 0 && heads[OVERFLOW] != 0) {
        while (heads[OVERFLOW] != 0) {
          final int ref = heads[OVERFLOW];
          remove(ref);
          add(ref, deadline(ref));
          work++;
        }
      }
    }
  }

  private long nextEventTime() {
    long best = Long.MAX_VALUE;
    for (int level = 0; level < LEVELS; level++) {
      final long occ = occupied[level];
      if (occ == 0) {
        continue;
      }
      final int shift = level * BITS;
      final int group = (int) ((cur >>> shift) & (SLOTS - 1));
      final long later = group == SLOTS - 1 ? 0 : occ & (-1L << (group + 1));
      if (later == 0) {
        continue;
      }
      final int slot = Long.numberOfTrailingZeros(later);
      final long start = ((cur >>> (shift + BITS)) << (shift + BITS)) | ((long) slot << shift);
      if (start < best) {
        best = start;
      }
    }
    if (heads[OVERFLOW] != 0) {
      final long boundary = ((cur >>> SPAN_BITS) + 1) << SPAN_BITS;
      if (boundary > cur && boundary < best) {
        best = boundary;
      }
    }
    return best;
  }

  /** Deadline of a record: its key expiry or its hash's smallest field expiry. */
  long deadline(final int ref) {
    final UnsafeBuffer b = arena.buffer(ref);
    final int off = SlabArena.offset(ref);
    final long key = b.getLong(off + RecordDescriptor.EXPIRE_AT_OFFSET);
    if (RecordDescriptor.type(b.getInt(off + RecordDescriptor.META_OFFSET)) == 5) {
      final int v =
          off + RecordDescriptor.HEADER_LENGTH + b.getInt(off + RecordDescriptor.KEY_LENGTH_OFFSET);
      final long field = b.getLong(v + HashDescriptor.MIN_EXPIRE_OFFSET);
      if (field != 0 && (key == 0 || field < key)) {
        return field;
      }
    }
    return key;
  }

  /** Visits records of the wheel starting at a random list (volatile-* eviction sampling). */
  int sample(final int start, final int wanted, final ShardIndex.RefVisitor visitor) {
    int seen = 0;
    for (int i = 0; i < LISTS && seen < wanted; i++) {
      int ref = heads[(start + i) % LISTS];
      while (ref != 0 && seen < wanted) {
        visitor.visit(ref);
        seen++;
        ref = next(ref);
      }
    }
    return seen;
  }
}
