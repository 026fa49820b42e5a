package io.roost.store;

/**
 * Wire layout of one effect (replication record). Numbers are little-endian; the layout and the op
 * ids are append only (frozen by a golden test).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      op       |      db       |          arg count            |
 *  +---------------+---------------+-------------------------------+
 *  |                       arg 0 length (int)                      |
 *  +---------------------------------------------------------------+
 *  |                       arg 0 bytes ...                        ...
 *  +---------------------------------------------------------------+
 *  |                       arg 1 length ...                       ...
 * </pre>
 *
 * <p>Numeric arguments (times, db numbers, flags) are 8-byte little-endian longs as 8-byte args.
 *
 * <ul>
 *   <li>{@link #RESERVED_RECORD} (0) — never an effect: marks a raw record in a state-transfer
 *       batch.
 *   <li>{@link #SET} key value pxat — string value and absolute expiry (0 = none).
 *   <li>{@link #DEL} key — delete (command, expiry or eviction).
 *   <li>{@link #PEXPIREAT} key pxat; {@link #PERSIST} key.
 *   <li>{@link #HSET} key (field value)+ — overwrites clear field TTLs, as HSET does.
 *   <li>{@link #HDEL} key field+ — the key goes when its last field does.
 *   <li>{@link #HPEXPIREAT} key pxat field+; {@link #HPERSIST} key field+.
 *   <li>{@link #RENAME} src dst; {@link #MOVE} key dstDb; {@link #COPY} src dst dstDb replace.
 *   <li>{@link #FLUSHDB}; {@link #FLUSHALL}; {@link #SWAPDB} a b.
 *   <li>{@link #RESTORE} key record flags — installs a raw record ({@link RecordDescriptor} layout,
 *       indexed hashes packed; its own key ignored) under key, replacing it; flags as {@link
 *       Database#restoreRecord} (only {@link Database#RESTORE_RENAMED} matters on replay).
 * </ul>
 */
public final class EffectDescriptor {
  /** Offset of the op id byte. */
  public static final int OP_OFFSET = 0;

  /** Offset of the db byte. */
  public static final int DB_OFFSET = 1;

  /** Offset of the 16-bit argument count. */
  public static final int ARG_COUNT_OFFSET = 2;

  /** Header length; arguments follow. */
  public static final int HEADER_LENGTH = 4;

  /** never an effect: marks a raw record in a state-transfer batch. */
  public static final int RESERVED_RECORD = 0;

  /** SET key value pxat. */
  public static final int SET = 1;

  /** DEL key. */
  public static final int DEL = 2;

  /** PEXPIREAT key pxat. */
  public static final int PEXPIREAT = 3;

  /** PERSIST key. */
  public static final int PERSIST = 4;

  /** HSET key field value .... */
  public static final int HSET = 5;

  /** HDEL key field .... */
  public static final int HDEL = 6;

  /** HPEXPIREAT key pxat field .... */
  public static final int HPEXPIREAT = 7;

  /** HPERSIST key field .... */
  public static final int HPERSIST = 8;

  /** RENAME src dst. */
  public static final int RENAME = 9;

  /** MOVE key dstDb. */
  public static final int MOVE = 10;

  /** COPY src dst dstDb replace. */
  public static final int COPY = 11;

  /** FLUSHDB. */
  public static final int FLUSHDB = 12;

  /** FLUSHALL. */
  public static final int FLUSHALL = 13;

  /** SWAPDB a b. */
  public static final int SWAPDB = 14;

  /** RESTORE key record flags (a key moved here from a slot of another node). */
  public static final int RESTORE = 15;

  private EffectDescriptor() {}
}
