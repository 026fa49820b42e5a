package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Active expiry: untouched keys go within one tick of their deadline, each expiring once. */
class ExpiryTest {
  @Test
  void untouchedKeysDisappearWithinOneTick() {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final Map<String, Integer> expiredEvents = new HashMap<>();
    try (Store store =
        new Store(
            new StoreContext()
                .databases(1)
                .shardsPerDatabase(4)
                .maxMemoryBytes(0)
                .expiryBudgetPerTick(100_000)
                .clock(clock)
                .keyspaceEventSink(
                    (db, e, k, o, l) -> {
                      if (e == KeyspaceEvent.EXPIRED) {
                        expiredEvents.merge(TestSupport.str(k, o, l), 1, Integer::sum);
                      }
                    }))) {
      final SplittableRandom rnd = new SplittableRandom(42);
      final Map<String, Long> deadlines = new HashMap<>();
      final long start = clock.epochMs();
      final UnsafeBuffer v = buf("v");
      for (int i = 0; i < 5000; i++) {
        final String k = "key:" + i;
        // spread from 1 ms to ~3 days so several wheel levels are used
        final long ttl = 1 + (long) Math.pow(rnd.nextDouble(), 4) * 3L * 24 * 3600 * 1000;
        final UnsafeBuffer kb = buf(k);
        store.database(0).set(kb, 0, kb.capacity(), v, 0, 1, 0, start + ttl, null);
        deadlines.put(k, start + ttl);
      }
      // re-set some deadlines (earlier and later) to exercise wheel removal
      for (int i = 0; i < 5000; i += 7) {
        final String k = "key:" + i;
        final long at = start + 1 + rnd.nextLong(10 * 3600 * 1000L);
        final UnsafeBuffer kb = buf(k);
        assertEquals(1, store.database(0).expireAt(kb, 0, kb.capacity(), at, 0));
        deadlines.put(k, at);
      }
      long now = start;
      final long end = start + 3L * 24 * 3600 * 1000 + 10_000;
      int tickIndex = 0;
      while (now < end) {
        now += tickIndex++ % 2 == 0 ? 100 : 37_000;
        clock.set(now);
        store.tickAll(now);
        final long t = now;
        final long alive = deadlines.values().stream().filter(d -> d > t).count();
        assertEquals(alive, store.database(0).dbSize(), "now=" + now);
      }
      assertEquals(5000, expiredEvents.size());
      assertTrue(expiredEvents.values().stream().allMatch(n -> n == 1));
      assertEquals(5000, store.stats().expiredKeys());
      assertEquals(0, store.database(0).keysWithExpiry());
    }
  }

  @Test
  void budgetBoundsWorkPerTick() {
    final ManualClock clock = new ManualClock(1_000_000L);
    try (Store store =
        new Store(
            new StoreContext().databases(1).shardsPerDatabase(1).maxMemoryBytes(0).clock(clock))) {
      final UnsafeBuffer v = buf("v");
      for (int i = 0; i < 1000; i++) {
        final UnsafeBuffer kb = buf("k" + i);
        store.database(0).set(kb, 0, kb.capacity(), v, 0, 1, 0, 1_000_500L, null);
      }
      clock.set(1_001_000L);
      int ticks = 0;
      while (store.database(0).dbSize() > 0) {
        final int work = store.tick(0, clock.epochMs(), 64);
        assertTrue(work <= 64, "work=" + work);
        ticks++;
      }
      assertTrue(ticks >= 1000 / 64, "ticks=" + ticks);
    }
  }
}
