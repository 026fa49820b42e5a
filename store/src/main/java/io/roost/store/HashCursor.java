package io.roost.store;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Walks and finds the entries of a hash: a packed hash ({@link HashDescriptor}) in any buffer (a
 * record or the shard's scratch copy), or an indexed hash ({@link HashTableDescriptor}) in a
 * shard's arena. Owned by the thread holding the shard lock.
 *
 * <p>Implementation notes: after {@link #next} or {@link #find} the public fields describe the
 * current entry; for an indexed hash {@link #buffer} is the current entry's slab (it changes from
 * entry to entry) and {@link #slot}/{@link #entryRef} name it. {@link #header} always holds the
 * count and the smallest field expiry.
 */
final class HashCursor {
  DirectBuffer buffer;
  DirectBuffer header;
  boolean indexed;
  SlabArena arena;
  UnsafeBuffer table;
  int tableOffset;
  int capacity;
  long fieldSeed;
  int slot;
  int nextSlot;
  int entryRef;
  int base;
  int end;
  boolean withTtl;
  int entry;
  int next;
  int fieldOffset;
  int fieldLength;
  int valueOffset;
  int valueLength;
  int ttlOffset;

  HashCursor reset(final DirectBuffer buffer, final int base, final int length) {
    this.indexed = false;
    this.buffer = buffer;
    this.header = buffer;
    this.base = base;
    this.end = base + length;
    this.withTtl =
        (buffer.getInt(base + HashDescriptor.FLAGS_OFFSET) & HashDescriptor.FLAG_TTL) != 0;
    this.next = base + HashDescriptor.HEADER_LENGTH;
    return this;
  }

  /**
   * Positions before the first entry of an indexed hash.
   *
   * @param headerBuffer buffer of the record.
   * @param valueOffset offset of the record's value (the {@link HashTableDescriptor} header).
   */
  HashCursor resetIndexed(
      final SlabArena arena,
      final DirectBuffer headerBuffer,
      final int valueOffset,
      final long fieldSeed) {
    this.indexed = true;
    this.arena = arena;
    this.header = headerBuffer;
    this.base = valueOffset;
    this.fieldSeed = fieldSeed;
    final int tableRef = headerBuffer.getInt(valueOffset + HashTableDescriptor.TABLE_REF_OFFSET);
    this.table = arena.buffer(tableRef);
    this.tableOffset = SlabArena.offset(tableRef);
    this.capacity = headerBuffer.getInt(valueOffset + HashTableDescriptor.CAPACITY_OFFSET);
    this.nextSlot = 0;
    this.slot = -1;
    this.entryRef = 0;
    return this;
  }

  int count() {
    return header.getInt(base + HashDescriptor.COUNT_OFFSET);
  }

  long minExpireMs() {
    return header.getLong(base + HashDescriptor.MIN_EXPIRE_OFFSET);
  }

  int slotRef(final int s) {
    return table.getInt(tableOffset + s * HashTableDescriptor.SLOT_LENGTH);
  }

  int slotHash(final int s) {
    return table.getInt(
        tableOffset + s * HashTableDescriptor.SLOT_LENGTH + HashTableDescriptor.SLOT_HASH_OFFSET);
  }

  /** Describes the entry in slot s of an indexed hash. */
  void at(final int s) {
    final int ref = slotRef(s);
    slot = s;
    entryRef = ref;
    final UnsafeBuffer b = arena.buffer(ref);
    final int e = SlabArena.offset(ref);
    final int word = b.getInt(e + HashTableDescriptor.ENTRY_FIELD_LENGTH_OFFSET);
    buffer = b;
    entry = e;
    withTtl = (word & HashTableDescriptor.ENTRY_TTL_FLAG) != 0;
    fieldLength = word & ~HashTableDescriptor.ENTRY_TTL_FLAG;
    valueLength = b.getInt(e + HashTableDescriptor.ENTRY_VALUE_LENGTH_OFFSET);
    ttlOffset = e + HashTableDescriptor.ENTRY_TTL_OFFSET;
    fieldOffset = e + HashTableDescriptor.fieldOffset(word);
    valueOffset = fieldOffset + fieldLength;
  }

  /** Re-reads the current slot of an indexed hash after its entry changed. */
  void refresh() {
    at(slot);
  }

  long fieldHash(final DirectBuffer f, final int off, final int len) {
    return Bytes.hash(f, off, len, fieldSeed);
  }

  boolean next() {
    if (indexed) {
      for (int s = nextSlot; s < capacity; s++) {
        if (slotRef(s) != 0) {
          at(s);
          nextSlot = s + 1;
          return true;
        }
      }
      nextSlot = capacity;
      return false;
    }
    if (next >= end) {
      return false;
    }
    entry = next;
    int p = next;
    fieldLength = readLength(buffer, p);
    p += HashDescriptor.lengthSize(fieldLength);
    fieldOffset = p;
    p += fieldLength;
    valueLength = readLength(buffer, p);
    p += HashDescriptor.lengthSize(valueLength);
    valueOffset = p;
    p += valueLength;
    ttlOffset = p;
    if (withTtl) {
      p += HashDescriptor.TTL_LENGTH;
    }
    next = p;
    return true;
  }

  long ttl() {
    return withTtl ? buffer.getLong(ttlOffset) : 0;
  }

  boolean alive(final long nowMs) {
    final long t = ttl();
    return t == 0 || t > nowMs;
  }

  boolean fieldEquals(final DirectBuffer f, final int off, final int len) {
    return fieldLength == len && Bytes.equals(buffer, fieldOffset, f, off, len);
  }

  /** Positions on the entry with this field; returns false if absent. */
  boolean find(final DirectBuffer f, final int off, final int len) {
    if (indexed) {
      final int h = (int) fieldHash(f, off, len);
      final int m = capacity - 1;
      for (int s = h & m, probes = 0; probes < capacity; s = (s + 1) & m, probes++) {
        final int ref = slotRef(s);
        if (ref == 0) {
          slot = s;
          return false;
        }
        if (slotHash(s) == h) {
          at(s);
          if (fieldEquals(f, off, len)) {
            nextSlot = s + 1;
            return true;
          }
        }
      }
      return false;
    }
    next = base + HashDescriptor.HEADER_LENGTH;
    while (next()) {
      if (fieldEquals(f, off, len)) {
        return true;
      }
    }
    return false;
  }

  static int readLength(final DirectBuffer b, final int p) {
    final byte first = b.getByte(p);
    if ((first & 0x80) == 0) {
      return first;
    }
    return b.getInt(p, ByteOrder.BIG_ENDIAN) & 0x7FFFFFFF;
  }

  static int writeLength(final MutableDirectBuffer b, final int p, final int length) {
    if (length < 0x80) {
      b.putByte(p, (byte) length);
      return 1;
    }
    b.putInt(p, length | 0x80000000, ByteOrder.BIG_ENDIAN);
    return 4;
  }
}
