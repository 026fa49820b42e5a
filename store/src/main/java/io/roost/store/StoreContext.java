package io.roost.store;

/**
 * Settings of one {@link Store} (second configuration layer): filled by the server from its config
 * file and CLI, then validated once by {@link #conclude()}. Owned by the thread that builds it
 * until passed to the store; the store copies what it can change at runtime into volatile fields.
 */
public final class StoreContext {
  private int databases = StoreConfiguration.DATABASES_DEFAULT;
  private int shardsPerDatabase = StoreConfiguration.SHARDS_PER_DATABASE_DEFAULT;
  private long maxMemoryBytes = -1;
  private EvictionPolicy evictionPolicy = StoreConfiguration.EVICTION_POLICY_DEFAULT;
  private int maxMemorySamples = StoreConfiguration.MAX_MEMORY_SAMPLES_DEFAULT;
  private int lfuLogFactor = StoreConfiguration.LFU_LOG_FACTOR_DEFAULT;
  private int lfuDecayTimeMinutes = StoreConfiguration.LFU_DECAY_TIME_MINUTES_DEFAULT;
  private int hashMaxListpackEntries = StoreConfiguration.HASH_MAX_LISTPACK_ENTRIES_DEFAULT;
  private int hashMaxListpackValue = StoreConfiguration.HASH_MAX_LISTPACK_VALUE_DEFAULT;
  private int hz = StoreConfiguration.HZ_DEFAULT;
  private int expiryBudgetPerTick = StoreConfiguration.EXPIRY_BUDGET_PER_TICK_DEFAULT;
  private int initialBucketsPerShard = StoreConfiguration.INITIAL_BUCKETS_PER_SHARD_DEFAULT;
  private Clock clock = Clock.SYSTEM;
  private EffectSink effectSink = EffectSink.NONE;
  private KeyspaceEventSink keyspaceEventSink = KeyspaceEventSink.NONE;
  private long hashSeed = 0x9E3779B97F4A7C15L;
  private boolean concluded;

  /**
   * Validates and fills derived defaults; called once by the {@link Store} constructor.
   *
   * @return this.
   * @throws IllegalArgumentException naming the bad setting as {@code name=value}.
   */
  public StoreContext conclude() {
    if (concluded) {
      return this;
    }
    require(databases >= 1 && databases <= 255, "databases=" + databases);
    require(
        shardsPerDatabase >= 1
            && shardsPerDatabase <= 1 << 16
            && Integer.bitCount(shardsPerDatabase) == 1,
        "shardsPerDatabase=" + shardsPerDatabase);
    if (maxMemoryBytes < 0) {
      maxMemoryBytes = defaultMaxMemoryBytes();
    }
    require(
        maxMemorySamples >= 1 && maxMemorySamples <= 64, "maxMemorySamples=" + maxMemorySamples);
    require(lfuLogFactor >= 0, "lfuLogFactor=" + lfuLogFactor);
    require(lfuDecayTimeMinutes >= 0, "lfuDecayTimeMinutes=" + lfuDecayTimeMinutes);
    require(hashMaxListpackEntries >= 0, "hashMaxListpackEntries=" + hashMaxListpackEntries);
    require(hashMaxListpackValue >= 0, "hashMaxListpackValue=" + hashMaxListpackValue);
    require(hz >= 1 && hz <= 500, "hz=" + hz);
    require(expiryBudgetPerTick >= 1, "expiryBudgetPerTick=" + expiryBudgetPerTick);
    require(
        initialBucketsPerShard >= 1 && Integer.bitCount(initialBucketsPerShard) == 1,
        "initialBucketsPerShard=" + initialBucketsPerShard);
    require(clock != null, "clock=null");
    require(evictionPolicy != null, "evictionPolicy=null");
    require(effectSink != null, "effectSink=null");
    require(keyspaceEventSink != null, "keyspaceEventSink=null");
    concluded = true;
    return this;
  }

  /**
   * @return the default maxmemory: a share of the JVM's direct-memory limit.
   */
  public static long defaultMaxMemoryBytes() {
    return (long) (maxDirectMemoryBytes() * StoreConfiguration.MAX_MEMORY_SHARE_DEFAULT);
  }

  /**
   * @return the JVM's direct-memory limit (-XX:MaxDirectMemorySize, by default the heap maximum).
   */
  public static long maxDirectMemoryBytes() {
    long direct = Runtime.getRuntime().maxMemory();
    try {
      final Class<?> vm = Class.forName("jdk.internal.misc.VM");
      direct = (Long) vm.getMethod("maxDirectMemory").invoke(null);
    } catch (final ReflectiveOperationException | RuntimeException ignore) {
      // module not opened: the heap maximum is the JVM's default direct limit
    }
    return direct;
  }

  private static void require(final boolean ok, final String what) {
    if (!ok) {
      throw new IllegalArgumentException("invalid store setting: " + what);
    }
  }

  private void mutable() {
    if (concluded) {
      throw new IllegalStateException("StoreContext already concluded");
    }
  }

  /**
   * @return number of databases.
   */
  public int databases() {
    return databases;
  }

  /**
   * @param databases number of databases (1..255).
   * @return this.
   */
  public StoreContext databases(final int databases) {
    mutable();
    this.databases = databases;
    return this;
  }

