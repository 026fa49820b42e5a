package io.roost.store;

import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;

/**
 * One logical database (SELECT n): the operations the server's command handlers call. Thread-safe:
 * any thread may call any method; each call locks the shard(s) of its key(s) — multi-key calls in
 * global shard order — and never allocates on the string, hash-field and expiry paths.
 *
 * <p>Conventions: keys, fields and values are {@code (DirectBuffer, offset, length)} or a range of
 * an {@link Args}; results come back as a {@link Status} (or a count, negative = error status), a
 * {@link MutableLong}, or through a {@link ValueSink} called under the lock. Times are absolute
 * epoch milliseconds (the server turns EX/PX/EXPIRE into absolute times with {@link
 * Store#clock()}). Writes that may grow memory first run eviction and return {@link Status#OOM}
 * when the store stays above maxmemory.
 */
public final class Database {
  /** SET NX. */
  public static final int SET_NX = 1;

  /** SET XX. */
  public static final int SET_XX = 2;

  /** SET GET. */
  public static final int SET_GET = 4;

  /** SET KEEPTTL. */
  public static final int SET_KEEPTTL = 8;

  /** EXPIRE NX / HEXPIRE NX. */
  public static final int EXPIRE_NX = 1;

  /** EXPIRE XX. */
  public static final int EXPIRE_XX = 2;

  /** EXPIRE GT. */
  public static final int EXPIRE_GT = 4;

  /** EXPIRE LT. */
  public static final int EXPIRE_LT = 8;

  /** GETEX / HGETEX without an option. */
  public static final int GETEX_NONE = 0;

  /** GETEX PERSIST. */
  public static final int GETEX_PERSIST = 1;

  /** GETEX EX/PX/EXAT/PXAT (absolute time passed separately). */
  public static final int GETEX_EXPIRE = 2;

  /** HGETALL. */
  public static final int HASH_BOTH = 3;

  /** HKEYS. */
  public static final int HASH_FIELDS = 1;

  /** HVALS. */
  public static final int HASH_VALUES = 2;

  /** HTTL: seconds left (rounded up). */
  public static final int HTTL_SECONDS = 0;

  /** HPTTL. */
  public static final int HTTL_MILLIS = 1;

  /** HEXPIRETIME (seconds). */
  public static final int HEXPIRETIME_SECONDS = 2;

  /** HPEXPIRETIME. */
  public static final int HEXPIRETIME_MILLIS = 3;

  /** HSETEX FNX. */
  public static final int HSETEX_FNX = 1;

  /** HSETEX FXX. */
  public static final int HSETEX_FXX = 2;

  /** HSETEX KEEPTTL. */
  public static final int HSETEX_KEEPTTL = 4;

  /**
   * {@link #hsetEx} time meaning "no expiry option" (any other value, 0 included, is a deadline).
   */
  public static final long NO_EXPIRY = Long.MIN_VALUE;

  /** {@link #restoreRecord}: replace an existing key (RENAME, COPY REPLACE). */
  public static final int RESTORE_REPLACE = 1;

  /**
   * {@link #restoreRecord}: the key arrives by a rename ({@code rename_to}, not {@code copy_to}).
   */
  public static final int RESTORE_RENAMED = 2;

  private final Store store;
  private final int index;
  private final Shard[] shards;
  private final int shardMask;
  private final int shardBits;

  Database(final Store store, final int index, final Shard[] shards) {
    this.store = store;
    this.index = index;
    this.shards = shards;
    this.shardMask = shards.length - 1;
    this.shardBits = Integer.numberOfTrailingZeros(shards.length);
  }

  /**
   * @return the database number.
   */
  public int index() {
    return index;
  }

  Shard shard(final int i) {
    return shards[i];
  }

  int shardCount() {
    return shards.length;
  }

  long hash(final DirectBuffer key, final int off, final int len) {
    return Bytes.hash(key, off, len, store.hashSeed);
  }

  Shard shardFor(final long hash) {
    return shards[(int) (hash >>> 40) & shardMask];
  }

  private Shard enter(final long hash) {
    final Shard s = shardFor(hash);
    s.enter(store.clock.epochMs());
    return s;
  }

  // ------------------------------------------------------------------ strings

  /**
   * GET.
   *
   * @return OK (value delivered), NIL or WRONGTYPE.
   */
  public int get(final DirectBuffer key, final int off, final int len, final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.get(h, key, off, len, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * SET with options; also SETNX (SET_NX), SETEX/PSETEX (expireAtMs), GETSET (SET_GET).
   *
   * @param flags SET_NX, SET_XX, SET_GET, SET_KEEPTTL.
   * @param expireAtMs absolute expiry, 0 = none.
   * @param oldValue receives the old value (or nil) when SET_GET; may be null otherwise.
   * @return OK, NOT_SET (NX/XX not met), WRONGTYPE (GET on a non-string), OOM.
   */
  public int set(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer value,
      final int valueOff,
      final int valueLen,
      final int flags,
      final long expireAtMs,
      final ValueSink oldValue) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.set(h, key, off, len, value, valueOff, valueLen, flags, expireAtMs, oldValue);
    } finally {
      s.exit();
    }
  }

