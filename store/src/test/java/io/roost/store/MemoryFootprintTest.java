package io.roost.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Bytes per small string with TTL (Redis 7.4 needs about 100-130 bytes of used_memory per such key:
 * dictEntry + key sds + value object + expires entry + two bucket arrays). FLUSHALL returns
 * everything.
 */
class MemoryFootprintTest {
  @Test
  void smallStringsWithTtl() {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (Store store =
        new Store(
            new StoreContext().databases(16).shardsPerDatabase(8).maxMemoryBytes(0).clock(clock))) {
      final long baseUsed = store.usedMemoryBytes();
      final long baseAllocated = store.allocatedMemoryBytes();
      final int n = 200_000;
      final UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
      final UnsafeBuffer value = new UnsafeBuffer(new byte[10]);
      for (int i = 0; i < n; i++) {
        final int len = key.putStringWithoutLengthAscii(0, "key:" + i);
        value.putStringWithoutLengthAscii(0, "val" + (1_000_000 + i));
        store.database(0).set(key, 0, len, value, 0, 10, 0, clock.epochMs() + 3_600_000, null);
      }
      final double usedPerKey = (double) (store.usedMemoryBytes() - baseUsed) / n;
      final double allocatedPerKey = (double) (store.allocatedMemoryBytes() - baseAllocated) / n;
      assertTrue(usedPerKey < 80, "used bytes/key=" + usedPerKey);
      assertTrue(allocatedPerKey < 90, "allocated bytes/key=" + allocatedPerKey);
      assertTrue(
          store.stats().fragmentationRatio() < 1.3, "ratio=" + store.stats().fragmentationRatio());
      store.flushAll();
      assertEquals(baseUsed, store.usedMemoryBytes());
      assertEquals(baseAllocated, store.allocatedMemoryBytes());
    }
  }
}
