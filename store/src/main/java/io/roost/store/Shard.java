package io.roost.store;

import static io.roost.store.RecordDescriptor.HEADER_LENGTH;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One shard of one database: arena, index and expiry wheel plus the single-key record operations.
 * Everything except the lock, the identity fields and racy-read statistics is owned by the thread
 * holding {@link #lock}; {@link Database} takes it, sets {@link #now}, calls, releases.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li><b>Lookups</b> ({@link #lookupRead}/{@link #lookupWrite}) hide expired keys and, when
 *       expiry is active (primary), delete them with an {@code expired} event and a DEL effect. On
 *       a backup a write lookup still sees an expired key so replicated writes apply to it.
 *   <li><b>Positions</b> returned by the index stay valid until the next index mutation; code that
 *       inserts after finding re-finds by ref.
 *   <li><b>Records move</b> when their size class changes ({@link #resize}); the wheel and the
 *       index are updated, every flyweight must be re-wrapped.
 *   <li><b>Hashes</b> are rebuilt in {@link HashScratch} and stored back; before any access on a
 *       primary, fields whose TTL passed are reclaimed ({@link #purgeFields}).
 * </ul>
 */
final class Shard implements ExpiryWheel.Expirer {
  /** Mixed into the key seed for field hashes, so fields and keys hash independently. */
  static final long FIELD_SEED = 0x9E3779B97F4A7C15L;

  /** Delay before the wheel revisits an expired record of an inactive slot. */
  static final long INACTIVE_RECHECK_MS = 1000;

  final Store store;
  final int db;
  final int id;
  final int globalId;
  final ReentrantLock lock = new ReentrantLock();

  SlabArena arena;
  ShardIndex index;
  ExpiryWheel wheel;
  long keysWithExpiry;
  int epoch;

  /**
   * Keys per cluster slot (index = slot), allocated with the shard's first key; counts what {@link
   * #keyCount()} counts (expired keys not reclaimed yet included), for whole-cluster DBSIZE and
   * INFO keyspace without visiting records.
   */
  int[] slotKeys;

  /** Keys with a TTL per cluster slot, allocated with {@link #slotKeys}. */
  int[] slotExpires;

  final RecordFlyweight rec = new RecordFlyweight();
  final RecordFlyweight other = new RecordFlyweight();
  final RecordFlyweight hashRec = new RecordFlyweight();
  final HashScratch scratch = new HashScratch();
  final HashCursor cursor = new HashCursor();
  final HashCursor buildCursor = new HashCursor();
  final HashTable table = new HashTable();
  final org.agrona.ExpandableArrayBuffer exportBuffer = new org.agrona.ExpandableArrayBuffer(256);
  final long fieldSeed;
  final EffectWriter effect = new EffectWriter();
  final MutableLong tmpLong = new MutableLong();
  final UnsafeBuffer numberBuffer = new UnsafeBuffer(new byte[32]);
  final ScanVisitor scanVisitor = new ScanVisitor();

  long now;
  long lastPos;

  long hits;
  long misses;
  long expiredKeys;
  long evictedKeys;
  long expiredFields;

  Shard(final Store store, final int db, final int id, final int globalId) {
    this.store = store;
    this.db = db;
    this.id = id;
    this.globalId = globalId;
    this.fieldSeed = store.hashSeed ^ FIELD_SEED;
    this.arena = new SlabArena(store.memory);
    this.index =
        new ShardIndex(arena, store.memory, store.hashSeed, store.context.initialBucketsPerShard());
    this.wheel = new ExpiryWheel(arena, store.clock.epochMs());
  }

  void enter(final long nowMs) {
    lock.lock();
    now = nowMs;
  }

  void exit() {
    lock.unlock();
  }

  long keyCount() {
    return index.size();
  }

  // ---------------------------------------------------------------- events, effects, LRU

  void event(final KeyspaceEvent e, final DirectBuffer key, final int off, final int len) {
    if (store.eventsOn) {
      store.events.onEvent(db, e, key, off, len);
    }
  }

  boolean effectsOn() {
    return store.emitting();
  }

  void emit() {
    effect.emit(store.effects);
  }

  private void effectKey(final int op, final DirectBuffer key, final int off, final int len) {
    if (store.emitting()) {
      effect.begin(op, db).arg(key, off, len).emit(store.effects);
    }
  }

  private void effectKeyLong(
      final int op, final DirectBuffer key, final int off, final int len, final long v) {
    if (store.emitting()) {
      effect.begin(op, db).arg(key, off, len).argLong(v).emit(store.effects);
    }
  }

  /** SET effect from the current record (value, expiry, encoding). */
  void effectSetFromRecord(final int ref) {
    if (store.emitting()) {
      rec.wrap(arena, ref);
      effect
          .begin(EffectDescriptor.SET, db)
          .arg(rec.buffer, rec.keyOffset(), rec.keyLength())
          .arg(rec.buffer, rec.valueOffset(), rec.valueLength())
          .argLong(rec.expireAtMs())
          .argLong(rec.encoding())
          .emit(store.effects);
    }
  }

  int newLru() {
    return store.policy.lfu()
        ? (store.lfuMinutes(now) << 8) | Store.LFU_INIT_VAL
        : store.lruClock(now);
  }

  void touch(final RecordFlyweight r) {
    if (store.policy.lfu()) {
      final int lru = r.lru();
      int counter = store.lfuDecr(lru, now);
      counter = Store.lfuLogIncr(counter, store.lfuLogFactor);
      r.lru((store.lfuMinutes(now) << 8) | counter);
    } else {
      r.lru(store.lruClock(now));
    }
  }

  // ---------------------------------------------------------------- lookups and records

  /**
   * @param slot a record's cluster slot.
   * @return true if this node deletes what expires in that slot (primary with the slot active).
   */
  boolean reclaims(final int slot) {
    return store.expiryActive && store.activeSlots.test(slot);
  }

  /** Read lookup: hides expired keys, counts hits/misses, updates LRU/LFU. */
  int lookupRead(
      final DirectBuffer key, final int off, final int len, final long hash, final boolean touch) {
    final int ref = lookup(key, off, len, hash, false);
    if (ref == 0) {
      misses++;
      return 0;
    }
    hits++;
    if (touch) {
      touch(rec);
    }
    return ref;
  }

  /** Lookup without stats or LRU update (EXISTS, TYPE, TTL, OBJECT). */
  int lookupQuiet(final DirectBuffer key, final int off, final int len, final long hash) {
    return lookup(key, off, len, hash, false);
  }

  /** Write lookup; on a backup an expired key stays visible. */
  int lookupWrite(final DirectBuffer key, final int off, final int len, final long hash) {
    final int ref = lookup(key, off, len, hash, true);
    if (ref != 0) {
      touch(rec);
    }
    return ref;
  }

  /**
   * @param forWrite on a slot this node does not reclaim (a backup), an expired key stays visible
   *     to writes so replicated writes apply to it.
   */
  private int lookup(
      final DirectBuffer key,
      final int off,
      final int len,
      final long hash,
      final boolean forWrite) {
    final long pos = index.find(hash, key, off, len);
    if (pos < 0) {
      return 0;
    }
    final int ref = index.refAt(pos);
    rec.wrap(arena, ref);
    final long exp = rec.expireAtMs();
    final boolean reclaim;
    if (exp != 0 && exp <= now) {
      reclaim = reclaims(rec.slot());
      if (reclaim || !forWrite) {
        if (reclaim) {
          expireKey(ref, pos, hash);
        }
        return 0;
      }
    } else {
      reclaim = rec.type() == ValueType.HASH.id && reclaims(rec.slot());
    }
    if (reclaim && rec.type() == ValueType.HASH.id) {
      final long minField =
          rec.buffer.getLong(rec.valueOffset() + HashDescriptor.MIN_EXPIRE_OFFSET);
      if (minField != 0 && minField <= now) {
        lastPos = pos;
        final int r = purgeFields(ref, hash);
        if (r == 0) {
          return 0;
        }
        rec.wrap(arena, r);
        lastPos = index.findRef(hash, r);
        return r;
      }
    }
    lastPos = pos;
    return ref;
  }

  /**
   * Allocates a record, copies the key, inserts it in the index.
   *
   * @return the ref (rec wraps it) or 0 when out of memory.
   */
  int create(
      final int type,
      final int encoding,
      final DirectBuffer key,
      final int off,
      final int len,
      final long valueLength,
      final long hash) {
    final long size = RecordDescriptor.recordLength(len, valueLength);
    if (size > Integer.MAX_VALUE - 64) {
      return 0;
    }
    final int ref =
        size > SlabArena.LARGE_BLOCK_BYTES
            ? arena.allocateDedicated((int) size, size)
            : arena.allocate((int) size);
    if (ref == 0) {
      return 0;
    }
    final int slot = Bytes.clusterSlot(key, off, len);
    rec.wrap(arena, ref).init(type, encoding, newLru(), slot, key, off, len, (int) valueLength);
    index.insert(hash, ref);
    if (slotKeys == null) {
      slotKeys = new int[RecordDescriptor.SLOT_COUNT];
      slotExpires = new int[RecordDescriptor.SLOT_COUNT];
    }
    slotKeys[slot]++;
    return ref;
  }

  /** Copies a whole record of another shard/arena under a new key (RENAME, COPY, MOVE). */
  int createCopy(
      final Shard srcShard,
      final RecordFlyweight src,
      final DirectBuffer key,
      final int off,
      final int len,
      final long hash) {
    final int ref;
    if (src.type() == ValueType.HASH.id && src.encoding() == Encoding.HASHTABLE.id) {
      final int n = srcShard.exportPacked(src.ref, 0);
      ref = createIndexed(hash, key, off, len, srcShard.exportBuffer, 0, n);
      if (ref == 0) {
        return 0;
      }
    } else {
      ref = create(src.type(), src.encoding(), key, off, len, src.valueLength(), hash);
      if (ref == 0) {
        return 0;
      }
      rec.buffer.putBytes(rec.valueOffset(), src.buffer, src.valueOffset(), src.valueLength());
    }
    rec.lru(src.lru());
    final long exp = src.expireAtMs();
    setExpire(ref, exp);
    rescheduleWheel(ref);
    rec.wrap(arena, ref);
    return ref;
  }

  /** Removes a record found at pos (from a lookup) and frees it. */
  void delete(final int ref, final long pos, final long hash) {
    rec.wrap(arena, ref);
    final int slot = rec.slot();
    slotKeys[slot]--;
    if (rec.expireAtMs() != 0) {
      keysWithExpiry--;
      slotExpires[slot]--;
    }
    if (rec.encoding() == Encoding.HASHTABLE.id && rec.type() == ValueType.HASH.id) {
      indexedHash(ref).freeAll();
    }
    wheel.remove(ref);
    index.remove(pos, hash);
    arena.free(ref, rec.recordLength());
  }

  /** Deletes a record known by ref only (wheel, eviction). */
  void deleteByRef(final int ref) {
    final long hash = index.hashOf(ref);
    final long pos = index.findRef(hash, ref);
    if (pos >= 0) {
      delete(ref, pos, hash);
    }
  }

  private void expireKey(final int ref, final long pos, final long hash) {
    rec.wrap(arena, ref);
    event(KeyspaceEvent.EXPIRED, rec.buffer, rec.keyOffset(), rec.keyLength());
    effectKey(EffectDescriptor.DEL, rec.buffer, rec.keyOffset(), rec.keyLength());
    expiredKeys++;
    delete(ref, pos, hash);
  }

  /** Sets the key TTL and counters; does not touch the wheel. */
  void setExpire(final int ref, final long expireAtMs) {
    rec.wrap(arena, ref);
    final long old = rec.expireAtMs();
    if (old == 0 && expireAtMs != 0) {
      keysWithExpiry++;
      slotExpires[rec.slot()]++;
    } else if (old != 0 && expireAtMs == 0) {
      keysWithExpiry--;
      slotExpires[rec.slot()]--;
    }
    rec.expireAtMs(expireAtMs);
  }

  void rescheduleWheel(final int ref) {
    wheel.reschedule(ref, wheel.deadline(ref));
  }

  void expireAndReschedule(final int ref, final long expireAtMs) {
    setExpire(ref, expireAtMs);
    rescheduleWheel(ref);
  }

  /**
   * Changes the value length of a record, moving it when its block does not fit.
   *
   * @param keepValueBytes value bytes to preserve.
   * @return the (possibly new) ref wrapped by rec, or 0 when out of memory (record untouched).
   */
  int resize(final int ref, final long pos, final long newValueLength, final int keepValueBytes) {
    rec.wrap(arena, ref);
    final int oldSize = rec.recordLength();
    final long newSizeLong = RecordDescriptor.recordLength(rec.keyLength(), newValueLength);
    if (newSizeLong > Integer.MAX_VALUE - 64) {
      return 0;
    }
    final int newSize = (int) newSizeLong;
    final boolean fits =
        arena.isDedicated(ref)
            ? newSize <= arena.capacity(ref, oldSize) && newSize > SlabArena.LARGE_BLOCK_BYTES / 2
            : newSize <= SlabArena.LARGE_BLOCK_BYTES
                && SlabArena.classOf(newSize) == SlabArena.classOf(oldSize);
    if (fits) {
      rec.valueLength((int) newValueLength);
      return ref;
    }
    final int newRef;
    if (newSize > SlabArena.LARGE_BLOCK_BYTES) {
      final long capacity = newSize > oldSize ? newSize + (long) newSize / 2 : newSize;
      newRef = arena.allocateDedicated(newSize, Math.min(capacity, Integer.MAX_VALUE - 64));
    } else {
      newRef = arena.allocate(newSize);
    }
    if (newRef == 0) {
      return 0;
    }
    final UnsafeBuffer oldBuffer = rec.buffer;
    final int oldOffset = rec.offset;
    final int copy = HEADER_LENGTH + rec.keyLength() + Math.min(keepValueBytes, rec.valueLength());
    other.wrap(arena, newRef);
    other.buffer.putBytes(other.offset, oldBuffer, oldOffset, copy);
    other.valueLength((int) newValueLength);
    wheel.relocate(ref, newRef);
    index.replace(pos, newRef);
    arena.free(ref, oldSize);
    rec.wrap(arena, newRef);
    return newRef;
  }

  // ---------------------------------------------------------------- expiry

  @Override
  public void expire(final int ref) {
    rec.wrap(arena, ref);
    if (!store.activeSlots.test(rec.slot())) {
      // not this node's to reclaim now: look again later (the slot may become active)
      wheel.reschedule(ref, now + INACTIVE_RECHECK_MS);
      return;
    }
    final long exp = rec.expireAtMs();
    if (exp != 0 && exp <= now) {
      final long hash = index.hashOf(ref);
      final long pos = index.findRef(hash, ref);
      if (pos >= 0) {
        expireKey(ref, pos, hash);
      }
      return;
    }
    if (rec.type() == ValueType.HASH.id) {
      final long hash = index.hashOf(ref);
      lastPos = index.findRef(hash, ref);
      if (lastPos >= 0) {
        purgeFields(ref, hash);
      }
      return;
    }
    rescheduleWheel(ref);
  }

  int tick(final long nowMs, final int budget) {
    now = nowMs;
    index.migrateStep();
    if (!store.expiryActive) {
      return 0;
    }
    return wheel.advance(nowMs, budget, this);
  }

  // ---------------------------------------------------------------- strings

  static int stringEncoding(
      final DirectBuffer v, final int off, final int len, final MutableLong tmp) {
    if (len <= Numbers.MAX_LONG_CHARS && Numbers.parseLong(v, off, len, tmp)) {
      return Encoding.INT.id;
    }
    return len <= 44 ? Encoding.EMBSTR.id : Encoding.RAW.id;
  }

  /**
   * Stores a string value under a key, replacing any value (keeps nothing of the old record).
   *
   * @return the ref or 0 when out of memory.
   */
  int writeString(
      final int existing,
      final long hash,
      final DirectBuffer key,
      final int keyOff,
      final int keyLen,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final int encoding) {
    int ref = existing;
    if (ref != 0 && rec.wrap(arena, ref).type() == ValueType.STRING.id) {
      ref = resize(ref, lastPos, vLen, 0);
      if (ref == 0) {
        return 0;
      }
      rec.buffer.putBytes(rec.valueOffset(), v, vOff, vLen);
      rec.meta(RecordDescriptor.meta(ValueType.STRING.id, encoding, newLru()));
      return ref;
    }
    if (ref != 0) {
      final long exp = rec.expireAtMs();
      delete(ref, lastPos, hash);
      ref = create(ValueType.STRING.id, encoding, key, keyOff, keyLen, vLen, hash);
      if (ref == 0) {
        return 0;
      }
      rec.buffer.putBytes(rec.valueOffset(), v, vOff, vLen);
      setExpire(ref, exp);
      return ref;
    }
    ref = create(ValueType.STRING.id, encoding, key, keyOff, keyLen, vLen, hash);
    if (ref != 0) {
      rec.buffer.putBytes(rec.valueOffset(), v, vOff, vLen);
    }
    return ref;
  }

  int get(
      final long hash, final DirectBuffer key, final int off, final int len, final ValueSink sink) {
    final int ref = lookupRead(key, off, len, hash, true);
    if (ref == 0) {
      return Status.NIL;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    sink.value(rec.buffer, rec.valueOffset(), rec.valueLength());
    return Status.OK;
  }

  int set(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final int flags,
      final long expireAtMs,
      final ValueSink oldValue) {
    int ref = lookupWrite(key, off, len, hash);
    if ((flags & Database.SET_GET) != 0) {
      if (ref != 0) {
        if (rec.type() != ValueType.STRING.id) {
          return Status.WRONGTYPE;
        }
        oldValue.value(rec.buffer, rec.valueOffset(), rec.valueLength());
      } else {
        oldValue.nil();
      }
    }
    if (((flags & Database.SET_NX) != 0 && ref != 0)
        || ((flags & Database.SET_XX) != 0 && ref == 0)) {
      return Status.NOT_SET;
    }
    final boolean created = ref == 0;
    final long expire =
        expireAtMs != 0
            ? expireAtMs
            : ((flags & Database.SET_KEEPTTL) != 0 && ref != 0 ? rec.expireAtMs() : 0);
    ref =
        writeString(
            ref, hash, key, off, len, v, vOff, vLen, stringEncoding(v, vOff, vLen, tmpLong));
    if (ref == 0) {
      return Status.OOM;
    }
    expireAndReschedule(ref, expire);
    if (created) {
      event(KeyspaceEvent.NEW, key, off, len);
    }
    event(KeyspaceEvent.SET, key, off, len);
    if (expireAtMs != 0) {
      event(KeyspaceEvent.EXPIRE, key, off, len);
    }
    effectSetFromRecord(ref);
    return Status.OK;
  }

  /** Replication: SET with exact expiry and encoding. */
  int setExact(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer v,
      final int vOff,
      final int vLen,
      final long expireAtMs,
      final int encoding) {
    int ref = lookupWrite(key, off, len, hash);
    final boolean created = ref == 0;
    ref = writeString(ref, hash, key, off, len, v, vOff, vLen, encoding);
    if (ref == 0) {
      return Status.OOM;
    }
    expireAndReschedule(ref, expireAtMs);
    if (created) {
      event(KeyspaceEvent.NEW, key, off, len);
    }
    event(KeyspaceEvent.SET, key, off, len);
    effectSetFromRecord(ref);
    return Status.OK;
  }

  int getEx(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final int mode,
      final long expireAtMs,
      final ValueSink sink) {
    final int ref = lookupRead(key, off, len, hash, true);
    if (ref == 0) {
      return Status.NIL;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    sink.value(rec.buffer, rec.valueOffset(), rec.valueLength());
    if (mode == Database.GETEX_EXPIRE) {
      if (expireAtMs <= now && reclaims(rec.slot())) {
        delete(ref, lastPos, hash);
        event(KeyspaceEvent.DEL, key, off, len);
        effectKey(EffectDescriptor.DEL, key, off, len);
      } else {
        expireAndReschedule(ref, expireAtMs);
        event(KeyspaceEvent.EXPIRE, key, off, len);
        effectKeyLong(EffectDescriptor.PEXPIREAT, key, off, len, expireAtMs);
      }
    } else if (mode == Database.GETEX_PERSIST && rec.expireAtMs() != 0) {
      expireAndReschedule(ref, 0);
      event(KeyspaceEvent.PERSIST, key, off, len);
      effectKey(EffectDescriptor.PERSIST, key, off, len);
    }
    return Status.OK;
  }

  int getDel(
      final long hash, final DirectBuffer key, final int off, final int len, final ValueSink sink) {
    final int ref = lookupRead(key, off, len, hash, false);
    if (ref == 0) {
      return Status.NIL;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    sink.value(rec.buffer, rec.valueOffset(), rec.valueLength());
    delete(ref, lastPos, hash);
    event(KeyspaceEvent.DEL, key, off, len);
    effectKey(EffectDescriptor.DEL, key, off, len);
    return Status.OK;
  }

  long append(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer v,
      final int vOff,
      final int vLen) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      ref =
          writeString(
              0, hash, key, off, len, v, vOff, vLen, stringEncoding(v, vOff, vLen, tmpLong));
      if (ref == 0) {
        return Status.OOM;
      }
      event(KeyspaceEvent.NEW, key, off, len);
      event(KeyspaceEvent.APPEND, key, off, len);
      effectSetFromRecord(ref);
      return vLen;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    final int oldLen = rec.valueLength();
    final long total = (long) oldLen + vLen;
    if (total > StoreConfiguration.MAX_STRING_BYTES) {
      return Status.STRING_TOO_LONG;
    }
    ref = resize(ref, lastPos, total, oldLen);
    if (ref == 0) {
      return Status.OOM;
    }
    rec.buffer.putBytes(rec.valueOffset() + oldLen, v, vOff, vLen);
    rec.encoding(Encoding.RAW.id);
    event(KeyspaceEvent.APPEND, key, off, len);
    effectSetFromRecord(ref);
    return total;
  }

  long strlen(final long hash, final DirectBuffer key, final int off, final int len) {
    final int ref = lookupRead(key, off, len, hash, true);
    if (ref == 0) {
      return 0;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    return rec.valueLength();
  }

  int getRange(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final long startIndex,
      final long endIndex,
      final ValueSink sink) {
    final int ref = lookupRead(key, off, len, hash, true);
    if (ref == 0) {
      sink.value(numberBuffer, 0, 0);
      return Status.OK;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    final long strlen = rec.valueLength();
    long start = startIndex;
    long end = endIndex;
    if (start < 0 && end < 0 && start > end) {
      sink.value(numberBuffer, 0, 0);
      return Status.OK;
    }
    if (start < 0) {
      start = strlen + start;
    }
    if (end < 0) {
      end = strlen + end;
    }
    if (start < 0) {
      start = 0;
    }
    if (end < 0) {
      end = 0;
    }
    if (end >= strlen) {
      end = strlen - 1;
    }
    if (start > end || strlen == 0) {
      sink.value(numberBuffer, 0, 0);
    } else {
      sink.value(rec.buffer, rec.valueOffset() + (int) start, (int) (end - start + 1));
    }
    return Status.OK;
  }

  long setRange(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final long offset,
      final DirectBuffer v,
      final int vOff,
      final int vLen) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      if (vLen == 0) {
        return 0;
      }
      if (offset > StoreConfiguration.MAX_STRING_BYTES - vLen) {
        return Status.STRING_TOO_LONG;
      }
      ref = create(ValueType.STRING.id, Encoding.RAW.id, key, off, len, offset + vLen, hash);
      if (ref == 0) {
        return Status.OOM;
      }
      rec.buffer.setMemory(rec.valueOffset(), (int) offset, (byte) 0);
      rec.buffer.putBytes(rec.valueOffset() + (int) offset, v, vOff, vLen);
      event(KeyspaceEvent.NEW, key, off, len);
      event(KeyspaceEvent.SETRANGE, key, off, len);
      effectSetFromRecord(ref);
      return offset + vLen;
    }
    if (rec.type() != ValueType.STRING.id) {
      return Status.WRONGTYPE;
    }
    final int oldLen = rec.valueLength();
    if (vLen == 0) {
      return oldLen;
    }
    if (offset > StoreConfiguration.MAX_STRING_BYTES - vLen) {
      return Status.STRING_TOO_LONG;
    }
    final long newLen = Math.max(oldLen, offset + vLen);
    if (newLen != oldLen) {
      ref = resize(ref, lastPos, newLen, oldLen);
      if (ref == 0) {
        return Status.OOM;
      }
      if (offset > oldLen) {
        rec.buffer.setMemory(rec.valueOffset() + oldLen, (int) (offset - oldLen), (byte) 0);
      }
    }
    rec.buffer.putBytes(rec.valueOffset() + (int) offset, v, vOff, vLen);
    rec.encoding(Encoding.RAW.id);
    event(KeyspaceEvent.SETRANGE, key, off, len);
    effectSetFromRecord(ref);
    return newLen;
  }

  int incrBy(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final long delta,
      final MutableLong out) {
    int ref = lookupWrite(key, off, len, hash);
    long value = 0;
    long expire = 0;
    if (ref != 0) {
      if (rec.type() != ValueType.STRING.id) {
        return Status.WRONGTYPE;
      }
      if (!Numbers.parseLong(rec.buffer, rec.valueOffset(), rec.valueLength(), tmpLong)) {
        return Status.NOT_INTEGER;
      }
      value = tmpLong.get();
      expire = rec.expireAtMs();
    }
    if ((delta < 0 && value < 0 && delta < Long.MIN_VALUE - value)
        || (delta > 0 && value > 0 && delta > Long.MAX_VALUE - value)) {
      return Status.OVERFLOW;
    }
    value += delta;
    final int n = Numbers.formatLong(value, numberBuffer, 0);
    final boolean created = ref == 0;
    ref = writeString(ref, hash, key, off, len, numberBuffer, 0, n, Encoding.INT.id);
    if (ref == 0) {
      return Status.OOM;
    }
    if (created) {
      event(KeyspaceEvent.NEW, key, off, len);
    }
    expireAndReschedule(ref, expire);
    out.set(value);
    event(KeyspaceEvent.INCRBY, key, off, len);
    effectSetFromRecord(ref);
    return Status.OK;
  }

  int incrByFloat(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer incr,
      final int incrOff,
      final int incrLen,
      final ValueSink sink) {
    int ref = lookupWrite(key, off, len, hash);
    java.math.BigDecimal value = java.math.BigDecimal.ZERO;
    long expire = 0;
    if (ref != 0) {
      if (rec.type() != ValueType.STRING.id) {
        return Status.WRONGTYPE;
      }
      value = Numbers.parseLongDouble(rec.buffer, rec.valueOffset(), rec.valueLength());
      if (value == null) {
        return Status.NOT_FLOAT;
      }
      expire = rec.expireAtMs();
    }
    final java.math.BigDecimal increment = Numbers.parseLongDouble(incr, incrOff, incrLen);
    if (increment == null) {
      return Status.NOT_FLOAT;
    }
    final java.math.BigDecimal sum = Numbers.addLongDouble(value, increment);
    if (Numbers.isInfinite(sum) || Numbers.isInfinite(value) || Numbers.isInfinite(increment)) {
      return Status.NAN_OR_INFINITY;
    }
    final byte[] text = Numbers.formatLongDoubleHuman(sum);
    final UnsafeBuffer tb = new UnsafeBuffer(text);
    final boolean created = ref == 0;
    ref =
        writeString(
            ref,
            hash,
            key,
            off,
            len,
            tb,
            0,
            text.length,
            text.length <= 44 ? Encoding.EMBSTR.id : Encoding.RAW.id);
    if (ref == 0) {
      return Status.OOM;
    }
    if (created) {
      event(KeyspaceEvent.NEW, key, off, len);
    }
    expireAndReschedule(ref, expire);
    sink.value(tb, 0, text.length);
    event(KeyspaceEvent.INCRBYFLOAT, key, off, len);
    effectSetFromRecord(ref);
    return Status.OK;
  }

  // ---------------------------------------------------------------- keys

  int del(final long hash, final DirectBuffer key, final int off, final int len) {
    final int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      return 0;
    }
    delete(ref, lastPos, hash);
    event(KeyspaceEvent.DEL, key, off, len);
    effectKey(EffectDescriptor.DEL, key, off, len);
    return 1;
  }

  /** Deletes every record of the given cluster slots, expired ones included, silently. */
  int dropSlots(final java.util.function.IntPredicate slots) {
    final org.agrona.collections.IntArrayList refs = new org.agrona.collections.IntArrayList();
    index.forEach(
        ref -> {
          if (slots.test(other.wrap(arena, ref).slot())) {
            refs.addInt(ref);
          }
        });
    for (int i = 0; i < refs.size(); i++) {
      deleteByRef(refs.getInt(i));
    }
    return refs.size();
  }

  int exists(final long hash, final DirectBuffer key, final int off, final int len) {
    return lookupQuiet(key, off, len, hash) != 0 ? 1 : 0;
  }

  int touchKey(final long hash, final DirectBuffer key, final int off, final int len) {
    return lookupRead(key, off, len, hash, true) != 0 ? 1 : 0;
  }

  int type(final long hash, final DirectBuffer key, final int off, final int len) {
    return lookupQuiet(key, off, len, hash) != 0 ? rec.type() : ValueType.NONE.id;
  }

  int expireAt(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final long atMs,
      final int flags) {
    final int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      return 0;
    }
    final long current = rec.expireAtMs();
    if ((flags & Database.EXPIRE_NX) != 0 && current != 0) {
      return 0;
    }
    if ((flags & Database.EXPIRE_XX) != 0 && current == 0) {
      return 0;
    }
    if ((flags & Database.EXPIRE_GT) != 0 && (current == 0 || atMs <= current)) {
      return 0;
    }
    if ((flags & Database.EXPIRE_LT) != 0 && current != 0 && atMs >= current) {
      return 0;
    }
    if (atMs <= now && reclaims(rec.slot())) {
      delete(ref, lastPos, hash);
      event(KeyspaceEvent.DEL, key, off, len);
      effectKey(EffectDescriptor.DEL, key, off, len);
      return 1;
    }
    expireAndReschedule(ref, atMs);
    event(KeyspaceEvent.EXPIRE, key, off, len);
    effectKeyLong(EffectDescriptor.PEXPIREAT, key, off, len, atMs);
    return 1;
  }

  long expireTime(final long hash, final DirectBuffer key, final int off, final int len) {
    if (lookupQuiet(key, off, len, hash) == 0) {
      return -2;
    }
    final long exp = rec.expireAtMs();
    return exp == 0 ? -1 : exp;
  }

  int persist(final long hash, final DirectBuffer key, final int off, final int len) {
    final int ref = lookupWrite(key, off, len, hash);
    if (ref == 0 || rec.expireAtMs() == 0) {
      return 0;
    }
    expireAndReschedule(ref, 0);
    event(KeyspaceEvent.PERSIST, key, off, len);
    effectKey(EffectDescriptor.PERSIST, key, off, len);
    return 1;
  }

  int objectEncoding(final long hash, final DirectBuffer key, final int off, final int len) {
    return lookupQuiet(key, off, len, hash) != 0 ? rec.encoding() : -1;
  }

  long objectFreq(final long hash, final DirectBuffer key, final int off, final int len) {
    if (lookupQuiet(key, off, len, hash) == 0) {
      return Status.NO_SUCH_KEY;
    }
    if (!store.policy.lfu()) {
      return Status.WRONG_POLICY;
    }
    return store.lfuDecr(rec.lru(), now);
  }

  long objectIdleSeconds(final long hash, final DirectBuffer key, final int off, final int len) {
    if (lookupQuiet(key, off, len, hash) == 0) {
      return Status.NO_SUCH_KEY;
    }
    if (store.policy.lfu()) {
      return Status.WRONG_POLICY;
    }
    return store.idleMs(rec.lru(), now) / 1000;
  }

  long memoryUsage(final long hash, final DirectBuffer key, final int off, final int len) {
    final int ref = lookupQuiet(key, off, len, hash);
    if (ref == 0) {
      return -2;
    }
    final int size = rec.recordLength();
    final long own =
        arena.isDedicated(ref) ? arena.capacity(ref, size) + 8 : SlabArena.blockBytes(size) + 8;
    if (rec.type() == ValueType.HASH.id && rec.encoding() == Encoding.HASHTABLE.id) {
      return own + rec.buffer.getLong(rec.valueOffset() + HashTableDescriptor.BLOCK_BYTES_OFFSET);
    }
    return own;
  }

  // ---------------------------------------------------------------- hashes

  /**
   * Deletes fields whose TTL passed (primary only) and stores the hash back.
   *
   * @return the hash's ref, or 0 if the key went away. Uses {@link #lastPos}.
   */
  int purgeFields(final int ref, final long hash) {
    rec.wrap(arena, ref);
    loadScratch();
    final boolean events = store.emitting();
    if (events) {
      effect.begin(EffectDescriptor.HDEL, db).arg(rec.buffer, rec.keyOffset(), rec.keyLength());
    }
    int removed = 0;
    HashCursor c = scratch.iterate();
    while (c.next()) {
      final long t = c.ttl();
      if (t != 0 && t <= now) {
        if (events) {
          effect.arg(c.buffer, c.fieldOffset, c.fieldLength);
        }
        scratch.removeCurrent();
        removed++;
      }
    }
    scratch.recomputeMinExpireExact();
    if (removed == 0) {
      final int r = storeHash(ref, lastPos, hash, rec.encoding());
      rescheduleWheel(r);
      return r;
    }
    expiredFields += removed;
    event(KeyspaceEvent.HEXPIRED, rec.buffer, rec.keyOffset(), rec.keyLength());
    if (events) {
      emit();
    }
    if (scratch.count() == 0) {
      rec.wrap(arena, ref);
      event(KeyspaceEvent.DEL, rec.buffer, rec.keyOffset(), rec.keyLength());
      delete(ref, lastPos, hash);
      return 0;
    }
    final int r = storeHash(ref, lastPos, hash, rec.encoding());
    rescheduleWheel(r);
    return r;
  }

  /**
   * Writes the scratch hash back into the record (in place or moved).
   *
   * @return the ref, or 0 when out of memory (record untouched).
   */
  int storeHash(final int ref, final long pos, final long hash, final int oldEncoding) {
    if (scratch.indexed) {
      rec.wrap(arena, ref);
      if (scratch.failed) {
        return 0;
      }
      scratch.table.shrinkIfSparse();
      return ref;
    }
    if (hashEncoding(oldEncoding) == Encoding.HASHTABLE.id) {
      return convertToIndexed(ref, pos);
    }
    final int newRef = resize(ref, pos, scratch.length, 0);
    if (newRef == 0) {
      return 0;
    }
    rec.buffer.putBytes(rec.valueOffset(), scratch.buffer, 0, scratch.length);
    rec.encoding(hashEncoding(oldEncoding));
    return newRef;
  }

  /**
   * Replaces the packed hash of a record by the scratch's contents in the indexed encoding (the
   * one-way conversion past hash-max-listpack-entries/-value).
   *
   * @return the ref wrapped by rec, or 0 when out of memory (record untouched).
   */
  private int convertToIndexed(final int ref, final long pos) {
    if (!buildIndexed(scratch.buffer, 0, scratch.length)) {
      return 0;
    }
    final int newRef = resize(ref, pos, HashTableDescriptor.HEADER_LENGTH, 0);
    if (newRef == 0) {
      table.freeAll();
      return 0;
    }
    rec.buffer.putBytes(rec.valueOffset(), table.staging, 0, HashTableDescriptor.HEADER_LENGTH);
    rec.encoding(Encoding.HASHTABLE.id);
    return newRef;
  }

  private int hashEncoding(final int oldEncoding) {
    if (oldEncoding == Encoding.HASHTABLE.id
        || scratch.count() > store.hashMaxListpackEntries
        || scratch.maxFieldOrValue > store.hashMaxListpackValue) {
      return Encoding.HASHTABLE.id;
    }
    return scratch.withTtl() ? Encoding.LISTPACK_EX.id : Encoding.LISTPACK.id;
  }

  /** Creates a hash from the scratch. */
  int createHash(final long hash, final DirectBuffer key, final int off, final int len) {
    if (hashEncoding(Encoding.LISTPACK.id) == Encoding.HASHTABLE.id) {
      return createIndexed(hash, key, off, len, scratch.buffer, 0, scratch.length);
    }
    final int ref =
        create(
            ValueType.HASH.id,
            hashEncoding(Encoding.LISTPACK.id),
            key,
            off,
            len,
            scratch.length,
            hash);
    if (ref == 0) {
      return 0;
    }
    rec.buffer.putBytes(rec.valueOffset(), scratch.buffer, 0, scratch.length);
    return ref;
  }

  /**
   * Creates an indexed hash from a packed value.
   *
   * @return the ref (rec wraps it) or 0 when out of memory.
   */
  int createIndexed(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer packed,
      final int pOff,
      final int pLen) {
    if (!buildIndexed(packed, pOff, pLen)) {
      return 0;
    }
    final int ref =
        create(
            ValueType.HASH.id,
            Encoding.HASHTABLE.id,
            key,
            off,
            len,
            HashTableDescriptor.HEADER_LENGTH,
            hash);
    if (ref == 0) {
      table.freeAll();
      return 0;
    }
    rec.buffer.putBytes(rec.valueOffset(), table.staging, 0, HashTableDescriptor.HEADER_LENGTH);
    return ref;
  }

  /** Looks up a hash for reading: NIL status if missing, WRONGTYPE, else OK with rec wrapped. */
  int hashForRead(final long hash, final DirectBuffer key, final int off, final int len) {
    final int ref = lookupRead(key, off, len, hash, true);
    if (ref == 0) {
      return Status.NIL;
    }
    return rec.type() == ValueType.HASH.id ? Status.OK : Status.WRONGTYPE;
  }

  HashCursor hashCursor() {
    if (rec.encoding() == Encoding.HASHTABLE.id) {
      return cursor.resetIndexed(arena, rec.buffer, rec.valueOffset(), fieldSeed);
    }
    return cursor.reset(rec.buffer, rec.valueOffset(), rec.valueLength());
  }

  /** Loads the hash rec wraps into the scratch (packed copy, or indexed in place). */
  void loadScratch() {
    if (rec.encoding() == Encoding.HASHTABLE.id) {
      scratch.loadIndexed(arena, rec.buffer, rec.valueOffset(), fieldSeed);
    } else {
      scratch.load(rec.buffer, rec.valueOffset(), rec.valueLength());
    }
  }

  /** Wraps the indexed hash of record ref in {@link #table}. */
  HashTable indexedHash(final int ref) {
    final RecordFlyweight r = hashRec.wrap(arena, ref);
    return table.wrap(arena, r.buffer, r.valueOffset(), fieldSeed);
  }

  /**
   * Builds an indexed hash from a packed one into the table's staging header (nothing in the
   * keyspace changes).
   *
   * @return false when out of memory (nothing allocated).
   */
  boolean buildIndexed(final DirectBuffer packed, final int off, final int len) {
    final HashCursor c = buildCursor.reset(packed, off, len);
    if (!table.initStaging(arena, fieldSeed, c.count())) {
      return false;
    }
    while (c.next()) {
      if (!table.insert(
          c.buffer,
          c.fieldOffset,
          c.fieldLength,
          c.buffer,
          c.valueOffset,
          c.valueLength,
          c.ttl())) {
        table.freeAll();
        return false;
      }
    }
    return true;
  }

  /**
   * Serialises the indexed hash of record ref as a packed value into {@link #exportBuffer} at at.
   */
  int exportPacked(final int ref, final int at) {
    final HashTable t = indexedHash(ref);
    final long n = t.packedLength();
    if (at + n > Integer.MAX_VALUE - 64) {
      throw new IllegalStateException("hash too large to serialise bytes=" + n);
    }
    exportBuffer.checkLimit((int) (at + n));
    return t.writePacked(exportBuffer, at);
  }

  long hset(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final Args args,
      final int from,
      final int to,
      final boolean onlyIfAbsent) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref != 0 && rec.type() != ValueType.HASH.id) {
      return Status.WRONGTYPE;
    }
    if (ref == 0) {
      scratch.empty();
    } else {
      loadScratch();
    }
    int added = 0;
    for (int i = from; i + 1 < to; i += 2) {
      final DirectBuffer f = args.buffer(i);
      final int fo = args.offset(i);
      final int fl = args.length(i);
      if (scratch.find(f, fo, fl)) {
        if (onlyIfAbsent) {
          continue;
        }
        scratch.replaceCurrent(args.buffer(i + 1), args.offset(i + 1), args.length(i + 1), false);
      } else {
        scratch.append(f, fo, fl, args.buffer(i + 1), args.offset(i + 1), args.length(i + 1), 0L);
        added++;
      }
    }
    if (onlyIfAbsent && added == 0) {
      return 0;
    }
    scratch.recomputeMinExpire();
    if (ref == 0) {
      ref = createHash(hash, key, off, len);
      if (ref == 0) {
        return Status.OOM;
      }
      event(KeyspaceEvent.NEW, key, off, len);
    } else {
      ref = storeHash(ref, lastPos, hash, rec.encoding());
      if (ref == 0) {
        return Status.OOM;
      }
    }
    rescheduleWheel(ref);
    event(KeyspaceEvent.HSET, key, off, len);
    if (store.emitting()) {
      effect.begin(EffectDescriptor.HSET, db).arg(key, off, len);
      for (int i = from; i + 1 < to; i += 2) {
        effect.arg(args.buffer(i), args.offset(i), args.length(i));
        effect.arg(args.buffer(i + 1), args.offset(i + 1), args.length(i + 1));
      }
      emit();
    }
    return added;
  }

  int hget(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s != Status.OK) {
      return s;
    }
    final HashCursor c = hashCursor();
    if (c.find(f, fOff, fLen) && c.alive(now)) {
      sink.value(c.buffer, c.valueOffset, c.valueLength);
      return Status.OK;
    }
    return Status.NIL;
  }

  int hmget(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final Args args,
      final int from,
      final int to,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s == Status.WRONGTYPE) {
      return s;
    }
    sink.arrayStart(to - from);
    for (int i = from; i < to; i++) {
      if (s == Status.OK) {
        final HashCursor c = hashCursor();
        if (c.find(args.buffer(i), args.offset(i), args.length(i)) && c.alive(now)) {
          sink.value(c.buffer, c.valueOffset, c.valueLength);
          continue;
        }
      }
      sink.nil();
    }
    return Status.OK;
  }

  int liveFieldCount() {
    final HashCursor c = hashCursor();
    final long min = c.minExpireMs();
    if (min == 0 || min > now) {
      return c.count();
    }
    int n = 0;
    while (c.next()) {
      if (c.alive(now)) {
        n++;
      }
    }
    return n;
  }

  int hgetAll(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final int what,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s == Status.WRONGTYPE) {
      return s;
    }
    if (s == Status.NIL) {
      sink.arrayStart(0);
      return Status.OK;
    }
    final int per = what == Database.HASH_BOTH ? 2 : 1;
    sink.arrayStart(liveFieldCount() * per);
    final HashCursor c = hashCursor();
    while (c.next()) {
      if (!c.alive(now)) {
        continue;
      }
      if ((what & Database.HASH_FIELDS) != 0) {
        sink.value(c.buffer, c.fieldOffset, c.fieldLength);
      }
      if ((what & Database.HASH_VALUES) != 0) {
        sink.value(c.buffer, c.valueOffset, c.valueLength);
      }
    }
    return Status.OK;
  }

  long hlen(final long hash, final DirectBuffer key, final int off, final int len) {
    final int s = hashForRead(hash, key, off, len);
    if (s != Status.OK) {
      return s == Status.NIL ? 0 : s;
    }
    return liveFieldCount();
  }

  long hstrlen(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen) {
    final int s = hashForRead(hash, key, off, len);
    if (s != Status.OK) {
      return s == Status.NIL ? 0 : s;
    }
    final HashCursor c = hashCursor();
    return c.find(f, fOff, fLen) && c.alive(now) ? c.valueLength : 0;
  }

  long hexists(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen) {
    final int s = hashForRead(hash, key, off, len);
    if (s != Status.OK) {
      return s == Status.NIL ? 0 : s;
    }
    final HashCursor c = hashCursor();
    return c.find(f, fOff, fLen) && c.alive(now) ? 1 : 0;
  }

  /** Deletes fields; delivers values first when sink is not null (HGETDEL). */
  long hdel(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final Args args,
      final int from,
      final int to,
      final ValueSink valuesOut) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      if (valuesOut != null) {
        valuesOut.arrayStart(to - from);
        for (int i = from; i < to; i++) {
          valuesOut.nil();
        }
      }
      return 0;
    }
    if (rec.type() != ValueType.HASH.id) {
      return Status.WRONGTYPE;
    }
    loadScratch();
    if (valuesOut != null) {
      valuesOut.arrayStart(to - from);
    }
    if (store.emitting()) {
      effect.begin(EffectDescriptor.HDEL, db).arg(key, off, len);
    }
    int removed = 0;
    for (int i = from; i < to; i++) {
      if (scratch.find(args.buffer(i), args.offset(i), args.length(i))
          && scratch.cursor.alive(now)) {
        if (valuesOut != null) {
          final HashCursor c = scratch.cursor;
          valuesOut.value(c.buffer, c.valueOffset, c.valueLength);
        }
        if (store.emitting()) {
          effect.arg(args.buffer(i), args.offset(i), args.length(i));
        }
        scratch.removeCurrent();
        removed++;
      } else if (valuesOut != null) {
        valuesOut.nil();
      }
    }
    if (removed == 0) {
      return 0;
    }
    event(KeyspaceEvent.HDEL, key, off, len);
    if (store.emitting()) {
      emit();
    }
    if (scratch.count() == 0) {
      delete(ref, lastPos, hash);
      event(KeyspaceEvent.DEL, key, off, len);
      return removed;
    }
    scratch.recomputeMinExpire();
    ref = storeHash(ref, lastPos, hash, rec.encoding());
    if (ref != 0) {
      rescheduleWheel(ref);
    }
    return removed;
  }

  int hincrBy(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final long delta,
      final MutableLong out) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref != 0 && rec.type() != ValueType.HASH.id) {
      return Status.WRONGTYPE;
    }
    if (ref == 0) {
      scratch.empty();
    } else {
      loadScratch();
    }
    long value = 0;
    final boolean found = scratch.find(f, fOff, fLen);
    if (found) {
      final HashCursor c = scratch.cursor;
      if (!Numbers.parseLong(c.buffer, c.valueOffset, c.valueLength, tmpLong)) {
        return Status.NOT_INTEGER;
      }
      value = tmpLong.get();
    }
    if ((delta < 0 && value < 0 && delta < Long.MIN_VALUE - value)
        || (delta > 0 && value > 0 && delta > Long.MAX_VALUE - value)) {
      return Status.OVERFLOW;
    }
    value += delta;
    final int n = Numbers.formatLong(value, numberBuffer, 0);
    final int s = hashWriteOne(ref, hash, key, off, len, f, fOff, fLen, numberBuffer, n, found);
    if (s != Status.OK) {
      return s;
    }
    out.set(value);
    event(KeyspaceEvent.HINCRBY, key, off, len);
    effectHsetOne(key, off, len, f, fOff, fLen, numberBuffer, 0, n);
    return Status.OK;
  }

  private int hashWriteOne(
      final int existing,
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer v,
      final int vLen,
      final boolean found) {
    int ref = existing;
    if (found) {
      scratch.replaceCurrent(v, 0, vLen, true);
    } else {
      scratch.append(f, fOff, fLen, v, 0, vLen, 0L);
    }
    scratch.recomputeMinExpire();
    if (ref == 0) {
      ref = createHash(hash, key, off, len);
      if (ref == 0) {
        return Status.OOM;
      }
      event(KeyspaceEvent.NEW, key, off, len);
    } else {
      ref = storeHash(ref, lastPos, hash, rec.encoding());
      if (ref == 0) {
        return Status.OOM;
      }
    }
    rescheduleWheel(ref);
    return Status.OK;
  }

  private void effectHsetOne(
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer v,
      final int vOff,
      final int vLen) {
    if (store.emitting()) {
      effect
          .begin(EffectDescriptor.HSET, db)
          .arg(key, off, len)
          .arg(f, fOff, fLen)
          .arg(v, vOff, vLen);
      // HSET clears a field TTL; HINCRBY keeps it: re-apply the TTL if the field has one
      final HashCursor c = scratch.cursor;
      emit();
      if (scratch.find(f, fOff, fLen) && c.ttl() != 0) {
        effect
            .begin(EffectDescriptor.HPEXPIREAT, db)
            .arg(key, off, len)
            .argLong(c.ttl())
            .arg(f, fOff, fLen);
        emit();
      }
    }
  }

  int hincrByFloat(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer f,
      final int fOff,
      final int fLen,
      final DirectBuffer incr,
      final int incrOff,
      final int incrLen,
      final ValueSink sink) {
    final int ref = lookupWrite(key, off, len, hash);
    if (ref != 0 && rec.type() != ValueType.HASH.id) {
      return Status.WRONGTYPE;
    }
    final java.math.BigDecimal increment = Numbers.parseLongDouble(incr, incrOff, incrLen);
    if (increment == null) {
      return Status.NOT_FLOAT;
    }
    if (ref == 0) {
      scratch.empty();
    } else {
      loadScratch();
    }
    java.math.BigDecimal value = java.math.BigDecimal.ZERO;
    final boolean found = scratch.find(f, fOff, fLen);
    if (found) {
      final HashCursor c = scratch.cursor;
      value = Numbers.parseLongDouble(c.buffer, c.valueOffset, c.valueLength);
      if (value == null) {
        return Status.NOT_FLOAT;
      }
    }
    final java.math.BigDecimal sum = Numbers.addLongDouble(value, increment);
    if (Numbers.isInfinite(sum) || Numbers.isInfinite(value) || Numbers.isInfinite(increment)) {
      return Status.NAN_OR_INFINITY;
    }
    final byte[] text = Numbers.formatLongDoubleHuman(sum);
    final UnsafeBuffer tb = new UnsafeBuffer(text);
    final int s = hashWriteOne(ref, hash, key, off, len, f, fOff, fLen, tb, text.length, found);
    if (s != Status.OK) {
      return s;
    }
    sink.value(tb, 0, text.length);
    event(KeyspaceEvent.HINCRBYFLOAT, key, off, len);
    effectHsetOne(key, off, len, f, fOff, fLen, tb, 0, text.length);
    return Status.OK;
  }

  /**
   * HEXPIRE family and HGETEX/HSETEX TTL updates: per-field codes -2/0/1/2 to the sink.
   *
   * @return Status.OK, WRONGTYPE or OOM.
   */
  int hexpire(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final long atMs,
      final int cond,
      final Args args,
      final int from,
      final int to,
      final ValueSink sink) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      if (sink != null) {
        sink.arrayStart(to - from);
        for (int i = from; i < to; i++) {
          sink.integer(-2);
        }
      }
      return Status.OK;
    }
    if (rec.type() != ValueType.HASH.id) {
      return Status.WRONGTYPE;
    }
    loadScratch();
    if (sink != null) {
      sink.arrayStart(to - from);
    }
    int updated = 0;
    int deleted = 0;
    final boolean past = atMs <= now && reclaims(rec.slot());
    // a time not in the future on a node that does not reclaim: stored as 1 (expired, hidden)
    final long ttl = Math.max(1, atMs);
    for (int i = from; i < to; i++) {
      final DirectBuffer f = args.buffer(i);
      final int fo = args.offset(i);
      final int fl = args.length(i);
      int code;
      if (!scratch.find(f, fo, fl) || !scratch.cursor.alive(now)) {
        code = -2;
      } else {
        final long current = scratch.cursor.ttl();
        if ((cond & Database.EXPIRE_NX) != 0 && current != 0
            || (cond & Database.EXPIRE_XX) != 0 && current == 0
            || (cond & Database.EXPIRE_GT) != 0 && (current == 0 || atMs <= current)
            || (cond & Database.EXPIRE_LT) != 0 && current != 0 && atMs >= current) {
          code = 0;
        } else if (past) {
          scratch.removeCurrent();
          deleted++;
          code = 2;
        } else {
          if (!scratch.withTtl()) {
            scratch.enableTtl();
            scratch.find(f, fo, fl);
          }
          scratch.ttlCurrent(ttl);
          updated++;
          code = 1;
        }
      }
      if (sink != null) {
        sink.integer(code);
      }
    }
    if (updated == 0 && deleted == 0) {
      return Status.OK;
    }
    if (updated > 0) {
      event(KeyspaceEvent.HEXPIRE, key, off, len);
    }
    if (deleted > 0) {
      event(KeyspaceEvent.HDEL, key, off, len);
    }
    if (store.emitting()) {
      effectFieldList(EffectDescriptor.HPEXPIREAT, key, off, len, ttl, args, from, to, 1);
      effectFieldList(EffectDescriptor.HDEL, key, off, len, 0, args, from, to, 2);
    }
    if (scratch.count() == 0) {
      delete(ref, lastPos, hash);
      event(KeyspaceEvent.DEL, key, off, len);
      return Status.OK;
    }
    scratch.recomputeMinExpire();
    ref = storeHash(ref, lastPos, hash, rec.encoding());
    if (ref == 0) {
      return Status.OOM;
    }
    rescheduleWheel(ref);
    return Status.OK;
  }

  /** Emits HPEXPIREAT (which=1: fields now carrying atMs) or HDEL (which=2: fields now gone). */
  private void effectFieldList(
      final int op,
      final DirectBuffer key,
      final int off,
      final int len,
      final long atMs,
      final Args args,
      final int from,
      final int to,
      final int which) {
    effect.begin(op, db).arg(key, off, len);
    if (op == EffectDescriptor.HPEXPIREAT) {
      effect.argLong(atMs);
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      final boolean present = scratch.find(args.buffer(i), args.offset(i), args.length(i));
      final boolean match = which == 1 ? present && scratch.cursor.ttl() == atMs : !present;
      if (match) {
        effect.arg(args.buffer(i), args.offset(i), args.length(i));
        n++;
      }
    }
    if (n > 0) {
      emit();
    }
  }

  int hpersist(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final Args args,
      final int from,
      final int to,
      final ValueSink sink) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      if (sink != null) {
        sink.arrayStart(to - from);
        for (int i = from; i < to; i++) {
          sink.integer(-2);
        }
      }
      return Status.OK;
    }
    if (rec.type() != ValueType.HASH.id) {
      return Status.WRONGTYPE;
    }
    loadScratch();
    if (sink != null) {
      sink.arrayStart(to - from);
    }
    if (store.emitting()) {
      effect.begin(EffectDescriptor.HPERSIST, db).arg(key, off, len);
    }
    int changed = 0;
    for (int i = from; i < to; i++) {
      int code;
      if (!scratch.find(args.buffer(i), args.offset(i), args.length(i))
          || !scratch.cursor.alive(now)) {
        code = -2;
      } else if (scratch.cursor.ttl() == 0) {
        code = -1;
      } else {
        scratch.ttlCurrent(0);
        changed++;
        code = 1;
        if (store.emitting()) {
          effect.arg(args.buffer(i), args.offset(i), args.length(i));
        }
      }
      if (sink != null) {
        sink.integer(code);
      }
    }
    if (changed == 0) {
      return Status.OK;
    }
    scratch.recomputeMinExpire();
    ref = storeHash(ref, lastPos, hash, rec.encoding());
    if (ref == 0) {
      return Status.OOM;
    }
    rescheduleWheel(ref);
    event(KeyspaceEvent.HPERSIST, key, off, len);
    if (store.emitting()) {
      emit();
    }
    return Status.OK;
  }

  int httl(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final int mode,
      final Args args,
      final int from,
      final int to,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s == Status.WRONGTYPE) {
      return s;
    }
    sink.arrayStart(to - from);
    for (int i = from; i < to; i++) {
      if (s != Status.OK) {
        sink.integer(-2);
        continue;
      }
      final HashCursor c = hashCursor();
      if (!c.find(args.buffer(i), args.offset(i), args.length(i)) || !c.alive(now)) {
        sink.integer(-2);
        continue;
      }
      final long t = c.ttl();
      if (t == 0) {
        sink.integer(-1);
        continue;
      }
      sink.integer(
          switch (mode) {
            case Database.HTTL_SECONDS -> (t + 999 - now) / 1000;
            case Database.HTTL_MILLIS -> t - now;
            case Database.HEXPIRETIME_SECONDS -> (t + 999) / 1000;
            default -> t;
          });
    }
    return Status.OK;
  }

  int hsetex(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final Args pairs,
      final int from,
      final int to,
      final int flags,
      final long atMs) {
    int ref = lookupWrite(key, off, len, hash);
    if (ref == 0) {
      scratch.empty();
    } else {
      loadScratch();
    }
    final boolean keep = (flags & Database.HSETEX_KEEPTTL) != 0;
    for (int i = from; i + 1 < to; i += 2) {
      final DirectBuffer f = pairs.buffer(i);
      if (scratch.find(f, pairs.offset(i), pairs.length(i))) {
        scratch.replaceCurrent(pairs.buffer(i + 1), pairs.offset(i + 1), pairs.length(i + 1), keep);
      } else {
        scratch.append(
            f,
            pairs.offset(i),
            pairs.length(i),
            pairs.buffer(i + 1),
            pairs.offset(i + 1),
            pairs.length(i + 1),
            0L);
      }
    }
    final boolean expiry = atMs != Database.NO_EXPIRY;
    final boolean past = expiry && atMs <= now && reclaims(Bytes.clusterSlot(key, off, len));
    final long ttl = Math.max(1, atMs);
    if (expiry) {
      if (!past) {
        scratch.enableTtl();
      }
      for (int i = from; i + 1 < to; i += 2) {
        if (scratch.find(pairs.buffer(i), pairs.offset(i), pairs.length(i))) {
          if (past) {
            scratch.removeCurrent();
          } else {
            scratch.ttlCurrent(ttl);
          }
        }
      }
    }
    scratch.recomputeMinExpire();
    if (scratch.count() == 0) {
      if (ref != 0) {
        delete(ref, lastPos, hash);
        event(KeyspaceEvent.HSET, key, off, len);
        event(KeyspaceEvent.HDEL, key, off, len);
        event(KeyspaceEvent.DEL, key, off, len);
        effectKey(EffectDescriptor.DEL, key, off, len);
      }
      return 1;
    }
    if (ref == 0) {
      ref = createHash(hash, key, off, len);
      if (ref == 0) {
        return Status.OOM;
      }
      event(KeyspaceEvent.NEW, key, off, len);
    } else {
      ref = storeHash(ref, lastPos, hash, rec.encoding());
      if (ref == 0) {
        return Status.OOM;
      }
    }
    rescheduleWheel(ref);
    event(KeyspaceEvent.HSET, key, off, len);
    if (expiry) {
      event(past ? KeyspaceEvent.HDEL : KeyspaceEvent.HEXPIRE, key, off, len);
    }
    if (store.emitting()) {
      effect.begin(EffectDescriptor.HSET, db).arg(key, off, len);
      for (int i = from; i + 1 < to; i += 2) {
        effect.arg(pairs.buffer(i), pairs.offset(i), pairs.length(i));
        effect.arg(pairs.buffer(i + 1), pairs.offset(i + 1), pairs.length(i + 1));
      }
      emit();
      for (int i = from; i + 1 < to; i += 2) {
        if (scratch.find(pairs.buffer(i), pairs.offset(i), pairs.length(i))) {
          if (scratch.cursor.ttl() != 0) {
            effect
                .begin(EffectDescriptor.HPEXPIREAT, db)
                .arg(key, off, len)
                .argLong(scratch.cursor.ttl())
                .arg(pairs.buffer(i), pairs.offset(i), pairs.length(i));
            emit();
          }
        } else {
          effect
              .begin(EffectDescriptor.HDEL, db)
              .arg(key, off, len)
              .arg(pairs.buffer(i), pairs.offset(i), pairs.length(i));
          emit();
        }
      }
    }
    return 1;
  }

  int hrandfield(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final boolean countGiven,
      final long count,
      final boolean withValues,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s == Status.WRONGTYPE) {
      return s;
    }
    if (s == Status.NIL) {
      if (countGiven) {
        sink.arrayStart(0);
        return Status.OK;
      }
      return Status.NIL;
    }
    final int size = liveFieldCount();
    if (size == 0) {
      // every field expired but not reclaimed yet (a backup, or a slot that does not expire)
      if (countGiven) {
        sink.arrayStart(0);
        return Status.OK;
      }
      return Status.NIL;
    }
    final ThreadLocalRandom rnd = ThreadLocalRandom.current();
    if (!countGiven) {
      emitRandom(rnd, size, false, sink);
      return Status.OK;
    }
    final int per = withValues ? 2 : 1;
    if (count == 0) {
      sink.arrayStart(0);
      return Status.OK;
    }
    if (count < 0) {
      final long n = -count;
      sink.arrayStart((int) Math.min(Integer.MAX_VALUE, n * per));
      for (long i = 0; i < n; i++) {
        emitRandom(rnd, size, withValues, sink);
      }
      return Status.OK;
    }
    if (count >= size) {
      sink.arrayStart(size * per);
      final HashCursor c = hashCursor();
      while (c.next()) {
        if (c.alive(now)) {
          sink.value(c.buffer, c.fieldOffset, c.fieldLength);
          if (withValues) {
            sink.value(c.buffer, c.valueOffset, c.valueLength);
          }
        }
      }
      return Status.OK;
    }
    // distinct subset: selection sampling (Knuth's algorithm S), order of the hash
    sink.arrayStart((int) count * per);
    int needed = (int) count;
    int left = size;
    final HashCursor c = hashCursor();
    while (needed > 0 && c.next()) {
      if (!c.alive(now)) {
        continue;
      }
      if (rnd.nextInt(left) < needed) {
        sink.value(c.buffer, c.fieldOffset, c.fieldLength);
        if (withValues) {
          sink.value(c.buffer, c.valueOffset, c.valueLength);
        }
        needed--;
      }
      left--;
    }
    return Status.OK;
  }

  /**
   * Emits one live field chosen uniformly: an indexed hash probes random slots (at least 1/8 are
   * occupied), a packed one walks to a random index.
   */
  private void emitRandom(
      final ThreadLocalRandom rnd, final int size, final boolean withValue, final ValueSink sink) {
    if (rec.encoding() == Encoding.HASHTABLE.id) {
      final HashCursor c = hashCursor();
      for (int attempt = 0; attempt < 64; attempt++) {
        final int slot = rnd.nextInt(c.capacity);
        if (c.slotRef(slot) != 0) {
          c.at(slot);
          if (c.alive(now)) {
            sink.value(c.buffer, c.fieldOffset, c.fieldLength);
            if (withValue) {
              sink.value(c.buffer, c.valueOffset, c.valueLength);
            }
            return;
          }
        }
      }
    }
    emitNth(rnd.nextInt(size), withValue, sink);
  }

  private void emitNth(final int n, final boolean withValue, final ValueSink sink) {
    final HashCursor c = hashCursor();
    int i = 0;
    while (c.next()) {
      if (!c.alive(now)) {
        continue;
      }
      if (i++ == n) {
        sink.value(c.buffer, c.fieldOffset, c.fieldLength);
        if (withValue) {
          sink.value(c.buffer, c.valueOffset, c.valueLength);
        }
        return;
      }
    }
  }

  int hscan(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final DirectBuffer pattern,
      final int pOff,
      final int pLen,
      final boolean noValues,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s != Status.OK) {
      return s == Status.NIL ? Status.OK : s;
    }
    final boolean all = pattern == null || (pLen == 1 && pattern.getByte(pOff) == '*');
    final HashCursor c = hashCursor();
    while (c.next()) {
      if (!c.alive(now)) {
        continue;
      }
      if (!all
          && !GlobMatcher.matches(
              pattern, pOff, pLen, c.buffer, c.fieldOffset, c.fieldLength, false)) {
        continue;
      }
      sink.value(c.buffer, c.fieldOffset, c.fieldLength);
      if (!noValues) {
        sink.value(c.buffer, c.valueOffset, c.valueLength);
      }
    }
    return Status.OK;
  }

  /**
   * HSCAN step with a cursor: a packed hash is returned whole (next cursor 0); an indexed hash is
   * walked by home slot in reverse-binary order (Redis dictScan), about {@code count} fields per
   * call.
   *
   * @return next cursor (0 = done), or WRONGTYPE.
   */
  long hscanStep(
      final long hash,
      final DirectBuffer key,
      final int off,
      final int len,
      final long scanCursor,
      final int count,
      final DirectBuffer pattern,
      final int pOff,
      final int pLen,
      final boolean noValues,
      final ValueSink sink) {
    final int s = hashForRead(hash, key, off, len);
    if (s != Status.OK) {
      return s == Status.NIL ? 0 : s;
    }
    if (rec.encoding() != Encoding.HASHTABLE.id) {
      hscan(hash, key, off, len, pattern, pOff, pLen, noValues, sink);
      return 0;
    }
    final boolean all = pattern == null || (pLen == 1 && pattern.getByte(pOff) == '*');
    final HashCursor c = hashCursor();
    final long m = c.capacity - 1;
    long v = scanCursor;
    long budget = Math.max(1, count) * 10L;
    int emitted = 0;
    do {
      // every entry whose home slot is v sits in the probe run starting at v
      final int home = (int) (v & m);
      for (int slot = home, probes = 0;
          probes < c.capacity && c.slotRef(slot) != 0;
          slot = (int) ((slot + 1) & m), probes++) {
        if ((c.slotHash(slot) & m) != home) {
          continue;
        }
        c.at(slot);
        if (!c.alive(now)
            || !all
                && !GlobMatcher.matches(
                    pattern, pOff, pLen, c.buffer, c.fieldOffset, c.fieldLength, false)) {
          continue;
        }
        sink.value(c.buffer, c.fieldOffset, c.fieldLength);
        if (!noValues) {
          sink.value(c.buffer, c.valueOffset, c.valueLength);
        }
        emitted++;
      }
      v |= ~m;
      v = Long.reverse(Long.reverse(v) + 1);
      budget--;
    } while (v != 0 && emitted < count && budget > 0);
    return v;
  }

  /** Installs a raw record from another node (slot state transfer); no events, no effects. */
  int importRecord(final long hash, final DirectBuffer b, final int off) {
    final int keyLen = b.getInt(off + RecordDescriptor.KEY_LENGTH_OFFSET);
    final int keyOff = off + HEADER_LENGTH;
    final int ref = lookupWrite(b, keyOff, keyLen, hash);
    if (ref != 0) {
      delete(ref, lastPos, hash);
    }
    return installRecord(hash, b, keyOff, keyLen, b, off) != 0 ? Status.OK : Status.OOM;
  }

  /**
   * Creates {@code key} (absent) with the type, encoding, value, LRU and expiry of the raw record
   * at {@code b[off]} ({@link #exportRecord} layout; its own key is ignored).
   *
   * @return the ref (rec wraps it) or 0 when out of memory.
   */
  int installRecord(
      final long hash,
      final DirectBuffer key,
      final int keyOff,
      final int keyLen,
      final DirectBuffer b,
      final int off) {
    final int valueLen = b.getInt(off + RecordDescriptor.VALUE_LENGTH_OFFSET);
    final int meta = b.getInt(off + RecordDescriptor.META_OFFSET);
    final long expireAt = b.getLong(off + RecordDescriptor.EXPIRE_AT_OFFSET);
    final int valueOff = off + HEADER_LENGTH + b.getInt(off + RecordDescriptor.KEY_LENGTH_OFFSET);
    final int ref;
    if (RecordDescriptor.type(meta) == ValueType.HASH.id
        && RecordDescriptor.encoding(meta) == Encoding.HASHTABLE.id) {
      // indexed hashes travel packed; index them again here
      ref = createIndexed(hash, key, keyOff, keyLen, b, valueOff, valueLen);
      if (ref == 0) {
        return 0;
      }
    } else {
      ref =
          create(
              RecordDescriptor.type(meta),
              RecordDescriptor.encoding(meta),
              key,
              keyOff,
              keyLen,
              valueLen,
              hash);
      if (ref == 0) {
        return 0;
      }
      rec.buffer.putBytes(rec.valueOffset(), b, valueOff, valueLen);
    }
    rec.lru(meta);
    expireAndReschedule(ref, expireAt);
    rec.wrap(arena, ref);
    return ref;
  }

  /**
   * Delivers the record {@code ref} as one raw record ({@link RecordDescriptor} layout, wheel links
   * meaningless; an indexed hash in the packed layout), as state transfer ships it.
   */
  void exportRecord(final int ref, final ValueSink sink) {
    final RecordFlyweight r = other.wrap(arena, ref);
    if (r.type() == ValueType.HASH.id && r.encoding() == Encoding.HASHTABLE.id) {
      // an indexed hash holds refs into this arena: ship it in the packed layout
      final int head = RecordDescriptor.HEADER_LENGTH + r.keyLength();
      exportBuffer.putBytes(0, r.buffer, r.offset, head);
      final int n = exportPacked(ref, head);
      exportBuffer.putInt(RecordDescriptor.VALUE_LENGTH_OFFSET, n);
      sink.value(exportBuffer, 0, head + n);
    } else {
      sink.value(r.buffer, r.offset, r.recordLength());
    }
  }

  /**
   * Whether record {@code ref} still has the type, encoding, expiry and value of the raw record at
   * {@code b[off]} ({@link #exportRecord} layout); keys, LRU and wheel links are not compared.
   */
  boolean sameRecord(final int ref, final DirectBuffer b, final int off) {
    final RecordFlyweight r = other.wrap(arena, ref);
    final int meta = b.getInt(off + RecordDescriptor.META_OFFSET);
    if (r.type() != RecordDescriptor.type(meta)
        || r.encoding() != RecordDescriptor.encoding(meta)
        || r.expireAtMs() != b.getLong(off + RecordDescriptor.EXPIRE_AT_OFFSET)) {
      return false;
    }
    final int valueLen = b.getInt(off + RecordDescriptor.VALUE_LENGTH_OFFSET);
    final int valueOff = off + HEADER_LENGTH + b.getInt(off + RecordDescriptor.KEY_LENGTH_OFFSET);
    if (r.type() == ValueType.HASH.id && r.encoding() == Encoding.HASHTABLE.id) {
      final int n = exportPacked(ref, 0);
      return n == valueLen && Bytes.equals(exportBuffer, 0, b, valueOff, valueLen);
    }
    return r.valueLength() == valueLen
        && Bytes.equals(r.buffer, r.valueOffset(), b, valueOff, valueLen);
  }

  // ---------------------------------------------------------------- whole-shard operations

  /** Filters and emits keys for KEYS/SCAN/slot iteration. */
  final class ScanVisitor implements ShardIndex.RefVisitor {
    DirectBuffer pattern;
    int patternOffset;
    int patternLength;
    int typeFilter;
    int slotFilter;
    java.util.function.IntPredicate slots;
    ValueSink sink;
    long emitted;
    boolean raw;

    ScanVisitor configure(
        final DirectBuffer pattern,
        final int pOff,
        final int pLen,
        final int typeFilter,
        final int slotFilter,
        final ValueSink sink) {
      final boolean all = pattern == null || (pLen == 1 && pattern.getByte(pOff) == '*');
      this.pattern = all ? null : pattern;
      this.patternOffset = pOff;
      this.patternLength = pLen;
      this.typeFilter = typeFilter;
      this.slotFilter = slotFilter;
      this.slots = null;
      this.sink = sink;
      this.emitted = 0;
      this.raw = false;
      return this;
    }

    ScanVisitor rawRecords() {
      this.raw = true;
      return this;
    }

    /** Only records whose cluster slot {@code slots} accepts. */
    ScanVisitor slots(final java.util.function.IntPredicate slots) {
      this.slots = slots;
      return this;
    }

    @Override
    public void visit(final int ref) {
      final RecordFlyweight r = other.wrap(arena, ref);
      final long exp = r.expireAtMs();
      if (exp != 0 && exp <= now) {
        return;
      }
      if (typeFilter >= 0 && r.type() != typeFilter) {
        return;
      }
      if (slotFilter >= 0 && r.slot() != slotFilter) {
        return;
      }
      if (slots != null && !slots.test(r.slot())) {
        return;
      }
      if (pattern != null
          && !GlobMatcher.matches(
              pattern,
              patternOffset,
              patternLength,
              r.buffer,
              r.keyOffset(),
              r.keyLength(),
              false)) {
        return;
      }
      if (raw) {
        exportRecord(ref, sink);
      } else {
        sink.value(r.buffer, r.keyOffset(), r.keyLength());
      }
      emitted++;
    }
  }

  /** Frees everything (FLUSHDB). */
  void flush() {
    index.release();
    arena.releaseAll();
    index =
        new ShardIndex(arena, store.memory, store.hashSeed, store.context.initialBucketsPerShard());
    wheel = new ExpiryWheel(arena, now);
    keysWithExpiry = 0;
    slotKeys = null;
    slotExpires = null;
    epoch++;
  }

  /** Exchanges contents with a shard of another database (SWAPDB). */
  void swapContents(final Shard o) {
    final SlabArena a = arena;
    final ShardIndex i = index;
    final ExpiryWheel w = wheel;
    final long k = keysWithExpiry;
    final int[] sk = slotKeys;
    final int[] se = slotExpires;
    slotKeys = o.slotKeys;
    slotExpires = o.slotExpires;
    o.slotKeys = sk;
    o.slotExpires = se;
    arena = o.arena;
    index = o.index;
    wheel = o.wheel;
    keysWithExpiry = o.keysWithExpiry;
    o.arena = a;
    o.index = i;
    o.wheel = w;
    o.keysWithExpiry = k;
    epoch++;
    o.epoch++;
  }

  /** Eviction score of a record (higher = evict first), or -1 if not eligible. */
  long evictionScore(final int ref, final EvictionPolicy policy) {
    final RecordFlyweight r = other.wrap(arena, ref);
    final long exp = r.expireAtMs();
    if (!policy.allKeys() && exp == 0 || !store.activeSlots.test(r.slot())) {
      return -1;
    }
    return switch (policy) {
      case ALLKEYS_LRU, VOLATILE_LRU -> store.idleMs(r.lru(), now);
      case ALLKEYS_LFU, VOLATILE_LFU -> 255 - store.lfuDecr(r.lru(), now);
      case VOLATILE_TTL -> Long.MAX_VALUE - exp;
      default -> ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
    };
  }

  /** Evicts a pooled candidate if it is still the same live record. */
  boolean evict(final int ref, final int candidateEpoch) {
    if (candidateEpoch != epoch || !arena.plausible(ref)) {
      return false;
    }
    final RecordFlyweight r = rec.wrap(arena, ref);
    if (r.type() == RecordDescriptor.FREE_TYPE) {
      return false;
    }
    // the block may since hold a hash entry or table: check the key length before hashing it
    final int keyLength = r.keyLength();
    if (keyLength < 0
        || (long) r.offset + RecordDescriptor.HEADER_LENGTH + keyLength > r.buffer.capacity()) {
      return false;
    }
    if (!store.activeSlots.test(r.slot())) {
      return false;
    }
    final long hash = index.hashOf(ref);
    final long pos = index.findRef(hash, ref);
    if (pos < 0) {
      return false;
    }
    event(KeyspaceEvent.EVICTED, r.buffer, r.keyOffset(), r.keyLength());
    effectKey(EffectDescriptor.DEL, r.buffer, r.keyOffset(), r.keyLength());
    evictedKeys++;
    delete(ref, pos, hash);
    return true;
  }
}
