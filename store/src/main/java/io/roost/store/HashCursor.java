package io.roost.store;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Walks the entries of a packed hash ({@link HashDescriptor}) in any buffer (a record or the
 * shard's scratch copy). Owned by the thread holding the shard lock.
 */
final class HashCursor {
  DirectBuffer buffer;
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
    this.buffer = buffer;
    this.base = base;
    this.end = base + length;
    this.withTtl =
        (buffer.getInt(base + HashDescriptor.FLAGS_OFFSET) & HashDescriptor.FLAG_TTL) != 0;
    this.next = base + HashDescriptor.HEADER_LENGTH;
    return this;
  }

  int count() {
    return buffer.getInt(base + HashDescriptor.COUNT_OFFSET);
  }

  long minExpireMs() {
    return buffer.getLong(base + HashDescriptor.MIN_EXPIRE_OFFSET);
  }

  boolean next() {
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
