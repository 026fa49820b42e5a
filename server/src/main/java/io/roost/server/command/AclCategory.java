package io.roost.server.command;

/** ACL categories, with the names {@code COMMAND INFO} prints (without the '@'). */
public enum AclCategory {
  KEYSPACE,
  READ,
  WRITE,
  SET,
  SORTEDSET,
  LIST,
  HASH,
  STRING,
  BITMAP,
  HYPERLOGLOG,
  GEO,
  STREAM,
  PUBSUB,
  ADMIN,
  FAST,
  SLOW,
  BLOCKING,
  DANGEROUS,
  CONNECTION,
  TRANSACTION,
  SCRIPTING;

  public String wireName() {
    return "@" + name().toLowerCase(java.util.Locale.ROOT);
  }

  public long bit() {
    return 1L << ordinal();
  }
}
