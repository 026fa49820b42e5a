package io.roost.store;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Open-addressing index of one shard's records, in cache-line buckets. Owned by the thread holding
 * the shard lock.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li><b>Bucket</b> = 16 ints = 64 bytes: ints 0..11 are record refs (0 = empty), ints 12..14
 *       hold one 8-bit tag (hash bits 56..63) per slot, int 15 counts keys whose probe passed this
 *       bucket because it was full (F14-style overflow count). A lookup compares tags four at a
 *       time and touches a record only on a tag match; it stops at the first bucket with overflow
 *       0, so misses rarely leave the home bucket and no tombstones are needed: removal decrements
 *       the counts along the probe path.
 *   <li><b>Home bucket</b> = hash & mask (low bits); shards use hash bits 40..55, tags 56..63.
 *   <li><b>Incremental growth.</b> Past 80% load a table twice the size is allocated; every
 *       operation migrates {@link #MIGRATE_PER_STEP} old buckets in index order. While both exist,
 *       lookups probe old then new, inserts go to new. Never a stop-the-shard rehash. Tables never
 *       shrink (FLUSHDB resets them).
 *   <li><b>Scan</b> follows home buckets, not physical slots: cursor {@code v} emits every key
 *       whose home is {@code v} (walking the overflow chain), so Redis's reverse-binary cursor
 *       argument (dict.c dictScan) carries over unchanged, also while two tables exist.
 * </ul>
 */
final class ShardIndex {
  static final int SLOTS = 12;
  static final int BUCKET_INTS = 16;
  static final int TAG_INT = 12;
  static final int OVERFLOW_INT = 15;
  static final int MIGRATE_PER_STEP = 2;
  static final long OLD_FLAG = 1L << 40;

  /** Receives refs from scans and samples. */
  interface RefVisitor {
    void visit(int ref);
  }

  private final SlabArena arena;
  private final MemoryBudget budget;
  private final long seed;
  private int[] table;
  private int mask;
  private int[] old;
  private int oldMask;
  private int migrateIndex;
  private int size;

  ShardIndex(final SlabArena arena, final MemoryBudget budget, final long seed, final int buckets) {
    this.arena = arena;
    this.budget = budget;
    this.seed = seed;
    this.table = newTable(buckets);
    this.mask = buckets - 1;
  }

  private int[] newTable(final int buckets) {
    final long bytes = (long) buckets * BUCKET_INTS * 4;
    budget.usedBytes.addAndGet(bytes);
    budget.allocatedBytes.addAndGet(bytes);
    return new int[buckets * BUCKET_INTS];
  }

  private void dropTable(final int[] t) {
    final long bytes = (long) t.length * 4;
    budget.usedBytes.addAndGet(-bytes);
    budget.allocatedBytes.addAndGet(-bytes);
  }

  /** Releases accounting (FLUSHDB / close). */
  void release() {
    dropTable(table);
    if (old != null) {
      dropTable(old);
      old = null;
    }
    table = new int[0];
  }

  int size() {
    return size;
  }

  long bytes() {
    return ((long) table.length + (old == null ? 0 : old.length)) * 4;
  }

  static int tag(final long hash) {
    return (int) (hash >>> 56) & 0xFF;
  }

  long hashOf(final int ref) {
    final UnsafeBuffer b = arena.buffer(ref);
    final int off = SlabArena.offset(ref);
    return Bytes.hash(
        b,
        off + RecordDescriptor.HEADER_LENGTH,
        b.getInt(off + RecordDescriptor.KEY_LENGTH_OFFSET),
        seed);
  }

  private boolean keyEquals(
      final int ref, final DirectBuffer key, final int keyOffset, final int keyLength) {
    final UnsafeBuffer b = arena.buffer(ref);
    final int off = SlabArena.offset(ref);
    return b.getInt(off + RecordDescriptor.KEY_LENGTH_OFFSET) == keyLength
        && Bytes.equals(b, off + RecordDescriptor.HEADER_LENGTH, key, keyOffset, keyLength);
  }

  /**
   * @return position of the key (pass to {@link #refAt}, {@link #replace}, {@link #remove}) or -1.
   */
  long find(final long hash, final DirectBuffer key, final int keyOffset, final int keyLength) {
    if (old != null) {
      migrateStep();
      if (old != null) {
        final int p = findIn(old, oldMask, hash, key, keyOffset, keyLength, 0);
        if (p >= 0) {
          return p | OLD_FLAG;
        }
      }
    }
    return findIn(table, mask, hash, key, keyOffset, keyLength, 0);
  }

  /**
   * @return position of the slot holding {@code ref} (whose key hashes to {@code hash}) or -1.
   */
  long findRef(final long hash, final int ref) {
    if (old != null) {
      final int p = findIn(old, oldMask, hash, null, 0, 0, ref);
      if (p >= 0) {
        return p | OLD_FLAG;
      }
    }
    return findIn(table, mask, hash, null, 0, 0, ref);
  }

  private int findIn(
      final int[] t,
      final int m,
      final long hash,
      final DirectBuffer key,
      final int keyOffset,
      final int keyLength,
      final int wantedRef) {
    final int pattern = tag(hash) * 0x01010101;
    int b = (int) hash & m;
    for (int probes = 0; probes <= m; probes++) {
      final int base = b * BUCKET_INTS;
      for (int w = 0; w < 3; w++) {
        final int x = t[base + TAG_INT + w] ^ pattern;
        int hits = (x - 0x01010101) & ~x & 0x80808080;
        while (hits != 0) {
          final int byteIndex = Integer.numberOfTrailingZeros(hits) >>> 3;
          hits &= hits - 1;
          final int s = w * 4 + byteIndex;
          final int ref = t[base + s];
          if (ref != 0
              && (wantedRef != 0 ? ref == wantedRef : keyEquals(ref, key, keyOffset, keyLength))) {
            return base + s;
          }
        }
      }
      if (t[base + OVERFLOW_INT] == 0) {
        return -1;
      }
      b = (b + 1) & m;
    }
    return -1;
  }

  int refAt(final long pos) {
    return (pos & OLD_FLAG) != 0 ? old[(int) pos] : table[(int) pos];
  }

  void replace(final long pos, final int ref) {
    if ((pos & OLD_FLAG) != 0) {
      old[(int) pos] = ref;
    } else {
      table[(int) pos] = ref;
    }
  }

  void remove(final long pos, final long hash) {
    final boolean inOld = (pos & OLD_FLAG) != 0;
    removeIn(inOld ? old : table, inOld ? oldMask : mask, (int) pos, hash);
    size--;
  }

  private static void removeIn(final int[] t, final int m, final int p, final long hash) {
    t[p] = 0;
    final int bucket = p / BUCKET_INTS;
    final int s = p % BUCKET_INTS;
    final int tagInt = bucket * BUCKET_INTS + TAG_INT + s / 4;
    t[tagInt] &= ~(0xFF << ((s & 3) * 8));
    int b = (int) hash & m;
    while (b != bucket) {
      t[b * BUCKET_INTS + OVERFLOW_INT]--;
      b = (b + 1) & m;
    }
  }

  /** Inserts a ref whose key is known to be absent. */
  void insert(final long hash, final int ref) {
    if (size + 1 > (long) (mask + 1) * SLOTS * 4 / 5) {
      grow();
    }
    insertIn(table, mask, hash, ref);
    size++;
  }

  private static void insertIn(final int[] t, final int m, final long hash, final int ref) {
    int b = (int) hash & m;
    while (true) {
      final int base = b * BUCKET_INTS;
      for (int s = 0; s < SLOTS; s++) {
        if (t[base + s] == 0) {
          t[base + s] = ref;
          final int tagInt = base + TAG_INT + s / 4;
          final int shift = (s & 3) * 8;
          t[tagInt] = (t[tagInt] & ~(0xFF << shift)) | (tag(hash) << shift);
          return;
        }
      }
      t[base + OVERFLOW_INT]++;
      b = (b + 1) & m;
    }
  }

  private void grow() {
    while (old != null) {
      migrateStep();
    }
    old = table;
    oldMask = mask;
    migrateIndex = 0;
    final int buckets = (mask + 1) * 2;
    table = newTable(buckets);
    mask = buckets - 1;
  }

  /** Moves a few old buckets into the new table; called by operations and ticks. */
  void migrateStep() {
    if (old == null) {
      return;
    }
    for (int n = 0; n < MIGRATE_PER_STEP && old != null; n++) {
      final int base = migrateIndex * BUCKET_INTS;
      for (int s = 0; s < SLOTS; s++) {
        final int ref = old[base + s];
        if (ref != 0) {
          final long h = hashOf(ref);
          removeIn(old, oldMask, base + s, h);
          insertIn(table, mask, h, ref);
        }
      }
      if (++migrateIndex > oldMask) {
        dropTable(old);
        old = null;
      }
    }
  }

  boolean resizing() {
    return old != null;
  }

  /** Emits every ref whose home bucket (in table t of mask m) is h. */
  private void emitHome(final int[] t, final int m, final int h, final RefVisitor visitor) {
    int b = h;
    for (int probes = 0; probes <= m; probes++) {
      final int base = b * BUCKET_INTS;
      for (int s = 0; s < SLOTS; s++) {
        final int ref = t[base + s];
        if (ref != 0 && ((int) hashOf(ref) & m) == h) {
          visitor.visit(ref);
        }
      }
      if (t[base + OVERFLOW_INT] == 0) {
        return;
      }
      b = (b + 1) & m;
    }
  }

  /**
   * One step of a reverse-binary scan (Redis dictScan over home buckets).
   *
   * @param cursor 0 to start.
   * @return next cursor; 0 when done.
   */
  long scanStep(final long cursor, final RefVisitor visitor) {
    long v = cursor;
    if (old == null) {
      emitHome(table, mask, (int) (v & mask), visitor);
      return nextCursor(v, mask);
    }
    final int[] small = old;
    final int m0 = oldMask;
    final int[] large = table;
    final int m1 = mask;
    emitHome(small, m0, (int) (v & m0), visitor);
    do {
      emitHome(large, m1, (int) (v & m1), visitor);
      v = nextCursor(v, m1);
    } while ((v & (m0 ^ m1)) != 0);
    return v;
  }

  private static long nextCursor(final long cursor, final long m) {
    long v = cursor | ~m;
    v = Long.reverse(v);
    v++;
    return Long.reverse(v);
  }

  /**
   * Visits about {@code wanted} refs from a random place (eviction sampling, RANDOMKEY).
   *
   * @param start random number choosing the start bucket.
   * @return refs visited.
   */
  int sample(final int start, final int wanted, final RefVisitor visitor) {
    int seen = 0;
    for (int pass = 0; pass < 2; pass++) {
      final int[] t = pass == 0 ? table : old;
      if (t == null) {
        continue;
      }
      final int m = pass == 0 ? mask : oldMask;
      int b = start & m;
      for (int i = 0; i <= m && seen < wanted; i++) {
        final int base = b * BUCKET_INTS;
        for (int s = 0; s < SLOTS && seen < wanted; s++) {
          final int ref = t[base + s];
          if (ref != 0) {
            visitor.visit(ref);
            seen++;
          }
        }
        b = (b + 1) & m;
      }
    }
    return seen;
  }

  /** Visits every ref (KEYS, slot iteration, FLUSH accounting); no mutation allowed meanwhile. */
  void forEach(final RefVisitor visitor) {
    for (int pass = 0; pass < 2; pass++) {
      final int[] t = pass == 0 ? table : old;
      if (t == null) {
        continue;
      }
      for (int base = 0; base < t.length; base += BUCKET_INTS) {
        for (int s = 0; s < SLOTS; s++) {
          final int ref = t[base + s];
          if (ref != 0) {
            visitor.visit(ref);
          }
        }
      }
    }
  }
}
