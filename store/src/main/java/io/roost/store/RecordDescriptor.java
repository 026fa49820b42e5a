package io.roost.store;

/**
 * Layout of one keyspace record (one per key) in a {@link SlabArena} block. Native byte order.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        wheel next: ref of next record in its wheel list       |  0
 *  +---------------------------------------------------------------+
 *  |  wheel prev: ref, or -(list + 1) at a list head, 0 = unlinked |  4
 *  +---------------------------------------------------------------+
 *  |               expire at: epoch ms, 0 = no TTL                 |  8
 *  |                                                               |
 *  +-------+-------+-----------------------------------------------+
 *  | type  |  enc  |   LRU clock (s) or LFU (minutes:16|count:8)   | 16
 *  +-------+-------+---------------+-------------------------------+
 *  |   cluster slot (CRC16 & 16383)  |  wheel list + 1 (0 = none)  | 20
 *  +---------------------------------------------------------------+
 *  |                        key length                             | 24
 *  +---------------------------------------------------------------+
 *  |                       value length                            | 28
 *  +---------------------------------------------------------------+
 *  |                      key bytes ...                           ...  32
 *  +---------------------------------------------------------------+
 *  |                      value bytes ...  (string bytes, or a      ...
 *  |                      packed hash: see HashDescriptor)           |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The wheel links make the expiry wheel intrusive (no side allocation per TTL). A free block
 * holds the free-list link at offset 0 and {@link #FREE_META} at {@link #META_OFFSET}, so a stale
 * ref (eviction pool) is recognisable. Records are self-contained and position independent: slot
 * state transfer can ship them as raw bytes after clearing the wheel links.
 */
public final class RecordDescriptor {
  /** Wheel next link. */
  public static final int WHEEL_NEXT_OFFSET = 0;

  /** Wheel prev link. */
  public static final int WHEEL_PREV_OFFSET = 4;

  /** Absolute expiry. */
  public static final int EXPIRE_AT_OFFSET = 8;

  /** type:4 | encoding:4 | lru:24. */
  public static final int META_OFFSET = 16;

  /** Cluster slot (short). */
  public static final int SLOT_OFFSET = 20;

  /** Wheel list the record is linked in, plus one (short; 0 = not in the wheel). */
  public static final int WHEEL_LIST_OFFSET = 22;

  /** Key length (int). */
  public static final int KEY_LENGTH_OFFSET = 24;

  /** Value length (int). */
  public static final int VALUE_LENGTH_OFFSET = 28;

  /** Header length; key bytes follow. */
  public static final int HEADER_LENGTH = 32;

  /** Number of cluster slots the slot field ranges over (Redis Cluster's 16384). */
  public static final int SLOT_COUNT = 16384;

  /** Type nibble of a free block. */
  public static final int FREE_TYPE = 15;

  /** Meta word of a free block. */
  public static final int FREE_META = FREE_TYPE << 28;

  /** Mask of the LRU/LFU bits. */
  public static final int LRU_MASK = (1 << 24) - 1;

  private RecordDescriptor() {}

  /**
   * @param keyLength key bytes.
   * @param valueLength value bytes.
   * @return record bytes.
   */
  public static long recordLength(final int keyLength, final long valueLength) {
    return HEADER_LENGTH + (long) keyLength + valueLength;
  }

  /**
   * @param recordOffset record start.
   * @return key offset.
   */
  public static int keyOffset(final int recordOffset) {
    return recordOffset + HEADER_LENGTH;
  }

  /**
   * @param recordOffset record start.
   * @param keyLength key length.
   * @return value offset.
   */
  public static int valueOffset(final int recordOffset, final int keyLength) {
    return recordOffset + HEADER_LENGTH + keyLength;
  }

  /**
   * @param type value type id.
   * @param encoding encoding id.
   * @param lru LRU/LFU bits.
   * @return the meta word.
   */
  public static int meta(final int type, final int encoding, final int lru) {
    return (type << 28) | ((encoding & 15) << 24) | (lru & LRU_MASK);
  }

  /**
   * @param meta meta word.
   * @return type id.
   */
  public static int type(final int meta) {
    return meta >>> 28;
  }

  /**
   * @param meta meta word.
   * @return encoding id.
   */
  public static int encoding(final int meta) {
    return (meta >>> 24) & 15;
  }

  /**
   * Whether {@code length} bytes at {@code b[offset]} hold one whole raw record whose lengths are
   * consistent and whose type is a value type (a record received from another node).
   *
   * @param b buffer.
   * @param offset record start.
   * @param length bytes available.
   * @return true if the record can be installed.
   */
  public static boolean wellFormed(
      final org.agrona.DirectBuffer b, final int offset, final int length) {
    if (length < HEADER_LENGTH) {
      return false;
    }
    final int keyLength = b.getInt(offset + KEY_LENGTH_OFFSET);
    final int valueLength = b.getInt(offset + VALUE_LENGTH_OFFSET);
    final int type = type(b.getInt(offset + META_OFFSET));
    return keyLength >= 0
        && valueLength >= 0
        && recordLength(keyLength, valueLength) <= length
        && type > 0
        && type != FREE_TYPE
        && b.getLong(offset + EXPIRE_AT_OFFSET) >= 0;
  }
}
