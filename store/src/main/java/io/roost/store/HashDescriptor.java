package io.roost.store;

/**
 * Layout of a hash value (the value bytes of a {@link RecordDescriptor} record of type HASH). All
 * encodings (listpack, listpackex, hashtable) share this packed layout today; the encoding nibble
 * of the record says what OBJECT ENCODING reports.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 entry count (incl. expired, unreclaimed)      |  0
 *  +---------------------------------------------------------------+
 *  |                 flags: bit 0 = entries carry a TTL            |  4
 *  +---------------------------------------------------------------+
 *  |          smallest field expiry (epoch ms), 0 = none           |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  | entries: len field len value [ttl: 8 bytes if flag bit 0]    ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A length is one byte when below 128, else four bytes big-endian with the top bit set. A TTL of
 * 0 means the field has none.
 */
public final class HashDescriptor {
  /** Entry count. */
  public static final int COUNT_OFFSET = 0;

  /** Flags. */
  public static final int FLAGS_OFFSET = 4;

  /** Smallest field TTL. */
  public static final int MIN_EXPIRE_OFFSET = 8;

  /** Header length. */
  public static final int HEADER_LENGTH = 16;

  /** Flag: entries carry an 8-byte TTL. */
  public static final int FLAG_TTL = 1;

  /** Bytes of a field TTL. */
  public static final int TTL_LENGTH = 8;

  private HashDescriptor() {}

  /**
   * @param length a field or value length.
   * @return bytes its encoding takes.
   */
  public static int lengthSize(final int length) {
    return length < 0x80 ? 1 : 4;
  }

  /**
   * @param fieldLength field bytes.
   * @param valueLength value bytes.
   * @param withTtl entries carry TTLs.
   * @return bytes of one entry.
   */
  public static int entryLength(
      final int fieldLength, final int valueLength, final boolean withTtl) {
    return lengthSize(fieldLength)
        + fieldLength
        + lengthSize(valueLength)
        + valueLength
        + (withTtl ? TTL_LENGTH : 0);
  }
}
