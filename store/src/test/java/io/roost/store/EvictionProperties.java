package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A tiny maxmemory with each policy: memory returns under the limit after evictions (one write may
 * overshoot), OOM only under noeviction or when nothing is evictable, volatile-* policies evict
 * only keys with a TTL.
 */
class EvictionProperties {
  record Write(int key, int size, boolean ttl) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 399),
            Arbitraries.integers().between(0, 600),
            Arbitraries.of(true, false))
        .as(Write::new)
        .list()
        .ofMinSize(50)
        .ofMaxSize(400);
  }

  @Property(tries = 60)
  void policiesKeepMemoryBounded(
      @ForAll("writes") final List<Write> writes, @ForAll final EvictionPolicy policy) {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final Set<String> withTtl = new HashSet<>();
    final Set<String> evictedWithoutTtl = new HashSet<>();
    final int[] evicted = {0};
    final long limit = 48 * 1024;
    try (Store store =
        new Store(
            new StoreContext()
                .databases(2)
                .shardsPerDatabase(2)
                .maxMemoryBytes(limit)
                .evictionPolicy(policy)
                .clock(clock)
                .keyspaceEventSink(
                    (db, e, k, o, l) -> {
                      if (e == KeyspaceEvent.EVICTED) {
                        evicted[0]++;
                        final String key = TestSupport.str(k, o, l);
                        if (!withTtl.contains(key)) {
                          evictedWithoutTtl.add(key);
                        }
                        withTtl.remove(key);
                      }
                    }))) {
      final Database db = store.database(0);
      for (final Write w : writes) {
        final String key = "key:" + w.key();
        final UnsafeBuffer kb = buf(key);
        final UnsafeBuffer vb = new UnsafeBuffer(new byte[w.size()]);
        final long before = store.usedMemoryBytes();
        final int s =
            db.set(
                kb,
                0,
                kb.capacity(),
                vb,
                0,
                w.size(),
                0,
                w.ttl() ? clock.epochMs() + 100_000 : 0,
                null);
        if (s == Status.OOM) {
          assertTrue(before > limit, "OOM below the limit");
          final boolean nothingEvictable =
              policy == EvictionPolicy.NOEVICTION || !policy.allKeys() && withTtl.isEmpty();
          assertTrue(nothingEvictable, "OOM with evictable keys under " + policy);
        } else {
          assertEquals(Status.OK, s);
          if (w.ttl()) {
            withTtl.add(key);
          } else {
            withTtl.remove(key);
          }
          // one in-flight write may overshoot, as in Redis
          assertTrue(store.usedMemoryBytes() <= limit + 1024, "used=" + store.usedMemoryBytes());
        }
      }
      if (!policy.allKeys()) {
        assertTrue(evictedWithoutTtl.isEmpty(), "volatile evicted " + evictedWithoutTtl);
      }
      if (policy == EvictionPolicy.NOEVICTION) {
        assertEquals(0, evicted[0]);
      }
      assertEquals(evicted[0], store.stats().evictedKeys());
      assertTrue(store.database(0).keysWithExpiry() <= store.database(0).dbSize(), "expires<=keys");
      // reads keep working
      final UnsafeBuffer kb = buf("key:1");
      db.get(kb, 0, kb.capacity(), new TestSupport.Collector());
    }
  }
}
