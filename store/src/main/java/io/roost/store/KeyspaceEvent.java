package io.roost.store;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace events as Redis names them ({@code __keyevent@<db>__:<name>}). {@link #id} is stable
 * (append only) because events cross the wire between nodes; {@link #classChar} is the
 * notify-keyspace-events class letter that enables it.
 */
public enum KeyspaceEvent {
  /** Key created. */
  NEW(0, "new", 'n'),
  /** String set. */
  SET(1, "set", '$'),
  /** Key deleted by a command. */
  DEL(2, "del", 'g'),
  /** TTL set. */
  EXPIRE(3, "expire", 'g'),
  /** Key reclaimed by expiry. */
  EXPIRED(4, "expired", 'x'),
  /** Key evicted for memory. */
  EVICTED(5, "evicted", 'e'),
  /** RENAME source. */
  RENAME_FROM(6, "rename_from", 'g'),
  /** RENAME destination. */
  RENAME_TO(7, "rename_to", 'g'),
  /** Hash field set. */
  HSET(8, "hset", 'h'),
  /** Hash field deleted. */
  HDEL(9, "hdel", 'h'),
  /** HINCRBY. */
  HINCRBY(10, "hincrby", 'h'),
  /** HINCRBYFLOAT. */
  HINCRBYFLOAT(11, "hincrbyfloat", 'h'),
  /** Hash field TTL set. */
  HEXPIRE(12, "hexpire", 'h'),
  /** Hash fields reclaimed by expiry. */
  HEXPIRED(13, "hexpired", 'h'),
  /** Hash field TTL removed. */
  HPERSIST(14, "hpersist", 'h'),
  /** INCR/INCRBY/DECR/DECRBY. */
  INCRBY(15, "incrby", '$'),
  /** INCRBYFLOAT. */
  INCRBYFLOAT(16, "incrbyfloat", '$'),
  /** APPEND. */
  APPEND(17, "append", '$'),
  /** SETRANGE. */
  SETRANGE(18, "setrange", '$'),
  /** TTL removed. */
  PERSIST(19, "persist", 'g'),
  /** MOVE source db. */
  MOVE_FROM(20, "move_from", 'g'),
  /** MOVE target db. */
  MOVE_TO(21, "move_to", 'g'),
  /** COPY destination. */
  COPY_TO(22, "copy_to", 'g');

  private static final KeyspaceEvent[] BY_ID = values();

  /** Stable wire id. */
  public final int id;

  /** notify-keyspace-events class letter. */
  public final char classChar;

  private final byte[] name;

  KeyspaceEvent(final int id, final String name, final char classChar) {
    this.id = id;
    this.name = name.getBytes(StandardCharsets.US_ASCII);
    this.classChar = classChar;
  }

  /**
   * @return event name bytes; do not modify.
   */
  public byte[] nameBytes() {
    return name;
  }

  /**
   * @return event name.
   */
  public String redisName() {
    return new String(name, StandardCharsets.US_ASCII);
  }

  /**
   * @param id wire id.
   * @return the event.
   */
  public static KeyspaceEvent ofId(final int id) {
    return BY_ID[id];
  }
}
