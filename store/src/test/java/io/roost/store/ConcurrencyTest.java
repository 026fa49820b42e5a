package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.store.TestSupport.StringArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Threads hammer shared and private keys across shards; totals must add up, nothing deadlocks. */
class ConcurrencyTest {
  @Test
  void countersRenamesAndMultiKeyOps() throws Exception {
    final int threads = 4;
    final int rounds = 20_000;
    try (Store store =
        new Store(
            new StoreContext()
                .databases(2)
                .shardsPerDatabase(4)
                .initialBucketsPerShard(1)
                .maxMemoryBytes(0)
                .expiryBudgetPerTick(1000))) {
      final Database db = store.database(0);
      final CountDownLatch start = new CountDownLatch(1);
      final AtomicReference<Throwable> failure = new AtomicReference<>();
      final List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        final int id = t;
        final Thread th =
            new Thread(
                () -> {
                  try {
                    start.await();
                    final MutableLong out = new MutableLong();
                    final UnsafeBuffer shared = buf("shared");
                    final UnsafeBuffer mine = buf("mine:" + id);
                    final StringArgs pair = new StringArgs("a" + id, "1", "b" + id, "2", "c", "3");
                    final StringArgs hashPair = new StringArgs("f" + id, "1");
                    final UnsafeBuffer h = buf("hash");
                    final UnsafeBuffer x = buf("x");
                    final UnsafeBuffer y = buf("y");
                    final TestSupport.Collector sink = new TestSupport.Collector();
                    for (int i = 0; i < rounds; i++) {
                      db.incrBy(shared, 0, shared.capacity(), 1, out);
                      db.incrBy(mine, 0, mine.capacity(), 1, out);
                      if (i % 10 == 0) {
                        db.mset(pair, 0, 6);
                        db.mget(pair, 0, 6, sink.clear());
                        db.hset(h, 0, h.capacity(), hashPair, 0, 2);
                        // opposite rename directions take the same two locks in shard order
                        if (id % 2 == 0) {
                          db.rename(x, 0, 1, y, 0, 1, false);
                        } else {
                          db.rename(y, 0, 1, x, 0, 1, false);
                        }
                        db.copy(
                            pair.buffer(0),
                            0,
                            pair.length(0),
                            1,
                            pair.buffer(0),
                            0,
                            pair.length(0),
                            true);
                      }
                      if (i % 1000 == 0) {
                        store.tickAll(store.clock().epochMs());
                      }
                    }
                  } catch (final Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                });
        workers.add(th);
        th.start();
      }
      final UnsafeBuffer x = buf("x");
      db.set(x, 0, 1, x, 0, 1, 0, 0, null);
      start.countDown();
      for (final Thread th : workers) {
        th.join(120_000);
        assertEquals(false, th.isAlive(), "deadlock or stall");
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      final TestSupport.Client c = new TestSupport.Client(store);
      assertEquals(String.valueOf(threads * rounds), c.get("shared"));
      for (int t = 0; t < threads; t++) {
        assertEquals(String.valueOf(rounds), c.get("mine:" + t));
      }
      assertEquals(threads, c.hlen("hash"));
      assertEquals(1, c.exists("x") + c.exists("y"));
    }
  }
}
