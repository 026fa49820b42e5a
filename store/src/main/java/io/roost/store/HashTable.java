package io.roost.store;

import static io.roost.store.HashTableDescriptor.*;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Editing flyweight over one indexed hash ({@link HashTableDescriptor}). Owned by the thread
 * holding the lock of the shard whose arena it wraps.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>The header may live in a record or in {@link #staging} (an on-heap header used while a hash
 *       is built, so a failed build leaves the record untouched).
 *   <li>Edits happen in place: an entry block is reallocated only when its size class changes. An
 *       allocation failure (direct memory exhausted) returns false and leaves the structure
 *       consistent; fields already edited by the same command stay edited.
 *   <li>The smallest-expiry word is a lower bound: setting a TTL lowers it; removing or persisting
 *       a field leaves it; {@link #recomputeMinExpire} (field reclaim) makes it exact again.
 *   <li>{@link #removeCurrent} during {@link HashCursor#next} iteration re-examines the current
 *       slot (a later entry may shift into it); an entry near the table's start may then be seen
 *       twice, never skipped.
 * </ul>
 */
final class HashTable {
  final HashCursor cursor = new HashCursor();
  final UnsafeBuffer staging = new UnsafeBuffer(new byte[HEADER_LENGTH]);
  private SlabArena arena;
  private UnsafeBuffer header;
  private int base;
  private long seed;

  HashTable wrap(
      final SlabArena arena, final UnsafeBuffer header, final int base, final long seed) {
    this.arena = arena;
    this.header = header;
    this.base = base;
    this.seed = seed;
    rewind();
    return this;
  }

  /** Restarts iteration of {@link #cursor} (also refreshes the table after a resize). */
  HashCursor rewind() {
    return cursor.resetIndexed(arena, header, base, seed);
  }

  /**
   * Initialises {@link #staging} as an empty hash sized for {@code entries} fields and wraps it.
   *
   * @return false when out of memory.
   */
  boolean initStaging(final SlabArena arena, final long seed, final int entries) {
    staging.setMemory(0, HEADER_LENGTH, (byte) 0);
    final int cap = capacityFor(entries);
    final int tableRef = allocateBlock(arena, (long) cap * SLOT_LENGTH);
    if (tableRef == 0) {
      return false;
    }
    arena.buffer(tableRef).setMemory(SlabArena.offset(tableRef), cap * SLOT_LENGTH, (byte) 0);
    staging.putInt(TABLE_REF_OFFSET, tableRef);
    staging.putInt(CAPACITY_OFFSET, cap);
    staging.putLong(BLOCK_BYTES_OFFSET, blockBytes(arena, tableRef, (long) cap * SLOT_LENGTH));
    wrap(arena, staging, 0, seed);
    return true;
  }

  static int allocateBlock(final SlabArena arena, final long size) {
    if (size > Integer.MAX_VALUE - 64) {
      return 0;
    }
    return size > SlabArena.LARGE_BLOCK_BYTES
        ? arena.allocateDedicated((int) size, size)
        : arena.allocate((int) size);
  }

  static long blockBytes(final SlabArena arena, final int ref, final long size) {
    return arena.isDedicated(ref)
        ? arena.capacity(ref, (int) size)
        : SlabArena.blockBytes((int) size);
  }

  int count() {
    return header.getInt(base + COUNT_OFFSET);
  }

  private void count(final int n) {
    header.putInt(base + COUNT_OFFSET, n);
  }

  long minExpireMs() {
    return header.getLong(base + MIN_EXPIRE_OFFSET);
  }

  private void lowerMinExpire(final long ttl) {
    final long min = minExpireMs();
    if (ttl != 0 && (min == 0 || ttl < min)) {
      header.putLong(base + MIN_EXPIRE_OFFSET, ttl);
      header.putInt(base + FLAGS_OFFSET, header.getInt(base + FLAGS_OFFSET) | 1);
    }
  }

  long blockBytes() {
    return header.getLong(base + BLOCK_BYTES_OFFSET);
  }

  private void addBlockBytes(final long delta) {
    header.putLong(base + BLOCK_BYTES_OFFSET, blockBytes() + delta);
  }

  private int capacity() {
    return header.getInt(base + CAPACITY_OFFSET);
  }

  private int tableRef() {
    return header.getInt(base + TABLE_REF_OFFSET);
  }

  boolean find(final DirectBuffer f, final int off, final int len) {
    return cursor.find(f, off, len);
  }

  private static long entrySize(final int word, final int valueLength) {
    return entryLength(word & ~ENTRY_TTL_FLAG, valueLength, (word & ENTRY_TTL_FLAG) != 0);
  }

  private int writeEntry(
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final boolean withTtl,
      final long ttl) {
    final long size = entryLength(fLen, vLen, withTtl);
    final int ref = allocateBlock(arena, size);
    if (ref == 0) {
      return 0;
    }
    final UnsafeBuffer b = arena.buffer(ref);
    final int e = SlabArena.offset(ref);
    final int word = fLen | (withTtl ? ENTRY_TTL_FLAG : 0);
    b.putInt(e + ENTRY_FIELD_LENGTH_OFFSET, word);
    b.putInt(e + ENTRY_VALUE_LENGTH_OFFSET, vLen);
    if (withTtl) {
      b.putLong(e + ENTRY_TTL_OFFSET, ttl);
    }
    final int fo = e + fieldOffset(word);
    b.putBytes(fo, f, fOff, fLen);
    b.putBytes(fo + fLen, v, vOff, vLen);
    addBlockBytes(blockBytes(arena, ref, size));
    return ref;
  }

  private void freeEntry(final int ref) {
    final UnsafeBuffer b = arena.buffer(ref);
    final int e = SlabArena.offset(ref);
    final long size =
        entrySize(b.getInt(e + ENTRY_FIELD_LENGTH_OFFSET), b.getInt(e + ENTRY_VALUE_LENGTH_OFFSET));
    addBlockBytes(-blockBytes(arena, ref, size));
    arena.free(ref, (int) size);
  }

  private void slot(final int s, final int ref, final int hash) {
    final UnsafeBuffer t = cursor.table;
    final int p = cursor.tableOffset + s * SLOT_LENGTH;
    t.putInt(p + SLOT_REF_OFFSET, ref);
    t.putInt(p + SLOT_HASH_OFFSET, hash);
  }

  /** Places a ref in the first empty slot of its probe run; returns the slot. */
  private int place(final int hash, final int ref) {
    final int m = cursor.capacity - 1;
    int s = hash & m;
    while (cursor.slotRef(s) != 0) {
      s = (s + 1) & m;
    }
    slot(s, ref, hash);
    return s;
  }

  /**
   * Inserts a field known to be absent; the cursor is then on it.
   *
   * @return false when out of memory.
   */
  boolean insert(
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final long ttl) {
    final int n = count() + 1;
    if ((long) n > (long) capacity() * 3 / 4 && !resize(capacityFor(n))) {
      return false;
    }
    final int ref = writeEntry(f, fOff, fLen, v, vOff, vLen, ttl != 0, ttl);
    if (ref == 0) {
      return false;
    }
    final int s = place((int) cursor.fieldHash(f, fOff, fLen), ref);
    count(n);
    lowerMinExpire(ttl);
    cursor.at(s);
    return true;
  }

  /** Rebuilds the table with {@code newCapacity} slots (a per-key cost). */
  private boolean resize(final int newCapacity) {
    final int oldCap = capacity();
    if (newCapacity == oldCap || newCapacity > MAX_CAPACITY) {
      return newCapacity == oldCap;
    }
    final long size = (long) newCapacity * SLOT_LENGTH;
    final int newRef = allocateBlock(arena, size);
    if (newRef == 0) {
      return false;
    }
    final UnsafeBuffer nt = arena.buffer(newRef);
    final int no = SlabArena.offset(newRef);
    nt.setMemory(no, (int) size, (byte) 0);
    final int m = newCapacity - 1;
    for (int s = 0; s < oldCap; s++) {
      final int ref = cursor.slotRef(s);
      if (ref != 0) {
        final int h = cursor.slotHash(s);
        int d = h & m;
        while (nt.getInt(no + d * SLOT_LENGTH) != 0) {
          d = (d + 1) & m;
        }
        nt.putInt(no + d * SLOT_LENGTH + SLOT_REF_OFFSET, ref);
        nt.putInt(no + d * SLOT_LENGTH + SLOT_HASH_OFFSET, h);
      }
    }
    final int oldRef = tableRef();
    final long oldSize = (long) oldCap * SLOT_LENGTH;
    addBlockBytes(blockBytes(arena, newRef, size) - blockBytes(arena, oldRef, oldSize));
    arena.free(oldRef, (int) oldSize);
    header.putInt(base + TABLE_REF_OFFSET, newRef);
    header.putInt(base + CAPACITY_OFFSET, newCapacity);
    rewind();
    return true;
  }

  /** Halves the table while it is sparse (call when no iteration is in progress). */
  void shrinkIfSparse() {
    final int cap = capacity();
    final int n = count();
    if (cap > MIN_CAPACITY && n < cap / 8) {
      resize(capacityFor(Math.max(n, 1) * 2L));
    }
  }

  /**
   * Replaces the value of the current entry, keeping or clearing its TTL.
   *
   * @return false when out of memory.
   */
  boolean replaceCurrent(
      final DirectBuffer v, final int vOff, final int vLen, final boolean keepTtl) {
    final HashCursor c = cursor;
    final long ttl = keepTtl ? c.ttl() : 0;
    final int oldRef = c.entryRef;
    final long oldSize = entryLength(c.fieldLength, c.valueLength, c.withTtl);
    final boolean withTtl = c.withTtl;
    final long newSize = entryLength(c.fieldLength, vLen, withTtl);
    if (!arena.isDedicated(oldRef)
        && newSize <= SlabArena.LARGE_BLOCK_BYTES
        && SlabArena.classOf((int) newSize) == SlabArena.classOf((int) oldSize)) {
      final UnsafeBuffer b = arena.buffer(oldRef);
      b.putInt(c.entry + ENTRY_VALUE_LENGTH_OFFSET, vLen);
      if (withTtl) {
        b.putLong(c.ttlOffset, ttl);
      }
      b.putBytes(c.valueOffset, v, vOff, vLen);
      c.refresh();
      return true;
    }
    final int ref = writeEntry(c.buffer, c.fieldOffset, c.fieldLength, v, vOff, vLen, withTtl, ttl);
    if (ref == 0) {
      return false;
    }
    slot(c.slot, ref, c.slotHash(c.slot));
    freeEntry(oldRef);
    c.refresh();
    return true;
  }

  /**
   * Sets the TTL of the current entry (0 clears it), moving the entry when it has no TTL word.
   *
   * @return false when out of memory.
   */
  boolean ttlCurrent(final long ttl) {
    final HashCursor c = cursor;
    if (c.withTtl) {
      arena.buffer(c.entryRef).putLong(c.ttlOffset, ttl);
    } else if (ttl != 0) {
      final int oldRef = c.entryRef;
      final int ref =
          writeEntry(
              c.buffer,
              c.fieldOffset,
              c.fieldLength,
              c.buffer,
              c.valueOffset,
              c.valueLength,
              true,
              ttl);
      if (ref == 0) {
        return false;
      }
      slot(c.slot, ref, c.slotHash(c.slot));
      freeEntry(oldRef);
      c.refresh();
    }
    lowerMinExpire(ttl);
    return true;
  }

  /** Removes the current entry (backward-shift deletion); iteration re-examines its slot. */
  void removeCurrent() {
    final HashCursor c = cursor;
    final int m = c.capacity - 1;
    freeEntry(c.entryRef);
    int hole = c.slot;
    slot(hole, 0, 0);
    int j = hole;
    while (true) {
      j = (j + 1) & m;
      final int ref = c.slotRef(j);
      if (ref == 0) {
        break;
      }
      final int h = c.slotHash(j);
      final int home = h & m;
      final boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        slot(hole, ref, h);
        slot(j, 0, 0);
        hole = j;
      }
    }
    count(count() - 1);
    c.nextSlot = c.slot;
  }

  /** Makes the smallest-expiry word exact (O(fields)). */
  long recomputeMinExpire() {
    long min = 0;
    final HashCursor c = rewind();
    while (c.next()) {
      final long t = c.ttl();
      if (t != 0 && (min == 0 || t < min)) {
        min = t;
      }
    }
    header.putLong(base + MIN_EXPIRE_OFFSET, min);
    rewind();
    return min;
  }

  /** Frees the table and every entry (the record itself is the caller's). */
  void freeAll() {
    final HashCursor c = rewind();
    while (c.next()) {
      freeEntry(c.entryRef);
    }
    final int cap = capacity();
    arena.free(tableRef(), cap * SLOT_LENGTH);
    count(0);
  }

  /**
   * Serialises the hash in the packed layout ({@link HashDescriptor}, TTL words on every entry when
   * any entry has one).
   *
   * @return bytes written at {@code at}.
   */
  int writePacked(final org.agrona.MutableDirectBuffer out, final int at) {
    boolean anyTtl = false;
    HashCursor c = rewind();
    while (c.next()) {
      if (c.ttl() != 0) {
        anyTtl = true;
        break;
      }
    }
    int p = at + HashDescriptor.HEADER_LENGTH;
    long min = 0;
    c = rewind();
    while (c.next()) {
      p += HashCursor.writeLength(out, p, c.fieldLength);
      out.putBytes(p, c.buffer, c.fieldOffset, c.fieldLength);
      p += c.fieldLength;
      p += HashCursor.writeLength(out, p, c.valueLength);
      out.putBytes(p, c.buffer, c.valueOffset, c.valueLength);
      p += c.valueLength;
      if (anyTtl) {
        final long t = c.ttl();
        out.putLong(p, t);
        p += HashDescriptor.TTL_LENGTH;
        if (t != 0 && (min == 0 || t < min)) {
          min = t;
        }
      }
    }
    out.putInt(at + HashDescriptor.COUNT_OFFSET, count());
    out.putInt(at + HashDescriptor.FLAGS_OFFSET, anyTtl ? HashDescriptor.FLAG_TTL : 0);
    out.putLong(at + HashDescriptor.MIN_EXPIRE_OFFSET, min);
    rewind();
    return p - at;
  }

  /** Bytes {@link #writePacked} needs. */
  long packedLength() {
    long n = HashDescriptor.HEADER_LENGTH;
    final HashCursor c = rewind();
    while (c.next()) {
      n += HashDescriptor.entryLength(c.fieldLength, c.valueLength, true);
    }
    rewind();
    return n;
  }
}
