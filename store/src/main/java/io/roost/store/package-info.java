/**
 * Off-heap sharded keyspace: records, encodings, expiry and memory accounting.
 *
 * <h2>Using it (server side)</h2>
 *
 * <pre>{@code
 * Store store = new Store(new StoreContext().clock(Clock.SYSTEM).effectSink(...).keyspaceEventSink(...));
 * Database db = store.database(selectedDb);               // thread-safe, cache per connection
 * int st = db.get(keyBuf, keyOff, keyLen, valueSink);      // OK / NIL / WRONGTYPE
 * st = db.set(k, ko, kl, v, vo, vl, Database.SET_NX, store.clock().epochMs() + ttlMs, null);
 * // every 1000/hz ms, for each i < store.shardCount(): store.tick(i, now, budget)
 * }</pre>
 *
 * <ul>
 *   <li>Inputs are {@code (DirectBuffer, offset, length)} or an {@link io.roost.store.Args} range
 *       (the server's reused frame); nothing is copied or allocated on GET/SET/HSET/EXPIRE paths.
 *   <li>Outputs: a {@link io.roost.store.Status} int, a count ({@code long}, negative = status), an
 *       Agrona {@code MutableLong}, or a {@link io.roost.store.ValueSink} called while the shard
 *       lock is held (copy bytes into the reply; never call back into the store).
 *   <li>All times are absolute epoch ms from {@link io.roost.store.Store#clock()}; the server does
 *       EX/PX→PXAT conversion and overflow checks ("invalid expire time").
 *   <li>Argument syntax errors (NX with XX, negative offsets, COUNT ranges...) are the server's.
 * </ul>
 *
 * <h2>Inside</h2>
 *
 * <p>{@link io.roost.store.Store} → {@link io.roost.store.Database} → {@code Shard} (lock, {@code
 * SlabArena}, {@code ShardIndex}, {@code ExpiryWheel}). Layouts: {@link
 * io.roost.store.RecordDescriptor}, {@link io.roost.store.HashDescriptor}, {@link
 * io.roost.store.HashTableDescriptor}, {@link io.roost.store.EffectDescriptor}. Each class opens
 * with its implementation notes.
 */
package io.roost.store;
