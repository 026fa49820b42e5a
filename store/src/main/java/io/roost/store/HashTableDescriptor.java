package io.roost.store;

/**
 * Layout of an indexed hash (encoding {@code hashtable}): the record's value is a fixed header that
 * names a per-hash open-addressing table; every field is its own {@link SlabArena} block in the
 * shard's arena. Native byte order. Only a hash's own shard reads these refs: state transfer and
 * copies serialise the hash to the packed {@link HashDescriptor} layout (with the {@code hashtable}
 * encoding tag) and the receiver indexes it again.
 *
 * <pre>
 *  record value (fixed, HEADER_LENGTH bytes; count and min expiry at the packed offsets)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |             entry count (incl. expired, unreclaimed)          |  0
 *  +---------------------------------------------------------------+
 *  |              flags: bit 0 = some entry has carried a TTL      |  4
 *  +---------------------------------------------------------------+
 *  |   smallest field expiry (epoch ms) or earlier, 0 = none       |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    table ref (SlabArena block)                | 16
 *  +---------------------------------------------------------------+
 *  |                table capacity (slots, power of two)           | 20
 *  +---------------------------------------------------------------+
 *  |      block bytes of the table and all entries (MEMORY USAGE)  | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *
 *  table: capacity slots of 8 bytes, linear probing from home = hash & (capacity - 1)
 *  +---------------------------------------------------------------+
 *  |                 entry ref (0 = empty slot)                    |  0
 *  +---------------------------------------------------------------+
 *  |                 low 32 bits of the field's hash               |  4
 *  +---------------------------------------------------------------+
 *
 *  entry block
 *  +-+-------------------------------------------------------------+
 *  |T|                     field length                            |  0
 *  +-+-------------------------------------------------------------+
 *  |                       value length                            |  4
 *  +---------------------------------------------------------------+
 *  |   field TTL (epoch ms, 0 = none): only when T is set          |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                field bytes, then value bytes                 ... 8 or 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The table's load stays at most 3/4 (it doubles by rehashing the one hash: a per-key cost) and
 * at least 1/8 once above {@link #MIN_CAPACITY} (it halves when deletions make it sparse), so
 * memory is proportional to the live fields and a random slot is occupied with probability at least
 * 1/8 (HRANDFIELD). Deletion shifts later entries of the probe run back (no tombstones). HSCAN
 * walks home slots in reverse-binary order (Redis dictScan), which returns every field present for
 * the whole scan even when the table is resized between calls.
 */
public final class HashTableDescriptor {
  /** Entry count (same offset as the packed layout). */
  public static final int COUNT_OFFSET = HashDescriptor.COUNT_OFFSET;

  /** Flags (same offset as the packed layout). */
  public static final int FLAGS_OFFSET = HashDescriptor.FLAGS_OFFSET;

  /** Lower bound of the smallest field TTL (same offset as the packed layout). */
  public static final int MIN_EXPIRE_OFFSET = HashDescriptor.MIN_EXPIRE_OFFSET;

  /** Table block ref. */
  public static final int TABLE_REF_OFFSET = 16;

  /** Table capacity in slots. */
  public static final int CAPACITY_OFFSET = 20;

  /** Bytes of the table and entry blocks. */
  public static final int BLOCK_BYTES_OFFSET = 24;

  /** Record value length. */
  public static final int HEADER_LENGTH = 32;

  /** Bytes of a table slot. */
  public static final int SLOT_LENGTH = 8;

  /** Offset of the entry ref in a slot. */
  public static final int SLOT_REF_OFFSET = 0;

  /** Offset of the hash bits in a slot. */
  public static final int SLOT_HASH_OFFSET = 4;

  /** Smallest table. */
  public static final int MIN_CAPACITY = 16;

  /** Largest table (its block must stay below 2 GiB). */
  public static final int MAX_CAPACITY = 1 << 27;

  /** Entry field length word. */
  public static final int ENTRY_FIELD_LENGTH_OFFSET = 0;

  /** Entry value length. */
  public static final int ENTRY_VALUE_LENGTH_OFFSET = 4;

  /** Entry TTL, when present. */
  public static final int ENTRY_TTL_OFFSET = 8;

  /** Entry header without a TTL. */
  public static final int ENTRY_HEADER_LENGTH = 8;

  /** Bit of the field length word: the entry carries a TTL. */
  public static final int ENTRY_TTL_FLAG = 1 << 31;

  private HashTableDescriptor() {}

  /**
   * @param fieldLength field bytes.
   * @param valueLength value bytes.
   * @param withTtl entry carries a TTL.
   * @return bytes of the entry block's content.
   */
  public static long entryLength(
      final int fieldLength, final int valueLength, final boolean withTtl) {
    return ENTRY_HEADER_LENGTH
        + (withTtl ? HashDescriptor.TTL_LENGTH : 0)
        + (long) fieldLength
        + valueLength;
  }

  /**
   * @param fieldLengthWord the entry's first int.
   * @return offset of the field bytes within the entry.
   */
  public static int fieldOffset(final int fieldLengthWord) {
    return (fieldLengthWord & ENTRY_TTL_FLAG) != 0
        ? ENTRY_HEADER_LENGTH + HashDescriptor.TTL_LENGTH
        : ENTRY_HEADER_LENGTH;
  }

  /**
   * @param entries fields to hold.
   * @return table capacity for that many fields at a load of at most 3/4.
   */
  public static int capacityFor(final long entries) {
    long cap = MIN_CAPACITY;
    while (cap * 3 / 4 < entries && cap < MAX_CAPACITY) {
      cap <<= 1;
    }
    return (int) cap;
  }
}
