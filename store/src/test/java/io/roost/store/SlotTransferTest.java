package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.store.TestSupport.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** CRC16 slots, per-slot key iteration and raw record transfer between two stores. */
class SlotTransferTest {
  @Test
  void clusterSlotsMatchRedis() {
    // values from the Redis Cluster specification / CLUSTER KEYSLOT
    assertEquals(12182, slot("foo"));
    assertEquals(5061, slot("bar"));
    assertEquals(slot("user1000"), slot("{user1000}.following"));
    assertEquals(slot("{user1000}.followers"), slot("{user1000}.following"));
    assertEquals(slot("foo{}{bar}"), slot("foo{}{bar}"));
    assertEquals(0, slot(""));
  }

  private static int slot(final String k) {
    final UnsafeBuffer b = buf(k);
    return Bytes.clusterSlot(b, 0, b.capacity());
  }

  @Test
  void exportAndImportASlot() {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (Store a =
            new Store(
                new StoreContext()
                    .databases(1)
                    .shardsPerDatabase(4)
                    .maxMemoryBytes(0)
                    .clock(clock));
        Store b =
            new Store(
                new StoreContext()
                    .databases(1)
                    .shardsPerDatabase(2)
                    .maxMemoryBytes(0)
                    .clock(clock))) {
      final Client ca = new Client(a);
      ca.set("{s}1", "one", 0, clock.epochMs() + 5000);
      ca.set("{s}2", "two");
      ca.hset("{s}h", "f", "v", "g", "w");
      ca.hexpireAt("{s}h", clock.epochMs() + 7000, 0, "g");
      ca.set("other", "x");
      final int slot = slot("{s}");
      final List<byte[]> records = new ArrayList<>();
      final long n =
          a.database(0)
              .exportSlots(
                  s -> s == slot,
                  new ValueSink() {
                    @Override
                    public void value(
                        final DirectBuffer buffer, final int offset, final int length) {
                      final byte[] copy = new byte[length];
                      buffer.getBytes(offset, copy);
                      records.add(copy);
                    }
                  });
      assertEquals(3, n);
      for (final byte[] r : records) {
        assertEquals(Status.OK, b.database(0).importRecord(new UnsafeBuffer(r), 0, r.length));
      }
      final Map<String, String> expected = new TreeMap<>(ReplicationProperties.dump(a));
      expected.remove("0:other");
      assertEquals(expected, ReplicationProperties.dump(b));
      clock.advance(7000);
      b.tickAll(clock.epochMs());
      final Client cb = new Client(b);
      assertEquals(0, cb.exists("{s}1"));
      assertEquals(Map.of("f", "v"), cb.hgetAll("{s}h"));
      assertTrue(b.stats().expiredHashFields() == 1);
    }
  }

  @Test
  void dropSlotsDeletesTheirKeysExpiredOnesIncludedAndNothingElse() {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (Store a =
        new Store(
            new StoreContext().databases(2).shardsPerDatabase(4).maxMemoryBytes(0).clock(clock))) {
      final Client ca = new Client(a);
      ca.set("{s}1", "one", 0, clock.epochMs() + 5000);
      ca.hset("{s}h", "f", "v");
      ca.set("{t}1", "kept");
      clock.advance(6000);
      final int s = slot("{s}");
      assertEquals(2, a.database(0).dropSlots(slot -> slot == s));
      assertEquals(0, a.database(1).dropSlots(slot -> slot == s));
      assertEquals(1, a.database(0).dbSize());
      assertEquals(
          Map.of("0:{t}1", ReplicationProperties.dump(a).get("0:{t}1")),
          ReplicationProperties.dump(a));
    }
  }
}
