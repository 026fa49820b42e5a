package io.roost.store;

import java.nio.charset.StandardCharsets;

/** {@code maxmemory-policy} values. */
public enum EvictionPolicy {
  /** Reject writes needing memory. */
  NOEVICTION("noeviction", false, false),
  /** Approximate LRU among all keys. */
  ALLKEYS_LRU("allkeys-lru", true, false),
  /** Approximate LRU among keys with a TTL. */
  VOLATILE_LRU("volatile-lru", false, false),
  /** Approximate LFU among all keys. */
  ALLKEYS_LFU("allkeys-lfu", true, true),
  /** Approximate LFU among keys with a TTL. */
  VOLATILE_LFU("volatile-lfu", false, true),
  /** Random key. */
  ALLKEYS_RANDOM("allkeys-random", true, false),
  /** Random key with a TTL. */
  VOLATILE_RANDOM("volatile-random", false, false),
  /** Key with the nearest expiry. */
  VOLATILE_TTL("volatile-ttl", false, false);

  private final String redisName;
  private final boolean allKeys;
  private final boolean lfu;

  EvictionPolicy(final String redisName, final boolean allKeys, final boolean lfu) {
    this.redisName = redisName;
    this.allKeys = allKeys;
    this.lfu = lfu;
  }

  /**
   * @return the CONFIG name.
   */
  public String redisName() {
    return redisName;
  }

  /**
   * @return CONFIG name bytes.
   */
  public byte[] nameBytes() {
    return redisName.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * @return true if any key may be evicted, false for volatile-* policies (and noeviction).
   */
  public boolean allKeys() {
    return allKeys;
  }

  /**
   * @return true if records keep an LFU counter instead of an LRU clock.
   */
  public boolean lfu() {
    return lfu;
  }

  /**
   * @param name a policy name, any case.
   * @return the policy or null.
   */
  public static EvictionPolicy ofName(final String name) {
    for (final EvictionPolicy p : values()) {
      if (p.redisName.equalsIgnoreCase(name)) {
        return p;
      }
    }
    return null;
  }
}