  /**
   * GETEX.
   *
   * @param mode GETEX_NONE, GETEX_PERSIST or GETEX_EXPIRE.
   * @param expireAtMs absolute time for GETEX_EXPIRE (past = delete).
   * @return OK, NIL or WRONGTYPE.
   */
  public int getEx(
      final DirectBuffer key,
      final int off,
      final int len,
      final int mode,
      final long expireAtMs,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.getEx(h, key, off, len, mode, expireAtMs, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * GETDEL.
   *
   * @return OK, NIL or WRONGTYPE.
   */
  public int getDel(final DirectBuffer key, final int off, final int len, final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.getDel(h, key, off, len, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * APPEND.
   *
   * @return new length, or WRONGTYPE, STRING_TOO_LONG, OOM.
   */
  public long append(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer value,
      final int valueOff,
      final int valueLen) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.append(h, key, off, len, value, valueOff, valueLen);
    } finally {
      s.exit();
    }
  }

  /**
   * STRLEN.
   *
   * @return length (0 if missing) or WRONGTYPE.
   */
  public long strlen(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.strlen(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * GETRANGE (an empty value for a missing key, as Redis).
   *
   * @return OK or WRONGTYPE.
   */
  public int getRange(
      final DirectBuffer key,
      final int off,
      final int len,
      final long start,
      final long end,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.getRange(h, key, off, len, start, end, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * SETRANGE; the server rejects negative offsets.
   *
   * @return new length, or WRONGTYPE, STRING_TOO_LONG, OOM.
   */
  public long setRange(
      final DirectBuffer key,
      final int off,
      final int len,
      final long offset,
      final DirectBuffer value,
      final int valueOff,
      final int valueLen) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.setRange(h, key, off, len, offset, value, valueOff, valueLen);
    } finally {
      s.exit();
    }
  }

  /**
   * INCR/DECR/INCRBY/DECRBY.
   *
   * @param out receives the new value.
   * @return OK, WRONGTYPE, NOT_INTEGER, OVERFLOW, OOM.
   */
  public int incrBy(
      final DirectBuffer key,
      final int off,
      final int len,
      final long delta,
      final MutableLong out) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.incrBy(h, key, off, len, delta, out);
    } finally {
      s.exit();
    }
  }

  /**
   * INCRBYFLOAT (long double arithmetic, %.17Lf formatting as Redis).
   *
   * @param result receives the new value's text.
   * @return OK, WRONGTYPE, NOT_FLOAT, NAN_OR_INFINITY, OOM.
   */
  public int incrByFloat(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer increment,
      final int incrOff,
      final int incrLen,
      final ValueSink result) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.incrByFloat(h, key, off, len, increment, incrOff, incrLen, result);
    } finally {
      s.exit();
    }
  }

  /**
   * MGET (atomic across shards): one value or nil per key, nil for non-strings.
   *
   * @return OK.
   */
  public int mget(final Args keys, final int from, final int to, final ValueSink sink) {
    final LockSet locks = LockSet.get();
    for (int i = from; i < to; i++) {
      locks.add(shardFor(hash(keys.buffer(i), keys.offset(i), keys.length(i))));
    }
    locks.lockAll(store.clock.epochMs());
    try {
      sink.arrayStart(to - from);
      for (int i = from; i < to; i++) {
        final DirectBuffer k = keys.buffer(i);
        final long h = hash(k, keys.offset(i), keys.length(i));
        final Shard s = shardFor(h);
        final int ref = s.lookupRead(k, keys.offset(i), keys.length(i), h, true);
        if (ref != 0 && s.rec.type() == ValueType.STRING.id) {
          sink.value(s.rec.buffer, s.rec.valueOffset(), s.rec.valueLength());
        } else {
          sink.nil();
        }
      }
      return Status.OK;
    } finally {
      locks.unlockAll();
    }
  }

  /**
   * MSET (atomic across shards): args[from..to) are key value pairs.
   *
   * @return OK or OOM.
   */
  public int mset(final Args pairs, final int from, final int to) {
    return msetGeneric(pairs, from, to, false);
  }

  /**
   * MSETNX.
   *
   * @return 1 if all were set, 0 if any key existed, or OOM.
   */
  public int msetnx(final Args pairs, final int from, final int to) {
    return msetGeneric(pairs, from, to, true);
  }

