package io.roost.store;

import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.DirectBuffer;

/**
 * The keyspace: all databases, their shards, memory accounting, eviction, active expiry and the
 * replication/pub-sub seams. Thread-safe; create one per process.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li><b>Threads.</b> Request threads call {@link Database} methods; a scheduler calls {@link
 *       #tick(int, long, int)} for every shard {@code hz} times per second (or {@link #tickAll}).
 *       Each shard has its own lock; multi-key operations lock shards sorted by global id (db *
 *       shardsPerDatabase + shard). No global lock on the request path; eviction serialises on
 *       {@link #evictionLock} and locks one shard at a time, never while holding another.
 *   <li><b>Memory.</b> {@link MemoryBudget#usedBytes} counts live blocks and index tables. A write
 *       that may grow memory calls {@link #ensureMemory()} before taking its lock: above maxmemory
 *       it evicts by policy (sampled, Redis's eviction pool of 16) until below, or fails with OOM.
 *       One in-flight write may overshoot the limit, as in Redis.
 *   <li><b>Expiry.</b> Lazy on every access; active through each shard's wheel in {@link #tick}. On
 *       a backup ({@link #expiryActive(boolean)} false) nothing is deleted: expired keys are only
 *       hidden from reads and the primary's DEL effects remove them.
 *   <li><b>LRU/LFU.</b> 24 bits per record as in Redis: LRU clock in seconds, or LFU minutes:16 |
 *       logarithmic counter:8 with lfu-log-factor and lfu-decay-time.
 * </ul>
 */
public final class Store implements AutoCloseable {
  static final int LFU_INIT_VAL = 5;
  static final int RENAME = 0;
  static final int RENAMENX = 1;
  static final int COPY = 2;
  static final int COPY_REPLACE = 3;
  static final int MOVE = 4;
  private static final int POOL_SIZE = 16;

  final StoreContext context;
  final Clock clock;
  final MemoryBudget memory;
  final long hashSeed;
  final EffectSink effects;
  final boolean effectsOn;
  final KeyspaceEventSink events;
  final boolean eventsOn;

  volatile EvictionPolicy policy;
  volatile int maxMemorySamples;
  volatile int lfuLogFactor;
  volatile int lfuDecayTimeMinutes;
  volatile int hashMaxListpackEntries;
  volatile int hashMaxListpackValue;
  volatile boolean expiryActive = true;
  volatile java.util.function.IntPredicate activeSlots = ALL_SLOTS;

  private static final java.util.function.IntPredicate ALL_SLOTS = slot -> true;

  private final Database[] databases;
  private final Shard[] shards;
  private final int shardsPerDatabase;
  private final ReentrantLock evictionLock = new ReentrantLock();
  private final long[] poolScore = new long[POOL_SIZE];
  private final int[] poolShard = new int[POOL_SIZE];
  private final int[] poolRef = new int[POOL_SIZE];
  private final int[] poolEpoch = new int[POOL_SIZE];
  private int poolSize;

  /**
   * Creates the store.
   *
   * @param context settings; concluded here.
   */
  public Store(final StoreContext context) {
    this.context = context.conclude();
    this.clock = context.clock();
    this.memory = new MemoryBudget(context.maxMemoryBytes());
    this.hashSeed = context.hashSeed();
    this.effects = context.effectSink();
    this.effectsOn = effects != EffectSink.NONE;
    this.events = context.keyspaceEventSink();
    this.eventsOn = events != KeyspaceEventSink.NONE;
    this.policy = context.evictionPolicy();
    this.maxMemorySamples = context.maxMemorySamples();
    this.lfuLogFactor = context.lfuLogFactor();
    this.lfuDecayTimeMinutes = context.lfuDecayTimeMinutes();
    this.hashMaxListpackEntries = context.hashMaxListpackEntries();
    this.hashMaxListpackValue = context.hashMaxListpackValue();
    this.shardsPerDatabase = context.shardsPerDatabase();
    this.databases = new Database[context.databases()];
    this.shards = new Shard[context.databases() * shardsPerDatabase];
    for (int d = 0; d < databases.length; d++) {
      final Shard[] dbShards = new Shard[shardsPerDatabase];
      for (int i = 0; i < shardsPerDatabase; i++) {
        final int global = d * shardsPerDatabase + i;
        dbShards[i] = new Shard(this, d, i, global);
        shards[global] = dbShards[i];
      }
      databases[d] = new Database(this, d, dbShards);
    }
  }

