package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * GET, SET, HSET, HGET, EXPIRE and INCR allocate nothing on the heap once warm (the lead's JMH run
 * with the GC profiler is the real measure; this guards regressions).
 */
class AllocationTest {
  @Test
  void hotPathsDoNotAllocate() {
    final com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (Store store =
        new Store(
            new StoreContext()
                .databases(1)
                .shardsPerDatabase(4)
                .maxMemoryBytes(1L << 30)
                .clock(clock))) {
      final Database db = store.database(0);
      final UnsafeBuffer[] keys = new UnsafeBuffer[64];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = buf("session:" + i);
      }
      final UnsafeBuffer value = buf("{\"user\":42,\"cart\":[1,2,3]}");
      final TestSupport.StringArgs fields = new TestSupport.StringArgs("f1", "v1", "f2", "22");
      final UnsafeBuffer f1 = buf("f1");
      final MutableLong out = new MutableLong();
      final long[] sum = {0};
      final ValueSink sink =
          new ValueSink() {
            @Override
            public void value(final DirectBuffer b, final int o, final int l) {
              sum[0] += l;
            }
          };
      final Runnable round =
          () -> {
            for (final UnsafeBuffer k : keys) {
              db.set(
                  k,
                  0,
                  k.capacity(),
                  value,
                  0,
                  value.capacity(),
                  0,
                  clock.epochMs() + 60_000,
                  null);
              db.get(k, 0, k.capacity(), sink);
              db.expireAt(k, 0, k.capacity(), clock.epochMs() + 120_000, 0);
            }
            for (int i = 0; i < 16; i++) {
              final UnsafeBuffer k = keys[i];
              db.hset(k, 0, k.capacity(), fields, 0, 4);
              db.hget(k, 0, k.capacity(), f1, 0, 2, sink);
              db.del(k, 0, k.capacity());
              db.incrBy(k, 0, k.capacity(), 1, out);
            }
          };
      for (int i = 0; i < 20_000; i++) {
        round.run();
      }
      final long tid = Thread.currentThread().threadId();
      final long before = mx.getThreadAllocatedBytes(tid);
      final int rounds = 2000;
      for (int i = 0; i < rounds; i++) {
        round.run();
      }
      final long allocated = mx.getThreadAllocatedBytes(tid) - before;
      final long ops = rounds * (64L * 3 + 16 * 4);
      assertTrue(allocated / ops < 1, "allocated bytes/op=" + (double) allocated / ops);
      assertEquals(true, sum[0] > 0);
    }
  }
}
