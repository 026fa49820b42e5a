package io.roost.store;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Working copy of a packed hash while a write rebuilds it; the shard then stores the result in
 * place or in a new block. Owned by the thread holding the shard lock; grows once, then reused.
 */
final class HashScratch {
  final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
  private final ExpandableArrayBuffer spare = new ExpandableArrayBuffer(512);
  final HashCursor cursor = new HashCursor();
  private final HashCursor spareCursor = new HashCursor();
  int length;
  int maxFieldOrValue;

  void empty() {
    buffer.putInt(HashDescriptor.COUNT_OFFSET, 0);
    buffer.putInt(HashDescriptor.FLAGS_OFFSET, 0);
    buffer.putLong(HashDescriptor.MIN_EXPIRE_OFFSET, 0L);
    length = HashDescriptor.HEADER_LENGTH;
    maxFieldOrValue = 0;
  }

  void load(final DirectBuffer src, final int off, final int len) {
    buffer.putBytes(0, src, off, len);
    length = len;
    maxFieldOrValue = 0;
  }

  int count() {
    return buffer.getInt(HashDescriptor.COUNT_OFFSET);
  }

  private void count(final int n) {
    buffer.putInt(HashDescriptor.COUNT_OFFSET, n);
  }

  boolean withTtl() {
    return (buffer.getInt(HashDescriptor.FLAGS_OFFSET) & HashDescriptor.FLAG_TTL) != 0;
  }

  long minExpireMs() {
    return buffer.getLong(HashDescriptor.MIN_EXPIRE_OFFSET);
  }

  HashCursor iterate() {
    return cursor.reset(buffer, 0, length);
  }

  boolean find(final DirectBuffer f, final int off, final int len) {
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
    final int len = HashDescriptor.entryLength(fLen, vLen, withTtl());
    buffer.checkLimit(length + len);
    writeEntry(length, f, fOff, fLen, v, vOff, vLen, ttl);
    length += len;
    count(count() + 1);
  }

  /** Sets the TTL of the entry the cursor is on (requires {@link #enableTtl()}). */
  void ttlCurrent(final long ttl) {
    buffer.putLong(cursor.ttlOffset, ttl);
  }

  /** Adds an 8-byte TTL (0) to every entry. */
  void enableTtl() {
    if (withTtl()) {
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

  /** Recomputes the smallest field TTL into the header. */
  long recomputeMinExpire() {
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