  // ------------------------------------------------------------------ access

  /**
   * @param index 0..databases-1.
   * @return the database.
   */
  public Database database(final int index) {
    return databases[index];
  }

  /**
   * @return number of databases.
   */
  public int databaseCount() {
    return databases.length;
  }

  /**
   * @return shards per database.
   */
  public int shardsPerDatabase() {
    return shardsPerDatabase;
  }

  /**
   * @return the clock the store expires by (the server computes absolute times with it).
   */
  public Clock clock() {
    return clock;
  }

  // ------------------------------------------------------------------ runtime config (CONFIG SET)

  /**
   * @param bytes maxmemory, 0 = unlimited.
   */
  public void maxMemoryBytes(final long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("maxmemory=" + bytes);
    }
    memory.maxMemoryBytes = bytes;
  }

  /**
   * @return maxmemory.
   */
  public long maxMemoryBytes() {
    return memory.maxMemoryBytes;
  }

  /**
   * @param p maxmemory-policy.
   */
  public void evictionPolicy(final EvictionPolicy p) {
    policy = java.util.Objects.requireNonNull(p, "policy");
  }

  /**
   * @return maxmemory-policy.
   */
  public EvictionPolicy evictionPolicy() {
    return policy;
  }

  /**
   * @param samples maxmemory-samples (1..64).
   */
  public void maxMemorySamples(final int samples) {
    if (samples < 1 || samples > 64) {
      throw new IllegalArgumentException("maxmemory-samples=" + samples);
    }
    maxMemorySamples = samples;
  }

  /**
   * @param factor lfu-log-factor.
   */
  public void lfuLogFactor(final int factor) {
    lfuLogFactor = factor;
  }

  /**
   * @param minutes lfu-decay-time.
   */
  public void lfuDecayTimeMinutes(final int minutes) {
    lfuDecayTimeMinutes = minutes;
  }

  /**
   * @param entries hash-max-listpack-entries.
   */
  public void hashMaxListpackEntries(final int entries) {
    hashMaxListpackEntries = entries;
  }

  /**
   * @param bytes hash-max-listpack-value.
   */
  public void hashMaxListpackValue(final int bytes) {
    hashMaxListpackValue = bytes;
  }

  /**
   * Primary (true, default) expires and evicts; a backup (false) only hides expired entries.
   *
   * @param active whether this node reclaims expired keys.
   */
  public void expiryActive(final boolean active) {
    expiryActive = active;
  }

  /**
   * Which cluster slots this node reclaims: only a slot's primary expires and evicts (DESIGN.md,
   * Cluster). For a key in a slot the predicate rejects, the expiry wheel does not delete it (it
   * looks again about a second later, so a slot that becomes active is reclaimed), eviction never
   * picks it, and a read hides it once expired (lazy check) without deleting it; a write still sees
   * it, so the primary's replicated writes and DEL apply. Default: every slot active. Combined with
   * {@link #expiryActive(boolean)} (false makes every slot inactive for expiry). Called from any
   * thread; the predicate is called under shard locks, so it must be fast, thread-safe and must not
   * call the store.
   *
   * @param active slot (0..16383) to true when this node is the slot's primary.
   */
  public void activeSlots(final java.util.function.IntPredicate active) {
    activeSlots = java.util.Objects.requireNonNull(active, "active");
  }

  // ------------------------------------------------------------------ LRU / LFU

  int lruClock(final long nowMs) {
    return (int) ((nowMs / 1000) & RecordDescriptor.LRU_MASK);
  }

  long idleMs(final int lru, final long nowMs) {
    final int c = lruClock(nowMs);
    return c >= lru
        ? (long) (c - lru) * 1000
        : (long) (c + (RecordDescriptor.LRU_MASK - lru)) * 1000;
  }

  int lfuMinutes(final long nowMs) {
    return (int) ((nowMs / 60000) & 65535);
  }

  int lfuDecr(final int lfu, final long nowMs) {
    final int ldt = lfu >>> 8;
    int counter = lfu & 255;
    final int nowMin = lfuMinutes(nowMs);
    final int elapsed = nowMin >= ldt ? nowMin - ldt : 65535 - ldt + nowMin;
    final int decay = lfuDecayTimeMinutes;
    final int periods = decay > 0 ? elapsed / decay : 0;
    counter = periods > counter ? 0 : counter - periods;
    return counter;
  }

  static int lfuLogIncr(final int counter, final int factor) {
    if (counter == 255) {
      return 255;
    }
    final double r = ThreadLocalRandom.current().nextDouble();
    final double base = Math.max(0, counter - LFU_INIT_VAL);
    final double p = 1.0 / (base * factor + 1);
    return r < p ? counter + 1 : counter;
  }

  // ------------------------------------------------------------------ expiry

  /**
   * One active-expiry step of one shard; call {@code hz} times a second per shard.
   *
   * @param globalShard db * shardsPerDatabase + shard.
   * @param budget records to reclaim at most.
   * @return work done.
   */
  public int tick(final int globalShard, final long nowMs, final int budget) {
    final Shard s = shards[globalShard];
    s.enter(nowMs);
    try {
      return s.tick(nowMs, budget);
    } finally {
      s.exit();
    }
  }

  /**
   * Ticks every shard with the context's budget.
   *
   * @return work done.
   */
  public int tickAll(final long nowMs) {
    int work = 0;
    final int budget = context.expiryBudgetPerTick();
    for (int i = 0; i < shards.length; i++) {
      if (shards[i].keyCount() > 0 || shards[i].index.resizing()) {
        work += tick(i, nowMs, budget);
      }
    }
    return work;
  }

  /**
   * @return number of shards over all databases (ids for {@link #tick}).
   */
  public int shardCount() {
    return shards.length;
  }

  // ------------------------------------------------------------------ memory and eviction

  /**
   * Evicts until below maxmemory if needed; called by writes that may grow memory before they lock
   * anything.
   *
   * @return false if the store stays above maxmemory (OOM).
   */
  boolean ensureMemory() {
    if (!memory.overLimit() || REPLAYING.get()[0]) {
      // A backup replaying its primary's effects must hold what the primary acknowledged.
      return true;
    }
    if (policy == EvictionPolicy.NOEVICTION) {
      return false;
    }
    evictionLock.lock();
    try {
      int guard = 0;
      while (memory.overLimit()) {
        if (!evictOne() || ++guard > 1_000_000) {
          return !memory.overLimit();
        }
      }
      return true;
    } finally {
      evictionLock.unlock();
    }
  }

  private boolean eligibleKeys(final Shard s, final EvictionPolicy p) {
    return p.allKeys() ? s.keyCount() > 0 : s.keysWithExpiry > 0;
  }

  private boolean evictOne() {
    final EvictionPolicy p = policy;
    final ThreadLocalRandom rnd = ThreadLocalRandom.current();
    final long now = clock.epochMs();
    if (p == EvictionPolicy.ALLKEYS_RANDOM || p == EvictionPolicy.VOLATILE_RANDOM) {
      final int start = rnd.nextInt(shards.length);
      for (int i = 0; i < shards.length; i++) {
        final Shard s = shards[(start + i) % shards.length];
        if (!eligibleKeys(s, p)) {
          continue;
        }
        s.enter(now);
        try {
          final int[] found = {0};
          final ShardIndex.RefVisitor pick =
              ref -> {
                if (found[0] == 0 && s.evictionScore(ref, p) >= 0) {
                  found[0] = ref;
                }
              };
          if (p.allKeys()) {
            s.index.sample(rnd.nextInt(), 1, pick);
          } else {
            s.wheel.sample(rnd.nextInt(ExpiryWheel.LISTS), 64, pick);
          }
          if (found[0] != 0 && s.evict(found[0], s.epoch)) {
            return true;
          }
        } finally {
          s.exit();
        }
      }
      return false;
    }
    // pool policies: sample every database, then evict the best candidate still alive
    for (final Database db : databases) {
      final int n = db.shardCount();
      final int start = rnd.nextInt(n);
      for (int i = 0; i < n; i++) {
        final Shard s = db.shard((start + i) % n);
        if (!eligibleKeys(s, p)) {
          continue;
        }
        s.enter(now);
        try {
          final ShardIndex.RefVisitor sampler =
              ref -> {
                final long score = s.evictionScore(ref, p);
                if (score >= 0) {
                  poolInsert(score, s.globalId, ref, s.epoch);
                }
              };
          if (p.allKeys()) {
            s.index.sample(rnd.nextInt(), maxMemorySamples, sampler);
          } else if (p == EvictionPolicy.VOLATILE_TTL) {
            s.wheel.sample(0, maxMemorySamples, sampler);
          } else {
            s.wheel.sample(rnd.nextInt(ExpiryWheel.LISTS), maxMemorySamples, sampler);
          }
        } finally {
          s.exit();
        }
        break;
      }
    }
    while (poolSize > 0) {
      final int k = --poolSize;
      final Shard s = shards[poolShard[k]];
      s.enter(now);
      try {
        if (s.evict(poolRef[k], poolEpoch[k])) {
          return true;
        }
      } finally {
        s.exit();
      }
    }
    return false;
  }

  /** Keeps the pool sorted ascending by score; the best candidate is last. */
  private void poolInsert(final long score, final int shard, final int ref, final int epoch) {
    for (int i = 0; i < poolSize; i++) {
      if (poolShard[i] == shard && poolRef[i] == ref) {
        return;
      }
    }
    int pos = 0;
    while (pos < poolSize && poolScore[pos] < score) {
      pos++;
    }
    if (poolSize == POOL_SIZE) {
      if (pos == 0) {
        return;
      }
      System.arraycopy(poolScore, 1, poolScore, 0, pos - 1);
      System.arraycopy(poolShard, 1, poolShard, 0, pos - 1);
      System.arraycopy(poolRef, 1, poolRef, 0, pos - 1);
      System.arraycopy(poolEpoch, 1, poolEpoch, 0, pos - 1);
      pos--;
    } else {
      System.arraycopy(poolScore, pos, poolScore, pos + 1, poolSize - pos);
      System.arraycopy(poolShard, pos, poolShard, pos + 1, poolSize - pos);
      System.arraycopy(poolRef, pos, poolRef, pos + 1, poolSize - pos);
      System.arraycopy(poolEpoch, pos, poolEpoch, pos + 1, poolSize - pos);
      poolSize++;
    }
    poolScore[pos] = score;
    poolShard[pos] = shard;
    poolRef[pos] = ref;
    poolEpoch[pos] = epoch;
  }

  /**
   * @return bytes in use (used_memory).
   */
  public long usedMemoryBytes() {
    return memory.usedBytes.get();
  }

  /**
   * @return bytes taken from the OS (used_memory_rss-like).
   */
  public long allocatedMemoryBytes() {
    return memory.allocatedBytes.get();
  }

  /**
   * @return a snapshot of INFO statistics (allocates; not for the request path).
   */
  public StoreStats stats() {
    final long[] keys = new long[databases.length];
    final long[] expires = new long[databases.length];
    long hits = 0;
    long misses = 0;
    long expired = 0;
    long evicted = 0;
    long expiredFields = 0;
    for (final Shard s : shards) {
      keys[s.db] += s.keyCount();
      expires[s.db] += s.keysWithExpiry;
      hits += s.hits;
      misses += s.misses;
      expired += s.expiredKeys;
      evicted += s.evictedKeys;
      expiredFields += s.expiredFields;
    }
    return new StoreStats(
        usedMemoryBytes(),
        allocatedMemoryBytes(),
        memory.maxMemoryBytes,
        keys,
        expires,
        expired,
        evicted,
        hits,
        misses,
        expiredFields);
  }

  // ------------------------------------------------------------------ multi-db operations

  /** FLUSHALL. */
  public void flushAll() {
    final long now = clock.epochMs();
    for (final Shard s : shards) {
      s.enter(now);
    }
    try {
      for (final Shard s : shards) {
        s.flush();
      }
      if (emitting()) {
        shards[0].effect.begin(EffectDescriptor.FLUSHALL, 0).emit(effects);
      }
    } finally {
      for (int i = shards.length - 1; i >= 0; i--) {
        shards[i].exit();
      }
    }
  }

  /**
   * SWAPDB a b.
   *
   * @return OK or DB_OUT_OF_RANGE.
   */
  public int swapDb(final int a, final int b) {
    if (a < 0 || b < 0 || a >= databases.length || b >= databases.length) {
      return Status.DB_OUT_OF_RANGE;
    }
    if (a == b) {
      return Status.OK;
    }
    final int lo = Math.min(a, b);
    final int hi = Math.max(a, b);
    final long now = clock.epochMs();
    for (int i = 0; i < shardsPerDatabase; i++) {
      databases[lo].shard(i).enter(now);
    }
    for (int i = 0; i < shardsPerDatabase; i++) {
      databases[hi].shard(i).enter(now);
    }
    try {
      for (int i = 0; i < shardsPerDatabase; i++) {
        databases[lo].shard(i).swapContents(databases[hi].shard(i));
      }
      if (emitting()) {
        databases[lo]
            .shard(0)
            .effect
            .begin(EffectDescriptor.SWAPDB, 0)
            .argLong(a)
            .argLong(b)
            .emit(effects);
      }
      return Status.OK;
    } finally {
      for (int i = shardsPerDatabase - 1; i >= 0; i--) {
        databases[hi].shard(i).exit();
      }
      for (int i = shardsPerDatabase - 1; i >= 0; i--) {
        databases[lo].shard(i).exit();
      }
    }
  }

  /** RENAME, RENAMENX, COPY and MOVE: one record from (srcDb, src) to (dstDb, dst). */
  int transfer(
      final Database srcDb,
      final DirectBuffer src,
      final int srcOff,
      final int srcLen,
      final Database dstDb,
      final DirectBuffer dst,
      final int dstOff,
      final int dstLen,
      final int op) {
    final long hs = srcDb.hash(src, srcOff, srcLen);
    final long hd = dstDb.hash(dst, dstOff, dstLen);
    final Shard s = srcDb.shardFor(hs);
    final Shard d = dstDb.shardFor(hd);
    final long now = clock.epochMs();
    final Shard first = s.globalId <= d.globalId ? s : d;
    final Shard second = first == s ? d : s;
    first.enter(now);
    if (second != first) {
      second.enter(now);
    }
    try {
      final int srcRef = s.lookupWrite(src, srcOff, srcLen, hs);
      final boolean sameKey =
          srcDb == dstDb && srcLen == dstLen && Bytes.equals(src, srcOff, dst, dstOff, srcLen);
      if ((op == COPY || op == COPY_REPLACE || op == MOVE) && srcDb == dstDb && sameKey) {
        return Status.SAME_OBJECT;
      }
      if (srcRef == 0) {
        return op == RENAME || op == RENAMENX ? Status.NO_SUCH_KEY : 0;
      }
      if (sameKey) {
        return op == RENAMENX ? Status.NOT_SET : Status.OK;
      }
      final int dstRef = d.lookupWrite(dst, dstOff, dstLen, hd);
      if (dstRef != 0) {
        if (op == RENAMENX) {
          return Status.NOT_SET;
        }
        if (op == COPY || op == MOVE) {
          return 0;
        }
        d.delete(dstRef, d.lastPos, hd);
      }
      final RecordFlyweight from = s.other.wrap(s.arena, srcRef);
      final int newRef = d.createCopy(s, from, dst, dstOff, dstLen, hd);
      if (newRef == 0) {
        return Status.OOM;
      }
      d.event(KeyspaceEvent.NEW, dst, dstOff, dstLen);
      if (op == RENAME || op == RENAMENX || op == MOVE) {
        s.deleteByRef(srcRef);
      }
      switch (op) {
        case RENAME, RENAMENX -> {
          s.event(KeyspaceEvent.RENAME_FROM, src, srcOff, srcLen);
          d.event(KeyspaceEvent.RENAME_TO, dst, dstOff, dstLen);
          if (emitting()) {
            s.effect
                .begin(EffectDescriptor.RENAME, s.db)
                .arg(src, srcOff, srcLen)
                .arg(dst, dstOff, dstLen)
                .emit(effects);
          }
          return Status.OK;
        }
        case MOVE -> {
          s.event(KeyspaceEvent.MOVE_FROM, src, srcOff, srcLen);
          d.event(KeyspaceEvent.MOVE_TO, dst, dstOff, dstLen);
          if (emitting()) {
            s.effect
                .begin(EffectDescriptor.MOVE, s.db)
                .arg(src, srcOff, srcLen)
                .argLong(d.db)
                .emit(effects);
          }
          return 1;
        }
        default -> {
          d.event(KeyspaceEvent.COPY_TO, dst, dstOff, dstLen);
          if (emitting()) {
            s.effect
                .begin(EffectDescriptor.COPY, s.db)
                .arg(src, srcOff, srcLen)
                .arg(dst, dstOff, dstLen)
                .argLong(d.db)
                .argLong(op == COPY_REPLACE ? 1 : 0)
                .emit(effects);
          }
          return 1;
        }
      }
    } finally {
      if (second != first) {
        second.exit();
      }
      first.exit();
    }
  }

  // ------------------------------------------------------------------ replication

  /** Argument view over an encoded effect. */
  private static final class EffectArgs implements Args {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    DirectBuffer buffer;
    int[] offsets = new int[16];
    int[] lengths = new int[16];
    int count;

    void parse(final DirectBuffer b, final int off) {
      buffer = b;
      count = b.getShort(off + EffectDescriptor.ARG_COUNT_OFFSET, LE) & 0xFFFF;
      if (offsets.length < count) {
        offsets = new int[count];
        lengths = new int[count];
      }
      int p = off + EffectDescriptor.HEADER_LENGTH;
      for (int i = 0; i < count; i++) {
        lengths[i] = b.getInt(p, LE);
        offsets[i] = p + 4;
        p += 4 + lengths[i];
      }
    }

    long longArg(final int i) {
      return buffer.getLong(offsets[i], LE);
    }

    @Override
    public int count() {
      return count;
    }

    @Override
    public DirectBuffer buffer(final int index) {
      return buffer;
    }

    @Override
    public int offset(final int index) {
      return offsets[index];
    }

    @Override
    public int length(final int index) {
      return lengths[index];
    }
  }

  private static final ThreadLocal<EffectArgs> EFFECT_ARGS =
      ThreadLocal.withInitial(EffectArgs::new);

  private static final ValueSink IGNORE = (b, o, l) -> {};

  /**
   * Replays an effect produced by another node's {@link EffectSink} (backup side). Emits no effect
   * itself (the {@link EffectSink} is not called on this thread meanwhile) and is not refused by
   * maxmemory; keyspace events fire as for a local write.
   *
   * @return status of the replayed operation.
   */
  public int applyEffect(final DirectBuffer buffer, final int offset, final int length) {
    final boolean[] replaying = REPLAYING.get();
    final boolean was = replaying[0];
    replaying[0] = true;
    try {
      return replay(buffer, offset);
    } finally {
      replaying[0] = was;
    }
  }

  /**
   * True on a thread applying effects or imported records: maxmemory does not refuse them and they
   * emit no effects.
   */
  static final ThreadLocal<boolean[]> REPLAYING = ThreadLocal.withInitial(() -> new boolean[1]);

  /**
   * @return true if a write on this thread now reports its effect (an effect sink is set and the
   *     thread is not replaying another node's effects or records).
   */
  boolean emitting() {
    return effectsOn && !REPLAYING.get()[0];
  }

  private int replay(final DirectBuffer buffer, final int offset) {
    final EffectArgs a = EFFECT_ARGS.get();
    a.parse(buffer, offset);
    final int op = buffer.getByte(offset + EffectDescriptor.OP_OFFSET) & 0xFF;
    final int dbIndex = buffer.getByte(offset + EffectDescriptor.DB_OFFSET) & 0xFF;
    final Database db = databases[dbIndex];
    final DirectBuffer b = a.buffer;
    switch (op) {
      case EffectDescriptor.SET -> {
        final long h = db.hash(b, a.offset(0), a.length(0));
        final Shard s = db.shardFor(h);
        s.enter(clock.epochMs());
        try {
          return s.setExact(
              h,
              b,
              a.offset(0),
              a.length(0),
              b,
              a.offset(1),
              a.length(1),
              a.longArg(2),
              (int) a.longArg(3));
        } finally {
          s.exit();
        }
      }
      case EffectDescriptor.DEL -> {
        return db.del(b, a.offset(0), a.length(0));
      }
      case EffectDescriptor.PEXPIREAT -> {
        return db.expireAt(b, a.offset(0), a.length(0), a.longArg(1), 0);
      }
      case EffectDescriptor.PERSIST -> {
        return db.persist(b, a.offset(0), a.length(0));
      }
      case EffectDescriptor.HSET -> {
        return (int) db.hset(b, a.offset(0), a.length(0), a, 1, a.count());
      }
      case EffectDescriptor.HDEL -> {
        return (int) db.hdel(b, a.offset(0), a.length(0), a, 1, a.count());
      }
      case EffectDescriptor.HPEXPIREAT -> {
        return db.hexpireAt(b, a.offset(0), a.length(0), a.longArg(1), 0, a, 2, a.count(), null);
      }
      case EffectDescriptor.HPERSIST -> {
        return db.hpersist(b, a.offset(0), a.length(0), a, 1, a.count(), null);
      }
      case EffectDescriptor.RENAME -> {
        return db.rename(b, a.offset(0), a.length(0), b, a.offset(1), a.length(1), false);
      }
      case EffectDescriptor.MOVE -> {
        return db.move(b, a.offset(0), a.length(0), (int) a.longArg(1));
      }
      case EffectDescriptor.COPY -> {
        return db.copy(
            b,
            a.offset(0),
            a.length(0),
            (int) a.longArg(2),
            b,
            a.offset(1),
            a.length(1),
            a.longArg(3) != 0);
      }
      case EffectDescriptor.FLUSHDB -> {
        db.flush();
        return Status.OK;
      }
      case EffectDescriptor.FLUSHALL -> {
        flushAll();
        return Status.OK;
      }
      case EffectDescriptor.SWAPDB -> {
        return swapDb((int) a.longArg(0), (int) a.longArg(1));
      }
      case EffectDescriptor.RESTORE -> {
        return db.restoreRecord(
            b,
            a.offset(0),
            a.length(0),
            b,
            a.offset(1),
            a.length(1),
            ((int) a.longArg(2) & Database.RESTORE_RENAMED) | Database.RESTORE_REPLACE);
      }
      default -> throw new IllegalArgumentException("unknown effect op=" + op);
    }
  }

  /** Frees all off-heap memory; the store must not be used afterwards. */
  @Override
  public void close() {
    flushAllSilently();
  }

  private void flushAllSilently() {
    final long now = clock.epochMs();
    for (final Shard s : shards) {
      s.enter(now);
      try {
        s.index.release();
        s.arena.releaseAll();
      } finally {
        s.exit();
      }
    }
  }

  static ValueSink ignoreSink() {
    return IGNORE;
  }
}
