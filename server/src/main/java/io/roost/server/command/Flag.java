package io.roost.server.command;

/** Command flags, with the names {@code COMMAND INFO} prints. Ordinals are bit positions. */
public enum Flag {
  WRITE("write"),
  READONLY("readonly"),
  DENYOOM("denyoom"),
  ADMIN_FLAG("admin"),
  PUBSUB("pubsub"),
  NOSCRIPT("noscript"),
  BLOCKING("blocking"),
  LOADING("loading"),
  STALE("stale"),
  SKIP_MONITOR("skip_monitor"),
  SKIP_SLOWLOG("skip_slowlog"),
  FAST("fast"),
  NO_AUTH("no_auth"),
  MAY_REPLICATE("may_replicate"),
  SENTINEL("sentinel"),
  NO_MULTI("no_multi"),
  MOVABLEKEYS("movablekeys"),
  ALLOW_BUSY("allow_busy"),
  /**
   * Run only by the server's internal client for other nodes (as Redis 8's internal commands):
   * unknown to every other client and left out of {@code COMMAND}.
   */
  INTERNAL("internal");

  private final String wireName;

  Flag(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public long bit() {
    return 1L << ordinal();
  }

  /** The bit mask of {@code flags}. */
  public static long mask(Flag... flags) {
    long m = 0;
    for (Flag f : flags) {
      m |= f.bit();
    }
    return m;
  }
}