  /**
   * @return shards per database.
   */
  public int shardsPerDatabase() {
    return shardsPerDatabase;
  }

  /**
   * @param shards power of two.
   * @return this.
   */
  public StoreContext shardsPerDatabase(final int shards) {
    mutable();
    this.shardsPerDatabase = shards;
    return this;
  }

  /**
   * @return maxmemory (after {@link #conclude()} never negative; 0 means no limit as in Redis).
   */
  public long maxMemoryBytes() {
    return maxMemoryBytes;
  }

  /**
   * @param bytes maxmemory; 0 = unlimited, negative = default share of direct memory.
   * @return this.
   */
  public StoreContext maxMemoryBytes(final long bytes) {
    mutable();
    this.maxMemoryBytes = bytes;
    return this;
  }

  /**
   * @return maxmemory-policy.
   */
  public EvictionPolicy evictionPolicy() {
    return evictionPolicy;
  }

  /**
   * @param policy maxmemory-policy.
   * @return this.
   */
  public StoreContext evictionPolicy(final EvictionPolicy policy) {
    mutable();
    this.evictionPolicy = policy;
    return this;
  }

  /**
   * @return maxmemory-samples.
   */
  public int maxMemorySamples() {
    return maxMemorySamples;
  }

  /**
   * @param samples maxmemory-samples.
   * @return this.
   */
  public StoreContext maxMemorySamples(final int samples) {
    mutable();
    this.maxMemorySamples = samples;
    return this;
  }

  /**
   * @return lfu-log-factor.
   */
  public int lfuLogFactor() {
    return lfuLogFactor;
  }

  /**
   * @param factor lfu-log-factor.
   * @return this.
   */
  public StoreContext lfuLogFactor(final int factor) {
    mutable();
    this.lfuLogFactor = factor;
    return this;
  }

  /**
   * @return lfu-decay-time in minutes.
   */
  public int lfuDecayTimeMinutes() {
    return lfuDecayTimeMinutes;
  }

  /**
   * @param minutes lfu-decay-time.
   * @return this.
   */
  public StoreContext lfuDecayTimeMinutes(final int minutes) {
    mutable();
    this.lfuDecayTimeMinutes = minutes;
    return this;
  }

  /**
   * @return hash-max-listpack-entries.
   */
  public int hashMaxListpackEntries() {
    return hashMaxListpackEntries;
  }

  /**
   * @param entries hash-max-listpack-entries.
   * @return this.
   */
  public StoreContext hashMaxListpackEntries(final int entries) {
    mutable();
    this.hashMaxListpackEntries = entries;
    return this;
  }

  /**
   * @return hash-max-listpack-value.
   */
  public int hashMaxListpackValue() {
    return hashMaxListpackValue;
  }

  /**
   * @param bytes hash-max-listpack-value.
   * @return this.
   */
  public StoreContext hashMaxListpackValue(final int bytes) {
    mutable();
    this.hashMaxListpackValue = bytes;
    return this;
  }

  /**
   * @return ticks per second the server drives.
   */
  public int hz() {
    return hz;
  }

  /**
   * @param hz ticks per second.
   * @return this.
   */
  public StoreContext hz(final int hz) {
    mutable();
    this.hz = hz;
    return this;
  }

  /**
   * @return records reclaimed per shard per tick at most.
   */
  public int expiryBudgetPerTick() {
    return expiryBudgetPerTick;
  }

  /**
   * @param budget records per shard per tick.
   * @return this.
   */
  public StoreContext expiryBudgetPerTick(final int budget) {
    mutable();
    this.expiryBudgetPerTick = budget;
    return this;
  }

  /**
   * @return initial index buckets per shard.
   */
  public int initialBucketsPerShard() {
    return initialBucketsPerShard;
  }

  /**
   * @param buckets power of two (tests use 1 to force growth).
   * @return this.
   */
  public StoreContext initialBucketsPerShard(final int buckets) {
    mutable();
    this.initialBucketsPerShard = buckets;
    return this;
  }

  /**
   * @return the clock.
   */
  public Clock clock() {
    return clock;
  }

  /**
   * @param clock time source.
   * @return this.
   */
  public StoreContext clock(final Clock clock) {
    mutable();
    this.clock = clock;
    return this;
  }

  /**
   * @return the effect sink.
   */
  public EffectSink effectSink() {
    return effectSink;
  }

  /**
   * @param sink replication seam.
   * @return this.
   */
  public StoreContext effectSink(final EffectSink sink) {
    mutable();
    this.effectSink = sink;
    return this;
  }

  /**
   * @return the keyspace event sink.
   */
  public KeyspaceEventSink keyspaceEventSink() {
    return keyspaceEventSink;
  }

  /**
   * @param sink pub/sub seam.
   * @return this.
   */
  public StoreContext keyspaceEventSink(final KeyspaceEventSink sink) {
    mutable();
    this.keyspaceEventSink = sink;
    return this;
  }

  /**
   * @return seed of the key hash.
   */
  public long hashSeed() {
    return hashSeed;
  }

  /**
   * @param seed key hash seed (randomise per process against hash flooding).
   * @return this.
   */
  public StoreContext hashSeed(final long seed) {
    mutable();
    this.hashSeed = seed;
    return this;
  }
}
