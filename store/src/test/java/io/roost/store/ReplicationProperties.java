package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every effect of a primary replayed on a backup yields the same state: the random sequences of the
 * model test run on a primary whose {@link EffectSink} feeds {@link Store#applyEffect} of a backup
 * that never expires on its own.
 */
class ReplicationProperties {
  private final StoreModelProperties model = new StoreModelProperties();

  @Provide
  Arbitrary<List<StoreModelProperties.Op>> ops() {
    return model.ops();
  }

  @Property(tries = 300)
  void backupConverges(@ForAll("ops") final List<StoreModelProperties.Op> ops) {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (Store backup =
            new Store(
                new StoreContext()
                    .databases(2)
                    .shardsPerDatabase(2)
                    .maxMemoryBytes(0)
                    .clock(clock));
        Store primary =
            new Store(
                new StoreContext()
                    .databases(2)
                    .shardsPerDatabase(2)
                    .initialBucketsPerShard(1)
                    .maxMemoryBytes(0)
                    .clock(clock)
                    .effectSink(backup::applyEffect))) {
      backup.expiryActive(false);
      final TestSupport.Client c = new TestSupport.Client(primary);
      for (final StoreModelProperties.Op op : ops) {
        run(op, c, clock);
      }
      primary.tickAll(clock.epochMs());
      assertEquals(dump(primary), dump(backup));
    }
  }

  /** Runs one model operation on {@code c}'s store (reused by other store properties). */
  static void run(
      final StoreModelProperties.Op op, final TestSupport.Client c, final ManualClock clock) {
    final String k = "k" + op.key();
    final String k2 = "k" + op.key2();
    final String f = "f" + op.field();
    final String v = op.value() % 2 == 0 ? "v" + op.value() : String.valueOf(op.value());
    final long now = clock.epochMs();
    switch (op.kind()) {
      case SET, SET_NX, SET_XX, SET_KEEPTTL, SET_GET -> c.set(k, v);
      case SET_EX -> c.set(k, v, 0, now + Math.max(1, op.num()) * 1000L);
      case DEL -> c.del(k);
      case EXPIRE, EXPIRE_GT, EXPIRE_LT, EXPIRE_NX -> c.expireAt(k, now + op.num() * 1000L, 0);
      case PERSIST -> c.persist(k);
      case INCRBY -> c.incrBy(k, op.num());
      case APPEND -> c.append(k, v);
      case HSET -> c.hset(k, f, v);
      case HDEL -> c.hdel(k, f);
      case HEXPIRE -> c.hexpireAt(k, now + op.num() * 1000L, 0, f);
      case HGET -> c.incrByFloat(k, "1.5");
      case RENAME -> c.rename(k, k2, false);
      case RENAMENX -> c.rename(k, k2, true);
      case COPY -> c.copy(k, op.db(), k2, op.num() > 2);
      case MOVE -> c.move(k, op.db());
      case SELECT -> c.db = op.db();
      case ADVANCE -> clock.advance(Math.max(0, op.num()) * 400L + 1);
      case TICK -> c.store.tickAll(clock.epochMs());
      default -> {}
    }
  }

  /** Full logical state: db/key → type, value or fields with TTLs, expiry. */
  static Map<String, String> dump(final Store store) {
    final Map<String, String> state = new TreeMap<>();
    final TestSupport.Client c = new TestSupport.Client(store);
    for (int d = 0; d < store.databaseCount(); d++) {
      c.db = d;
      for (final String key : c.keys("*")) {
        final ValueType t = c.type(key);
        final StringBuilder sb = new StringBuilder(t.redisName()).append(' ');
        if (t == ValueType.STRING) {
          sb.append(c.get(key)).append(" enc=").append(c.encoding(key));
        } else if (t == ValueType.HASH) {
          final Map<String, String> fields = c.hgetAll(key);
          for (final Map.Entry<String, String> e : fields.entrySet()) {
            sb.append(e.getKey())
                .append('=')
                .append(e.getValue())
                .append('@')
                .append(c.httl(key, Database.HEXPIRETIME_MILLIS, e.getKey()))
                .append(' ');
          }
        }
        final UnsafeBuffer kb = buf(key);
        sb.append(" exp=").append(store.database(d).pexpireTime(kb, 0, kb.capacity()));
        state.put(d + ":" + key, sb.toString());
      }
    }
    return state;
  }
}
