package io.roost.store;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The hash a write edits. Owned by the thread holding the shard lock; grows once, then reused.
 *
 * <p>Implementation notes: two modes behind one set of operations. Packed ({@link #load}, {@link
 * #empty}): a working copy of a {@link HashDescriptor} hash that the shard then stores in place or
 * in a new block (and converts to the indexed encoding when it passes a threshold). Indexed ({@link
 * #loadIndexed}): the operations edit the record's {@link HashTable} in place, O(1) per field;
 * {@link #failed} records an allocation failure for the shard to report as OOM. {@link #cursor} is
 * the current mode's cursor.
 */
final class HashScratch {
  final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
  private final ExpandableArrayBuffer spare = new ExpandableArrayBuffer(512);
  private final HashCursor packedCursor = new HashCursor();
  final HashTable table = new HashTable();
  HashCursor cursor = packedCursor;
  private final HashCursor spareCursor = new HashCursor();
  int length;
  int maxFieldOrValue;
  boolean indexed;
  boolean failed;

  /** Edits the indexed hash whose header is at {@code valueOffset} of a record, in place. */
  void loadIndexed(
      final SlabArena arena, final UnsafeBuffer record, final int valueOffset, final long seed) {
    indexed = true;
    failed = false;
    table.wrap(arena, record, valueOffset, seed);
    cursor = table.cursor;
  }

  void empty() {
    indexed = false;
    failed = false;
    cursor = packedCursor;
    buffer.putInt(HashDescriptor.COUNT_OFFSET, 0);
    buffer.putInt(HashDescriptor.FLAGS_OFFSET, 0);
    buffer.putLong(HashDescriptor.MIN_EXPIRE_OFFSET, 0L);
    length = HashDescriptor.HEADER_LENGTH;
    maxFieldOrValue = 0;
  }

  void load(final DirectBuffer src, final int off, final int len) {
    indexed = false;
    failed = false;
    cursor = packedCursor;
    buffer.putBytes(0, src, off, len);
    length = len;
    maxFieldOrValue = 0;
  }

  int count() {
    if (indexed) {
      return table.count();
    }
    return buffer.getInt(HashDescriptor.COUNT_OFFSET);
  }

  private void count(final int n) {
    buffer.putInt(HashDescriptor.COUNT_OFFSET, n);
  }

  boolean withTtl() {
    if (indexed) {
      return true;
    }
    return (buffer.getInt(HashDescriptor.FLAGS_OFFSET) & HashDescriptor.FLAG_TTL) != 0;
  }

  long minExpireMs() {
    if (indexed) {
      return table.minExpireMs();
    }
    return buffer.getLong(HashDescriptor.MIN_EXPIRE_OFFSET);
  }

  HashCursor iterate() {
    if (indexed) {
      return table.rewind();
    }
    return cursor.reset(buffer, 0, length);
  }

  boolean find(final DirectBuffer f, final int off, final int len) {
    if (indexed) {
      return table.find(f, off, len);
    }
    return cursor.reset(buffer, 0, length).find(f, off, len);
  }

  private void shift(final int from, final int delta) {
    if (delta == 0) {
      return;
    }
    buffer.checkLimit(length + Math.max(delta, 0));
    final byte[] a = buffer.byteArray();
    System.arraycopy(a, from, a, from + delta, length - from);
    length += delta;
  }

  /** Removes the entry the cursor is on. */
  void removeCurrent() {
    if (indexed) {
      table.removeCurrent();
      return;
    }
    final int entry = cursor.entry;
    final int next = cursor.next;
    shift(next, entry - next);
    count(count() - 1);
    cursor.next = entry;
    cursor.end = length;
  }

  private int writeEntry(
      final int p,
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final long ttl) {
    int q = p;
    q += HashCursor.writeLength(buffer, q, fLen);
    buffer.putBytes(q, f, fOff, fLen);
    q += fLen;
    q += HashCursor.writeLength(buffer, q, vLen);
    buffer.putBytes(q, v, vOff, vLen);
    q += vLen;
    if (withTtl()) {
      buffer.putLong(q, ttl);
      q += HashDescriptor.TTL_LENGTH;
    }
    maxFieldOrValue = Math.max(maxFieldOrValue, Math.max(fLen, vLen));
    return q - p;
  }

  /** Replaces the value of the entry the cursor is on, keeping or clearing its TTL. */
  void replaceCurrent(final DirectBuffer v, final int vOff, final int vLen, final boolean keepTtl) {
    if (indexed) {
      failed |= !table.replaceCurrent(v, vOff, vLen, keepTtl);
      return;
    }
    final int entry = cursor.entry;
    final int oldLength = cursor.next - entry;
    final long ttl = keepTtl ? cursor.ttl() : 0;
    final int fLen = cursor.fieldLength;
    final int newLength = HashDescriptor.entryLength(fLen, vLen, withTtl());
    // keep the field bytes: copy them aside first (they may move)
    spare.putBytes(0, buffer, cursor.fieldOffset, fLen);
    shift(cursor.next, newLength - oldLength);
    writeEntry(entry, spare, 0, fLen, v, vOff, vLen, ttl);
    cursor.reset(buffer, 0, length);
    cursor.next = entry;
    cursor.next();
  }

  void append(
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final long ttl) {
    if (indexed) {
      failed |= !table.insert(f, fOff, fLen, v, vOff, vLen, ttl);
      return;
    }
    final int len = HashDescriptor.entryLength(fLen, vLen, withTtl());
    buffer.checkLimit(length + len);
    writeEntry(length, f, fOff, fLen, v, vOff, vLen, ttl);
    length += len;
    count(count() + 1);
  }

  /** Sets the TTL of the entry the cursor is on (requires {@link #enableTtl()}). */
  void ttlCurrent(final long ttl) {
    if (indexed) {
      failed |= !table.ttlCurrent(ttl);
      return;
    }
    buffer.putLong(cursor.ttlOffset, ttl);
  }

  /** Adds an 8-byte TTL (0) to every entry. */
  void enableTtl() {
    if (indexed || withTtl()) {
      return;
    }
    spare.putBytes(0, buffer, 0, length);
    final HashCursor c = spareCursor.reset(spare, 0, length);
    final int count = count();
    buffer.putInt(HashDescriptor.FLAGS_OFFSET, HashDescriptor.FLAG_TTL);
    length = HashDescriptor.HEADER_LENGTH;
    count(0);
    while (c.next()) {
      append(spare, c.fieldOffset, c.fieldLength, spare, c.valueOffset, c.valueLength, 0L);
    }
    count(count);
  }

  /**
   * Recomputes the smallest field TTL into the header (packed); indexed hashes keep their lower
   * bound, made exact by {@link #recomputeMinExpireExact}.
   */
  long recomputeMinExpire() {
    if (indexed) {
      return table.minExpireMs();
    }
    return recomputeMinExpireExact();
  }

  /** Recomputes the smallest field TTL exactly (O(fields)). */
  long recomputeMinExpireExact() {
    if (indexed) {
      return table.recomputeMinExpire();
    }
    long min = 0;
    if (withTtl()) {
      final HashCursor c = iterate();
      while (c.next()) {
        final long t = c.ttl();
        if (t != 0 && (min == 0 || t < min)) {
          min = t;
        }
      }
    }
    buffer.putLong(HashDescriptor.MIN_EXPIRE_OFFSET, min);
    return min;
  }
}
