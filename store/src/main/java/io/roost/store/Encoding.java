package io.roost.store;

import java.nio.charset.StandardCharsets;

/** Value encodings as OBJECT ENCODING names them; {@link #id} is the stable 4-bit record tag. */
public enum Encoding {
  /** String holding a canonical 64-bit integer. */
  INT(0, "int"),
  /** String of at most 44 bytes created in one piece. */
  EMBSTR(1, "embstr"),
  /** Other strings. */
  RAW(2, "raw"),
  /** Packed hash. */
  LISTPACK(3, "listpack"),
  /** Packed hash whose fields carry TTLs. */
  LISTPACK_EX(4, "listpackex"),
  /** Large hash. */
  HASHTABLE(5, "hashtable"),
  /** Planned list encoding. */
  QUICKLIST(6, "quicklist"),
  /** Planned set encoding. */
  INTSET(7, "intset"),
  /** Planned sorted-set encoding. */
  SKIPLIST(8, "skiplist"),
  /** Planned stream encoding. */
  STREAM(9, "stream");

  private static final Encoding[] BY_ID = new Encoding[16];

  static {
    for (final Encoding e : values()) {
      BY_ID[e.id] = e;
    }
  }

  /** Stable record tag. */
  public final int id;

  private final byte[] name;

  Encoding(final int id, final String name) {
    this.id = id;
    this.name = name.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * @return OBJECT ENCODING reply bytes; do not modify.
   */
  public byte[] nameBytes() {
    return name;
  }

  /**
   * @return OBJECT ENCODING reply text.
   */
  public String redisName() {
    return new String(name, StandardCharsets.US_ASCII);
  }

  /**
   * @param id record tag.
   * @return the encoding or null.
   */
  public static Encoding ofId(final int id) {
    return BY_ID[id & 15];
  }
}
