package io.roost.store;

import static io.roost.store.RecordDescriptor.*;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reusable view of one record ({@link RecordDescriptor}). Owned by the thread holding the lock of
 * the shard whose arena it wraps.
 */
final class RecordFlyweight {
  UnsafeBuffer buffer;
  int offset;
  int ref;

  RecordFlyweight wrap(final SlabArena arena, final int ref) {
    this.buffer = arena.buffer(ref);
    this.offset = SlabArena.offset(ref);
    this.ref = ref;
    return this;
  }

  int meta() {
    return buffer.getInt(offset + META_OFFSET);
  }

  void meta(final int meta) {
    buffer.putInt(offset + META_OFFSET, meta);
  }

  int type() {
    return RecordDescriptor.type(meta());
  }

  int encoding() {
    return RecordDescriptor.encoding(meta());
  }

  void encoding(final int encoding) {
    final int m = meta();
    meta(RecordDescriptor.meta(RecordDescriptor.type(m), encoding, m));
  }

  int lru() {
    return meta() & LRU_MASK;
  }

  void lru(final int lru) {
    meta((meta() & ~LRU_MASK) | (lru & LRU_MASK));
  }

  long expireAtMs() {
    return buffer.getLong(offset + EXPIRE_AT_OFFSET);
  }

  void expireAtMs(final long ms) {
    buffer.putLong(offset + EXPIRE_AT_OFFSET, ms);
  }

  int slot() {
    return buffer.getShort(offset + SLOT_OFFSET) & 0xFFFF;
  }

  int keyLength() {
    return buffer.getInt(offset + KEY_LENGTH_OFFSET);
  }

  int valueLength() {
    return buffer.getInt(offset + VALUE_LENGTH_OFFSET);
  }

  void valueLength(final int length) {
    buffer.putInt(offset + VALUE_LENGTH_OFFSET, length);
  }

  int keyOffset() {
    return offset + HEADER_LENGTH;
  }

  int valueOffset() {
    return offset + HEADER_LENGTH + keyLength();
  }

  int recordLength() {
    return HEADER_LENGTH + keyLength() + valueLength();
  }

  boolean inWheel() {
    return buffer.getInt(offset + WHEEL_PREV_OFFSET) != 0;
  }

  /** Initialises the header and copies the key; the value is left to the caller. */
  void init(
      final int type,
      final int encoding,
      final int lru,
      final int slot,
      final DirectBuffer key,
      final int keyOffset,
      final int keyLength,
      final int valueLength) {
    buffer.putLong(offset + WHEEL_NEXT_OFFSET, 0L);
    buffer.putLong(offset + EXPIRE_AT_OFFSET, 0L);
    buffer.putInt(offset + META_OFFSET, RecordDescriptor.meta(type, encoding, lru));
    buffer.putShort(offset + SLOT_OFFSET, (short) slot);
    buffer.putShort(offset + WHEEL_LIST_OFFSET, (short) 0);
    buffer.putInt(offset + KEY_LENGTH_OFFSET, keyLength);
    buffer.putInt(offset + VALUE_LENGTH_OFFSET, valueLength);
    buffer.putBytes(offset + HEADER_LENGTH, key, keyOffset, keyLength);
  }

  boolean keyEquals(final DirectBuffer key, final int keyOffset, final int keyLength) {
    if (keyLength() != keyLength) {
      return false;
    }
    return Bytes.equals(buffer, offset + HEADER_LENGTH, key, keyOffset, keyLength);
  }
}