  private int msetGeneric(final Args pairs, final int from, final int to, final boolean nx) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final LockSet locks = LockSet.get();
    for (int i = from; i + 1 < to; i += 2) {
      locks.add(shardFor(hash(pairs.buffer(i), pairs.offset(i), pairs.length(i))));
    }
    locks.lockAll(store.clock.epochMs());
    try {
      if (nx) {
        for (int i = from; i + 1 < to; i += 2) {
          final long h = hash(pairs.buffer(i), pairs.offset(i), pairs.length(i));
          if (shardFor(h).exists(h, pairs.buffer(i), pairs.offset(i), pairs.length(i)) != 0) {
            return 0;
          }
        }
      }
      for (int i = from; i + 1 < to; i += 2) {
        final DirectBuffer k = pairs.buffer(i);
        final long h = hash(k, pairs.offset(i), pairs.length(i));
        final int st =
            shardFor(h)
                .set(
                    h,
                    k,
                    pairs.offset(i),
                    pairs.length(i),
                    pairs.buffer(i + 1),
                    pairs.offset(i + 1),
                    pairs.length(i + 1),
                    0,
                    0,
                    null);
        if (st == Status.OOM) {
          return Status.OOM;
        }
      }
      return nx ? 1 : Status.OK;
    } finally {
      locks.unlockAll();
    }
  }

  // ------------------------------------------------------------------ keys

  /**
   * DEL/UNLINK of one key.
   *
   * @return 1 if deleted.
   */
  public int del(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.del(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * DEL/UNLINK of several keys, atomically.
   *
   * @return keys deleted.
   */
  public long del(final Args keys, final int from, final int to) {
    final LockSet locks = LockSet.get();
    for (int i = from; i < to; i++) {
      locks.add(shardFor(hash(keys.buffer(i), keys.offset(i), keys.length(i))));
    }
    locks.lockAll(store.clock.epochMs());
    try {
      long n = 0;
      for (int i = from; i < to; i++) {
        final long h = hash(keys.buffer(i), keys.offset(i), keys.length(i));
        n += shardFor(h).del(h, keys.buffer(i), keys.offset(i), keys.length(i));
      }
      return n;
    } finally {
      locks.unlockAll();
    }
  }

  /**
   * EXISTS of one key.
   *
   * @return 1 or 0.
   */
  public int exists(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.exists(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * EXISTS of several keys (repeats count again).
   *
   * @return number existing.
   */
  public long exists(final Args keys, final int from, final int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      n += exists(keys.buffer(i), keys.offset(i), keys.length(i));
    }
    return n;
  }

  /**
   * TOUCH.
   *
   * @return number of keys that exist.
   */
  public long touch(final Args keys, final int from, final int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      final DirectBuffer k = keys.buffer(i);
      final long h = hash(k, keys.offset(i), keys.length(i));
      final Shard s = enter(h);
      try {
        n += s.touchKey(h, k, keys.offset(i), keys.length(i));
      } finally {
        s.exit();
      }
    }
    return n;
  }

  /**
   * TYPE.
   *
   * @return the type, {@link ValueType#NONE} if missing.
   */
  public ValueType type(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return ValueType.ofId(s.type(h, key, off, len));
    } finally {
      s.exit();
    }
  }

  /**
   * EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with an absolute time (the server checks overflow). A time
   * not in the future deletes the key (DEL event/effect), as Redis.
   *
   * @param flags EXPIRE_NX/XX/GT/LT.
   * @return 1 if set or deleted, 0 if the key is missing or a condition failed.
   */
  public int expireAt(
      final DirectBuffer key, final int off, final int len, final long atMs, final int flags) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.expireAt(h, key, off, len, atMs, flags);
    } finally {
      s.exit();
    }
  }

  /**
   * PTTL (TTL = (pttl + 500) / 1000 for positive values).
   *
   * @return -2 missing, -1 no TTL, else ms left (at least 0).
   */
  public long pttl(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final long at = s.expireTime(h, key, off, len);
      return at < 0 ? at : Math.max(0, at - s.now);
    } finally {
      s.exit();
    }
  }

  /**
   * PEXPIRETIME (EXPIRETIME = ms / 1000).
   *
   * @return -2 missing, -1 no TTL, else absolute ms.
   */
  public long pexpireTime(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.expireTime(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * PERSIST.
   *
   * @return 1 if a TTL was removed.
   */
  public int persist(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.persist(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * RENAME / RENAMENX within this database (across shards).
   *
   * @return OK (RENAME done or RENAMENX returned 1), NOT_SET (RENAMENX target exists, or RENAMENX k
   *     k), NO_SUCH_KEY, OOM.
   */
  public int rename(
      final DirectBuffer src,
      final int srcOff,
      final int srcLen,
      final DirectBuffer dst,
      final int dstOff,
      final int dstLen,
      final boolean nx) {
    return store.transfer(
        this, src, srcOff, srcLen, this, dst, dstOff, dstLen, nx ? Store.RENAMENX : Store.RENAME);
  }

  /**
   * COPY src dst [DB db] [REPLACE].
   *
   * @return 1 copied, 0 not copied (missing source or existing target), SAME_OBJECT,
   *     DB_OUT_OF_RANGE, OOM.
   */
  public int copy(
      final DirectBuffer src,
      final int srcOff,
      final int srcLen,
      final int dstDb,
      final DirectBuffer dst,
      final int dstOff,
      final int dstLen,
      final boolean replace) {
    if (dstDb < 0 || dstDb >= store.databaseCount()) {
      return Status.DB_OUT_OF_RANGE;
    }
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    return store.transfer(
        this,
        src,
        srcOff,
        srcLen,
        store.database(dstDb),
        dst,
        dstOff,
        dstLen,
        replace ? Store.COPY_REPLACE : Store.COPY);
  }

  /**
   * MOVE key db.
   *
   * @return 1 moved, 0 not moved, SAME_OBJECT, DB_OUT_OF_RANGE, OOM.
   */
  public int move(final DirectBuffer key, final int off, final int len, final int dstDb) {
    if (dstDb < 0 || dstDb >= store.databaseCount()) {
      return Status.DB_OUT_OF_RANGE;
    }
    return store.transfer(this, key, off, len, store.database(dstDb), key, off, len, Store.MOVE);
  }

  /**
   * OBJECT ENCODING.
   *
   * @return the encoding, or null if the key is missing.
   */
  public Encoding objectEncoding(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final int e = s.objectEncoding(h, key, off, len);
      return e < 0 ? null : Encoding.ofId(e);
    } finally {
      s.exit();
    }
  }

  /**
   * OBJECT FREQ.
   *
   * @return the LFU counter, NO_SUCH_KEY, or WRONG_POLICY without an LFU policy.
   */
  public long objectFreq(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.objectFreq(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * OBJECT IDLETIME.
   *
   * @return seconds idle, NO_SUCH_KEY, or WRONG_POLICY under an LFU policy.
   */
  public long objectIdleTime(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.objectIdleSeconds(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * MEMORY USAGE.
   *
   * @return bytes of the key's block plus its index slot, or -2 if missing.
   */
  public long memoryUsage(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.memoryUsage(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * DBSIZE: keys including expired ones not reclaimed yet (as Redis).
   *
   * @return number of keys.
   */
  public long dbSize() {
    long n = 0;
    for (final Shard s : shards) {
      n += s.keyCount();
    }
    return n;
  }

  /**
   * @return keys with a TTL (INFO keyspace "expires").
   */
  public long keysWithExpiry() {
    long n = 0;
    for (final Shard s : shards) {
      n += s.keysWithExpiry;
    }
    return n;
  }

  /** FLUSHDB (SYNC and ASYNC alike: freeing slabs is fast). */
  public void flush() {
    final long now = store.clock.epochMs();
    for (final Shard s : shards) {
      s.enter(now);
    }
    try {
      for (final Shard s : shards) {
        s.flush();
      }
      if (store.emitting()) {
        shards[0].effect.begin(EffectDescriptor.FLUSHDB, index).emit(store.effects);
      }
    } finally {
      for (int i = shards.length - 1; i >= 0; i--) {
        shards[i].exit();
      }
    }
  }

  /**
   * RANDOMKEY.
   *
   * @return OK (key delivered) or NIL when empty.
   */
  public int randomKey(final ValueSink sink) {
    final java.util.concurrent.ThreadLocalRandom rnd =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100; attempt++) {
      final int start = rnd.nextInt(shards.length);
      for (int i = 0; i < shards.length; i++) {
        final Shard s = shards[(start + i) & shardMask];
        if (s.keyCount() == 0) {
          continue;
        }
        s.enter(store.clock.epochMs());
        try {
          final Shard.ScanVisitor v = s.scanVisitor.configure(null, 0, 0, -1, -1, sink);
          s.index.sample(rnd.nextInt(), 1, v);
          if (v.emitted > 0) {
            return Status.OK;
          }
        } finally {
          s.exit();
        }
        break;
      }
      if (dbSize() == 0) {
        return Status.NIL;
      }
    }
    return Status.NIL;
  }

  /**
   * KEYS pattern (the pattern "*" matches every key, including the empty one).
   *
   * @return number of keys delivered.
   */
  public long keys(
      final DirectBuffer pattern,
      final int patternOff,
      final int patternLen,
      final ValueSink sink) {
    long n = 0;
    for (final Shard s : shards) {
      s.enter(store.clock.epochMs());
      try {
        final Shard.ScanVisitor v =
            s.scanVisitor.configure(pattern, patternOff, patternLen, -1, -1, sink);
        s.index.forEach(v);
        n += v.emitted;
      } finally {
        s.exit();
      }
    }
    return n;
  }

  /**
   * SCAN: a key present during the whole scan is returned at least once, also while tables grow.
   *
   * @param pattern MATCH pattern or null.
   * @param type TYPE filter or null.
   * @param count COUNT hint (at least 1).
   * @return next cursor, 0 when complete.
   */
  public long scan(
      final long cursor,
      final DirectBuffer pattern,
      final int patternOff,
      final int patternLen,
      final ValueType type,
      final int count,
      final ValueSink sink) {
    int shard = (int) (cursor & shardMask);
    long v = cursor >>> shardBits;
    long budget = Math.max(1, count) * 10L;
    long emitted = 0;
    while (shard < shards.length) {
      final Shard s = shards[shard];
      s.enter(store.clock.epochMs());
      try {
        final Shard.ScanVisitor visitor =
            s.scanVisitor.configure(
                pattern, patternOff, patternLen, type == null ? -1 : type.id, -1, sink);
        do {
          v = s.index.scanStep(v, visitor);
          budget--;
        } while (v != 0 && emitted + visitor.emitted < count && budget > 0);
        emitted += visitor.emitted;
      } finally {
        s.exit();
      }
      if (v != 0) {
        return (v << shardBits) | shard;
      }
      shard++;
      if (emitted >= count || budget <= 0) {
        return shard < shards.length ? shard : 0;
      }
    }
    return 0;
  }

  /**
   * Delivers every live key whose cluster slot is {@code slot} (state transfer, CLUSTER
   * GETKEYSINSLOT). Locks one shard at a time.
   *
   * @return keys delivered.
   */
  public long forEachKeyInSlot(final int slot, final ValueSink sink) {
    long n = 0;
    for (final Shard s : shards) {
      s.enter(store.clock.epochMs());
      try {
        if (s.slotKeys == null || s.slotKeys[slot] == 0) {
          continue; // no key of the slot here: skip the walk
        }
        final Shard.ScanVisitor v = s.scanVisitor.configure(null, 0, 0, -1, slot, sink);
        s.index.forEach(v);
        n += v.emitted;
      } finally {
        s.exit();
      }
    }
    return n;
  }

  /**
   * Streams the raw records ({@link RecordDescriptor} layout, native byte order, wheel links
   * meaningless) of every live key in the cluster slots {@code slots} accepts, one {@link
   * ValueSink#value} per record, for state transfer to a new owner ({@link #importRecord}). Locks
   * one shard at a time, and calls the sink with that shard's lock held, so writes to the shard are
   * ordered before or after its whole export.
   *
   * @return records delivered.
   */
  public long exportSlots(final java.util.function.IntPredicate slots, final ValueSink sink) {
    long n = 0;
    for (final Shard s : shards) {
      s.enter(store.clock.epochMs());
      try {
        if (s.slotKeys == null) {
          continue; // no key here: skip the walk
        }
        final Shard.ScanVisitor v =
            s.scanVisitor.configure(null, 0, 0, -1, -1, sink).rawRecords().slots(slots);
        s.index.forEach(v);
        n += v.emitted;
      } finally {
        s.exit();
      }
    }
    return n;
  }

  /**
   * Deletes every key of the cluster slots {@code slots} accepts (this node stopped owning them, or
   * is about to receive them afresh). Emits no effect and raises no event: each owner decides for
   * itself. Locks one shard at a time.
   *
   * @return keys deleted.
   */
  public long dropSlots(final java.util.function.IntPredicate slots) {
    long n = 0;
    for (final Shard s : shards) {
      s.enter(store.clock.epochMs());
      try {
        n += s.dropSlots(slots);
      } finally {
        s.exit();
      }
    }
    return n;
  }

  /**
   * Installs one record produced by {@link #exportSlots} on another node, replacing the key. Raises
   * no keyspace events and emits no effect (the transfer itself is the replication); like {@link
   * Store#applyEffect} it is not refused by maxmemory (the primary already holds the key).
   *
   * @return OK or OOM.
   */
  public int importRecord(final DirectBuffer record, final int offset, final int length) {
    if (length < RecordDescriptor.HEADER_LENGTH) {
      throw new IllegalArgumentException("record length=" + length);
    }
    final int keyLen = record.getInt(offset + RecordDescriptor.KEY_LENGTH_OFFSET);
    final long h = hash(record, offset + RecordDescriptor.HEADER_LENGTH, keyLen);
    final boolean[] replaying = Store.REPLAYING.get();
    final boolean was = replaying[0];
    replaying[0] = true;
    final Shard s = enter(h);
    try {
      return s.importRecord(h, record, offset);
    } finally {
      s.exit();
      replaying[0] = was;
    }
  }

  /**
   * Keys and keys with a TTL in a set of cluster slots, expired keys not reclaimed yet included (as
   * {@link #dbSize}); reads per-slot counters, never records. Locks one shard at a time.
   *
   * @param slots bit {@code s & 63} of word {@code s >>> 6} set for each slot {@code s} counted
   *     ({@link RecordDescriptor#SLOT_COUNT} bits).
   * @param out receives the keys at [0] and the keys with a TTL at [1].
   */
  public void countInSlots(final long[] slots, final long[] out) {
    long keys = 0;
    long expires = 0;
    for (final Shard s : shards) {
      s.enter(store.clock.epochMs());
      try {
        final int[] k = s.slotKeys;
        final int[] e = s.slotExpires;
        if (k == null) {
          continue;
        }
        for (int w = 0; w < slots.length; w++) {
          long bits = slots[w];
          while (bits != 0) {
            final int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
            keys += k[slot];
            expires += e[slot];
            bits &= bits - 1;
          }
        }
      } finally {
        s.exit();
      }
    }
    out[0] = keys;
    out[1] = expires;
  }

  /**
   * Delivers the live record of a key as one raw record ({@link RecordDescriptor} layout, indexed
   * hashes packed, wheel links meaningless): type, encoding, value, absolute expiry and LRU, so
   * {@link #restoreRecord} on another node recreates it. Does not count as an access.
   *
   * @return OK (delivered) or NIL.
   */
  public int dumpRecord(
      final DirectBuffer key, final int off, final int len, final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final int ref = s.lookupQuiet(key, off, len, h);
      if (ref == 0) {
        return Status.NIL;
      }
      s.exportRecord(ref, sink);
      return Status.OK;
    } finally {
      s.exit();
    }
  }

  /**
   * Creates a key from a raw record of {@link #dumpRecord} (value, type, encoding, absolute expiry;
   * the record's own key is ignored): the destination half of a RENAME or COPY whose keys live on
   * different nodes. Fires {@code new} and {@code rename_to} or {@code copy_to}; emits a RESTORE
   * effect.
   *
   * @param flags {@link #RESTORE_REPLACE}, {@link #RESTORE_RENAMED}.
   * @return OK, NOT_SET (the key exists and no REPLACE), OOM.
   * @throws IllegalArgumentException when the record is not {@link RecordDescriptor#wellFormed}.
   */
  public int restoreRecord(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer record,
      final int recordOff,
      final int recordLen,
      final int flags) {
    if (!RecordDescriptor.wellFormed(record, recordOff, recordLen)) {
      throw new IllegalArgumentException("malformed record length=" + recordLen);
    }
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final int existing = s.lookupWrite(key, off, len, h);
      if (existing != 0) {
        if ((flags & RESTORE_REPLACE) == 0) {
          return Status.NOT_SET;
        }
        s.delete(existing, s.lastPos, h);
      }
      if (s.installRecord(h, key, off, len, record, recordOff) == 0) {
        return Status.OOM;
      }
      s.event(KeyspaceEvent.NEW, key, off, len);
      s.event(
          (flags & RESTORE_RENAMED) != 0 ? KeyspaceEvent.RENAME_TO : KeyspaceEvent.COPY_TO,
          key,
          off,
          len);
      if (store.emitting()) {
        s.effect
            .begin(EffectDescriptor.RESTORE, s.db)
            .arg(key, off, len)
            .arg(record, recordOff, recordLen)
            .argLong(flags & RESTORE_RENAMED)
            .emit(store.effects);
      }
      return Status.OK;
    } finally {
      s.exit();
    }
  }

  /**
   * Deletes a key only while it still has the type, expiry and value of a record from {@link
   * #dumpRecord}: the source half of a RENAME whose keys live on different nodes, which must not
   * delete a value written after the copy. Fires {@code rename_from}; emits a DEL effect.
   *
   * @return 1 deleted, 0 missing or changed.
   * @throws IllegalArgumentException when the record is not {@link RecordDescriptor#wellFormed}.
   */
  public int deleteIfSame(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer record,
      final int recordOff,
      final int recordLen) {
    if (!RecordDescriptor.wellFormed(record, recordOff, recordLen)) {
      throw new IllegalArgumentException("malformed record length=" + recordLen);
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final int ref = s.lookupWrite(key, off, len, h);
      if (ref == 0 || !s.sameRecord(ref, record, recordOff)) {
        return 0;
      }
      s.delete(ref, s.lastPos, h);
      s.event(KeyspaceEvent.RENAME_FROM, key, off, len);
      if (store.emitting()) {
        s.effect.begin(EffectDescriptor.DEL, s.db).arg(key, off, len).emit(store.effects);
      }
      return 1;
    } finally {
      s.exit();
    }
  }

  // ------------------------------------------------------------------ hashes

  /**
   * HSET/HMSET: args[from..to) are field value pairs.
   *
   * @return fields added, or WRONGTYPE, OOM.
   */
  public long hset(
      final DirectBuffer key,
      final int off,
      final int len,
      final Args pairs,
      final int from,
      final int to) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hset(h, key, off, len, pairs, from, to, false);
    } finally {
      s.exit();
    }
  }

  /**
   * HSETNX: args[at] field, args[at + 1] value.
   *
   * @return 1 set, 0 existed, WRONGTYPE, OOM.
   */
  public long hsetnx(
      final DirectBuffer key, final int off, final int len, final Args args, final int at) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hset(h, key, off, len, args, at, at + 2, true);
    } finally {
      s.exit();
    }
  }

  /**
   * HGET.
   *
   * @return OK, NIL, WRONGTYPE.
   */
  public int hget(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer field,
      final int fieldOff,
      final int fieldLen,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hget(h, key, off, len, field, fieldOff, fieldLen, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HMGET.
   *
   * @return OK or WRONGTYPE.
   */
  public int hmget(
      final DirectBuffer key,
      final int off,
      final int len,
      final Args fields,
      final int from,
      final int to,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hmget(h, key, off, len, fields, from, to, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HGETALL / HKEYS / HVALS.
   *
   * @param what HASH_BOTH, HASH_FIELDS or HASH_VALUES.
   * @return OK or WRONGTYPE.
   */
  public int hgetAll(
      final DirectBuffer key, final int off, final int len, final int what, final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hgetAll(h, key, off, len, what, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HLEN (live fields only).
   *
   * @return count or WRONGTYPE.
   */
  public long hlen(final DirectBuffer key, final int off, final int len) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hlen(h, key, off, len);
    } finally {
      s.exit();
    }
  }

  /**
   * HSTRLEN.
   *
   * @return length or WRONGTYPE.
   */
  public long hstrlen(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer field,
      final int fieldOff,
      final int fieldLen) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hstrlen(h, key, off, len, field, fieldOff, fieldLen);
    } finally {
      s.exit();
    }
  }

  /**
   * HEXISTS.
   *
   * @return 1, 0 or WRONGTYPE.
   */
  public long hexists(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer field,
      final int fieldOff,
      final int fieldLen) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hexists(h, key, off, len, field, fieldOff, fieldLen);
    } finally {
      s.exit();
    }
  }

  /**
   * HDEL.
   *
   * @return fields removed or WRONGTYPE.
   */
  public long hdel(
      final DirectBuffer key,
      final int off,
      final int len,
      final Args fields,
      final int from,
      final int to) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hdel(h, key, off, len, fields, from, to, null);
    } finally {
      s.exit();
    }
  }

  /**
   * HGETDEL: values (or nil) of the fields, which are then deleted.
   *
   * @return fields removed or WRONGTYPE.
   */
  public long hgetDel(
      final DirectBuffer key,
      final int off,
      final int len,
      final Args fields,
      final int from,
      final int to,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hdel(h, key, off, len, fields, from, to, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HINCRBY (keeps the field's TTL).
   *
   * @return OK, WRONGTYPE, NOT_INTEGER ("hash value is not an integer"), OVERFLOW, OOM.
   */
  public int hincrBy(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer field,
      final int fieldOff,
      final int fieldLen,
      final long delta,
      final MutableLong out) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hincrBy(h, key, off, len, field, fieldOff, fieldLen, delta, out);
    } finally {
      s.exit();
    }
  }

  /**
   * HINCRBYFLOAT.
   *
   * @return OK, WRONGTYPE, NOT_FLOAT, NAN_OR_INFINITY, OOM.
   */
  public int hincrByFloat(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer field,
      final int fieldOff,
      final int fieldLen,
      final DirectBuffer increment,
      final int incrOff,
      final int incrLen,
      final ValueSink result) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hincrByFloat(
          h, key, off, len, field, fieldOff, fieldLen, increment, incrOff, incrLen, result);
    } finally {
      s.exit();
    }
  }

  /**
   * HEXPIRE/HPEXPIRE/HEXPIREAT/HPEXPIREAT: per field -2 (no field), 0 (condition), 1 (set), 2
   * (deleted: time not in the future) through {@link ValueSink#integer}.
   *
   * @param cond EXPIRE_NX/XX/GT/LT or 0.
   * @return OK, WRONGTYPE or OOM.
   */
  public int hexpireAt(
      final DirectBuffer key,
      final int off,
      final int len,
      final long atMs,
      final int cond,
      final Args fields,
      final int from,
      final int to,
      final ValueSink sink) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hexpire(h, key, off, len, atMs, cond, fields, from, to, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HTTL/HPTTL/HEXPIRETIME/HPEXPIRETIME: per field -2, -1 or the time.
   *
   * @param mode HTTL_SECONDS, HTTL_MILLIS, HEXPIRETIME_SECONDS, HEXPIRETIME_MILLIS.
   * @return OK or WRONGTYPE.
   */
  public int httl(
      final DirectBuffer key,
      final int off,
      final int len,
      final int mode,
      final Args fields,
      final int from,
      final int to,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.httl(h, key, off, len, mode, fields, from, to, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HPERSIST: per field -2, -1 or 1.
   *
   * @return OK or WRONGTYPE.
   */
  public int hpersist(
      final DirectBuffer key,
      final int off,
      final int len,
      final Args fields,
      final int from,
      final int to,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hpersist(h, key, off, len, fields, from, to, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HGETEX: values of the fields, then their TTLs changed (GETEX_PERSIST, or GETEX_EXPIRE with a
   * time; a time not in the future deletes them).
   *
   * @return OK or WRONGTYPE.
   */
  public int hgetEx(
      final DirectBuffer key,
      final int off,
      final int len,
      final int mode,
      final long atMs,
      final Args fields,
      final int from,
      final int to,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final int st = s.hmget(h, key, off, len, fields, from, to, sink);
      if (st != Status.OK) {
        return st;
      }
      if (mode == GETEX_PERSIST) {
        return s.hpersist(h, key, off, len, fields, from, to, null);
      }
      if (mode == GETEX_EXPIRE) {
        return s.hexpire(h, key, off, len, atMs, 0, fields, from, to, null);
      }
      return Status.OK;
    } finally {
      s.exit();
    }
  }

  /**
   * HSETEX (Redis 8): sets field value pairs, with FNX/FXX conditions and KEEPTTL or an absolute
   * TTL ({@link #NO_EXPIRY} = none: TTLs are cleared unless KEEPTTL; a time not in the future, 0
   * included, deletes the fields as PXAT 0 does in Redis).
   *
   * @param flags HSETEX_FNX, HSETEX_FXX, HSETEX_KEEPTTL.
   * @return 1 all set, 0 none (condition), WRONGTYPE, OOM.
   */
  public int hsetEx(
      final DirectBuffer key,
      final int off,
      final int len,
      final int flags,
      final long atMs,
      final Args pairs,
      final int from,
      final int to) {
    if (!store.ensureMemory()) {
      return Status.OOM;
    }
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      final int ref = s.lookupWrite(key, off, len, h);
      if (ref != 0 && s.rec.type() != ValueType.HASH.id) {
        return Status.WRONGTYPE;
      }
      if ((flags & (HSETEX_FNX | HSETEX_FXX)) != 0) {
        for (int i = from; i + 1 < to; i += 2) {
          boolean present = false;
          if (ref != 0) {
            final HashCursor c = s.hashCursor();
            present = c.find(pairs.buffer(i), pairs.offset(i), pairs.length(i)) && c.alive(s.now);
          }
          if ((flags & HSETEX_FNX) != 0 ? present : !present) {
            return 0;
          }
        }
      }
      return s.hsetex(h, key, off, len, pairs, from, to, flags, atMs);
    } finally {
      s.exit();
    }
  }

  /**
   * HRANDFIELD.
   *
   * @param countGiven false for the single-field form.
   * @return OK, NIL (single form, missing key) or WRONGTYPE.
   */
  public int hrandField(
      final DirectBuffer key,
      final int off,
      final int len,
      final boolean countGiven,
      final long count,
      final boolean withValues,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hrandfield(h, key, off, len, countGiven, count, withValues, sink);
    } finally {
      s.exit();
    }
  }

  /**
   * HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]: one page. A listpack hash comes back
   * whole with next cursor 0 whatever the cursor (as Redis); a hashtable hash is walked about
   * {@code count} fields at a time. Every field present from the first call to the last is
   * delivered at least once, also while the hash's table grows or shrinks between calls; fields may
   * repeat.
   *
   * @param cursor the client's cursor, an unsigned 64-bit value (0 to start).
   * @param count COUNT hint (at least 1; 10 when absent).
   * @return next cursor (0 = done; never negative) or WRONGTYPE. A missing key is an empty scan
   *     with next cursor 0.
   */
  public long hscan(
      final DirectBuffer key,
      final int off,
      final int len,
      final long cursor,
      final int count,
      final DirectBuffer pattern,
      final int patternOff,
      final int patternLen,
      final boolean noValues,
      final ValueSink sink) {
    final long h = hash(key, off, len);
    final Shard s = enter(h);
    try {
      return s.hscanStep(
          h, key, off, len, cursor, count, pattern, patternOff, patternLen, noValues, sink);
    } finally {
      s.exit();
    }
  }
}
