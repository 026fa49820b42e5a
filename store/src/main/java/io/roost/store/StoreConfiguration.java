package io.roost.store;

/**
 * Defaults of the store settings (first configuration layer); {@link StoreContext} holds values.
 */
public final class StoreConfiguration {
  /** {@code databases}. */
  public static final int DATABASES_DEFAULT = 16;

  /** Shards per database (power of two). */
  public static final int SHARDS_PER_DATABASE_DEFAULT =
      Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1) << 1;

  /** Share of the direct-memory limit taken as {@code maxmemory} when none is configured. */
  public static final double MAX_MEMORY_SHARE_DEFAULT = 0.5;

  /** {@code maxmemory-policy}. */
  public static final EvictionPolicy EVICTION_POLICY_DEFAULT = EvictionPolicy.NOEVICTION;

  /** {@code maxmemory-samples}. */
  public static final int MAX_MEMORY_SAMPLES_DEFAULT = 5;

  /** {@code lfu-log-factor}. */
  public static final int LFU_LOG_FACTOR_DEFAULT = 10;

  /** {@code lfu-decay-time} in minutes. */
  public static final int LFU_DECAY_TIME_MINUTES_DEFAULT = 1;

  /** {@code hash-max-listpack-entries}. */
  public static final int HASH_MAX_LISTPACK_ENTRIES_DEFAULT = 128;

  /** {@code hash-max-listpack-value}. */
  public static final int HASH_MAX_LISTPACK_VALUE_DEFAULT = 64;

  /** {@code hz}. */
  public static final int HZ_DEFAULT = 10;

  /** Records reclaimed per shard per tick at most. */
  public static final int EXPIRY_BUDGET_PER_TICK_DEFAULT = 256;

  /** Index buckets a new shard starts with (power of two, 12 keys each). */
  public static final int INITIAL_BUCKETS_PER_SHARD_DEFAULT = 4;

  /** {@code proto-max-bulk-len}: largest string value. */
  public static final long MAX_STRING_BYTES = 512L * 1024 * 1024;

  private StoreConfiguration() {}
}
