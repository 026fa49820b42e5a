package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * SCAN's guarantee while tables grow incrementally (tiny initial index): every key present for the
 * whole scan is returned at least once.
 */
class ScanProperties {
  @Property(tries = 60)
  void scanSurvivesGrowth(
      @ForAll @IntRange(min = 0, max = 400) final int initial,
      @ForAll @IntRange(min = 1, max = 20) final int count,
      @ForAll @IntRange(min = 0, max = 60) final int insertsPerStep,
      @ForAll final long seed) {
    try (Store store =
        new Store(
            new StoreContext()
                .databases(1)
                .shardsPerDatabase(2)
                .initialBucketsPerShard(1)
                .maxMemoryBytes(0)
                .clock(new ManualClock(1_000L)))) {
      final Database db = store.database(0);
      final UnsafeBuffer v = buf("v");
      final Set<String> stable = new HashSet<>();
      for (int i = 0; i < initial; i++) {
        final UnsafeBuffer k = buf("s" + i);
        db.set(k, 0, k.capacity(), v, 0, 1, 0, 0, null);
        stable.add("s" + i);
      }
      final TestSupport.Collector out = new TestSupport.Collector();
      final java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
      long cursor = 0;
      int added = 0;
      int steps = 0;
      do {
        cursor = db.scan(cursor, null, 0, 0, null, count, out);
        for (int i = 0; i < insertsPerStep; i++) {
          final UnsafeBuffer k = buf("n" + added++);
          db.set(k, 0, k.capacity(), v, 0, 1, 0, 0, null);
          if (rnd.nextInt(3) == 0) {
            final UnsafeBuffer d = buf("n" + rnd.nextInt(added));
            db.del(d, 0, d.capacity());
          }
        }
        assertTrue(++steps < 1_000_000, "scan does not terminate");
      } while (cursor != 0);
      final Set<String> seen = new HashSet<>(out.values);
      for (final String k : stable) {
        assertTrue(seen.contains(k), "missed " + k);
      }
    }
  }
}
