package io.roost.store;

import java.nio.charset.StandardCharsets;

/** Redis value types; {@link #id} is the stable 4-bit tag stored in records (append only). */
public enum ValueType {
  /** No such key. */
  NONE(0, "none"),
  /** String. */
  STRING(1, "string"),
  /** List (planned). */
  LIST(2, "list"),
  /** Set (planned). */
  SET(3, "set"),
  /** Sorted set (planned). */
  ZSET(4, "zset"),
  /** Hash. */
  HASH(5, "hash"),
  /** Stream (planned). */
  STREAM(6, "stream");

  private static final ValueType[] BY_ID = new ValueType[16];

  static {
    for (final ValueType t : values()) {
      BY_ID[t.id] = t;
    }
  }

  /** Stable record tag. */
  public final int id;

  private final byte[] name;

  ValueType(final int id, final String name) {
    this.id = id;
    this.name = name.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * @return the TYPE reply bytes; do not modify.
   */
  public byte[] nameBytes() {
    return name;
  }

  /**
   * @return the TYPE reply text.
   */
  public String redisName() {
    return new String(name, StandardCharsets.US_ASCII);
  }

  /**
   * @param id record tag.
   * @return the type, or null for an unknown tag.
   */
  public static ValueType ofId(final int id) {
    return BY_ID[id & 15];
  }

  /**
   * @param name a TYPE name, any case (SCAN TYPE filter).
   * @return the type or null.
   */
  public static ValueType ofName(final String name) {
    for (final ValueType t : values()) {
      if (t != NONE && t.redisName().equalsIgnoreCase(name)) {
        return t;
      }
    }
    return null;
  }
}
