package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EvictionTest {
  private static Store store(
      final EvictionPolicy policy, final ManualClock clock, final long limit) {
    return new Store(
        new StoreContext()
            .databases(1)
            .shardsPerDatabase(4)
            .maxMemoryBytes(limit)
            .evictionPolicy(policy)
            .maxMemorySamples(10)
            .clock(clock));
  }

  private static int set(final Store s, final String k, final int size, final long at) {
    final UnsafeBuffer kb = buf(k);
    final UnsafeBuffer vb = new UnsafeBuffer(new byte[size]);
    return s.database(0).set(kb, 0, kb.capacity(), vb, 0, size, 0, at, null);
  }

  @Test
  void noevictionRejectsWritesButServesReads() {
    final ManualClock clock = new ManualClock(1_000_000L);
    try (Store s = store(EvictionPolicy.NOEVICTION, clock, 32 * 1024)) {
      int oom = 0;
      for (int i = 0; i < 500; i++) {
        if (set(s, "k" + i, 200, 0) == Status.OOM) {
          oom++;
        }
      }
      assertTrue(oom > 0);
      assertEquals(0, s.stats().evictedKeys());
      final TestSupport.Client c = new TestSupport.Client(s);
      assertEquals(200, c.get("k0").length());
      assertEquals(1, c.del("k0"));
    }
  }

  @Test
  void allkeysLruPrefersIdleKeys() {
    final ManualClock clock = new ManualClock(1_000_000_000L);
    final long limit = 256 * 1024;
    try (Store s = store(EvictionPolicy.ALLKEYS_LRU, clock, limit)) {
      final TestSupport.Client c = new TestSupport.Client(s);
      for (int i = 0; i < 300; i++) {
        assertEquals(Status.OK, set(s, "old" + i, 300, 0));
      }
      clock.advance(100_000);
      for (int i = 0; i < 300; i++) {
        c.get("old" + i % 10); // keep ten old keys hot
      }
      for (int i = 0; i < 2000; i++) {
        clock.advance(1000);
        assertEquals(Status.OK, set(s, "new" + i, 300, 0));
        c.get("old" + i % 10);
        assertTrue(s.usedMemoryBytes() <= limit + 1024, "used=" + s.usedMemoryBytes());
      }
      assertTrue(s.stats().evictedKeys() > 1000);
      int hotAlive = 0;
      for (int i = 0; i < 10; i++) {
        hotAlive += c.exists("old" + i);
      }
      assertTrue(hotAlive >= 8, "hot keys evicted: alive=" + hotAlive);
    }
  }

  @Test
  void volatileTtlEvictsNearestDeadlinesAndOnlyVolatile() {
    final ManualClock clock = new ManualClock(1_000_000_000L);
    final long limit = 128 * 1024;
    try (Store s = store(EvictionPolicy.VOLATILE_TTL, clock, limit)) {
      final TestSupport.Client c = new TestSupport.Client(s);
      for (int i = 0; i < 100; i++) {
        assertEquals(Status.OK, set(s, "keep" + i, 300, 0));
      }
      int oom = 0;
      for (int i = 0; i < 1000; i++) {
        final int st = set(s, "ttl" + i, 300, clock.epochMs() + 1_000_000 + i * 1000L);
        if (st == Status.OOM) {
          oom++;
        }
      }
      assertEquals(0, oom);
      for (int i = 0; i < 100; i++) {
        assertEquals(1, c.exists("keep" + i));
      }
      assertEquals(1, c.exists("ttl999"));
      assertEquals(0, c.exists("ttl0"));
    }
  }

  @Test
  void volatileWithoutTtlKeysIsOom() {
    final ManualClock clock = new ManualClock(1_000_000L);
    try (Store s = store(EvictionPolicy.VOLATILE_LRU, clock, 32 * 1024)) {
      int oom = 0;
      for (int i = 0; i < 500; i++) {
        if (set(s, "k" + i, 200, 0) == Status.OOM) {
          oom++;
        }
      }
      assertTrue(oom > 0);
      assertEquals(0, s.stats().evictedKeys());
    }
  }
}
