package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.store.TestSupport.Client;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Per-slot key counters and the raw-record moves of a RENAME or COPY whose keys live on different
 * nodes (dump on one store, restore on another, delete the source only while unchanged).
 */
class RecordMoveTest {
  private static final long T0 = 1_700_000_000_000L;
  private final StoreModelProperties model = new StoreModelProperties();

  private static Store store(final ManualClock clock, final EffectSink sink) {
    return new Store(
        new StoreContext()
            .databases(2)
            .shardsPerDatabase(4)
            .initialBucketsPerShard(1)
            .maxMemoryBytes(0)
            .hashMaxListpackEntries(4)
            .clock(clock)
            .effectSink(sink));
  }

  private static int slot(final String k) {
    final UnsafeBuffer b = buf(k);
    return Bytes.clusterSlot(b, 0, b.capacity());
  }

  private static long[] bits(final int... slots) {
    final long[] b = new long[RecordDescriptor.SLOT_COUNT / 64];
    for (final int s : slots) {
      b[s >>> 6] |= 1L << s;
    }
    return b;
  }

  private static long[] count(final Store store, final int db, final long[] slots) {
    final long[] out = new long[2];
    store.database(db).countInSlots(slots, out);
    return out;
  }

  @Provide
  net.jqwik.api.Arbitrary<List<StoreModelProperties.Op>> ops() {
    return model.ops();
  }

  /** After any sequence of writes, expiries, flushes and swaps, the counters match the records. */
  @Property(tries = 200)
  void slotCountersMatchTheKeys(@ForAll("ops") final List<StoreModelProperties.Op> ops) {
    final ManualClock clock = new ManualClock(T0);
    try (Store s = store(clock, EffectSink.NONE)) {
      final Client c = new Client(s);
      for (final StoreModelProperties.Op op : ops) {
        ReplicationProperties.run(op, c, clock);
      }
      final long[] all = new long[RecordDescriptor.SLOT_COUNT / 64];
      Arrays.fill(all, -1L);
      for (int db = 0; db < 2; db++) {
        c.db = db;
        final long[] total = count(s, db, all);
        assertEquals(s.database(db).dbSize(), total[0]);
        assertEquals(s.database(db).keysWithExpiry(), total[1]);
        final Map<Integer, long[]> bySlot = new TreeMap<>();
        for (final String k : c.keys("*")) {
          final long[] n = bySlot.computeIfAbsent(slot(k), x -> new long[2]);
          n[0]++;
          n[1] += c.pexpireTime(k) > 0 ? 1 : 0;
        }
        for (final Map.Entry<Integer, long[]> e : bySlot.entrySet()) {
          final long[] got = count(s, db, bits(e.getKey()));
          // expired keys not reclaimed yet are counted, as DBSIZE counts them
          assertTrue(got[0] >= e.getValue()[0], "slot=" + e.getKey());
        }
      }
      clock.advance(1_000_000);
      s.tickAll(clock.epochMs());
      s.swapDb(0, 1);
      for (int db = 0; db < 2; db++) {
        assertEquals(s.database(db).dbSize(), count(s, db, all)[0]);
      }
      s.flushAll();
      assertEquals(0, count(s, 0, all)[0]);
      assertEquals(0, count(s, 1, all)[1]);
    }
  }

  @Test
  void countsOnlyTheSlotsAsked() {
    final ManualClock clock = new ManualClock(T0);
    try (Store s = store(clock, EffectSink.NONE)) {
      final Client c = new Client(s);
      c.set("{a}1", "x");
      c.set("{a}2", "x", 0, T0 + 10_000);
      c.hset("{b}h", "f", "v");
      c.set("{c}1", "x", 0, T0 + 10_000);
      assertEquals(List.of(2L, 1L), asList(count(s, 0, bits(slot("a")))));
      assertEquals(List.of(3L, 1L), asList(count(s, 0, bits(slot("a"), slot("b")))));
      c.persist("{a}2");
      c.expireAt("{b}h", T0 + 5_000, 0);
      assertEquals(List.of(3L, 1L), asList(count(s, 0, bits(slot("a"), slot("b")))));
      c.del("{a}1");
      assertEquals(List.of(1L, 0L), asList(count(s, 0, bits(slot("a")))));
      assertEquals(List.of(0L, 0L), asList(count(s, 1, bits(slot("a")))));
    }
  }

  private static List<Long> asList(final long[] a) {
    return List.of(a[0], a[1]);
  }

  private static byte[] dump(final Store s, final String k) {
    final UnsafeBuffer kb = buf(k);
    final List<byte[]> out = new ArrayList<>();
    final int st =
        s.database(0)
            .dumpRecord(
                kb,
                0,
                kb.capacity(),
                new ValueSink() {
                  @Override
                  public void value(final DirectBuffer b, final int o, final int l) {
                    final byte[] copy = new byte[l];
                    b.getBytes(o, copy);
                    out.add(copy);
                  }
                });
    return st == Status.OK ? out.get(0) : null;
  }

  private static int restore(final Store s, final String k, final byte[] record, final int flags) {
    final UnsafeBuffer kb = buf(k);
    return s.database(0)
        .restoreRecord(kb, 0, kb.capacity(), new UnsafeBuffer(record), 0, record.length, flags);
  }

  private static int deleteIfSame(final Store s, final String k, final byte[] record) {
    final UnsafeBuffer kb = buf(k);
    return s.database(0)
        .deleteIfSame(kb, 0, kb.capacity(), new UnsafeBuffer(record), 0, record.length);
  }

  /** Strings, packed and indexed hashes with field TTLs move with their TTLs; backups follow. */
  @Test
  void moveKeysBetweenStoresAndReplicateTheRestore() {
    final ManualClock clock = new ManualClock(T0);
    try (Store backup = store(clock, EffectSink.NONE);
        Store src = store(clock, EffectSink.NONE);
        Store dst = store(clock, backup::applyEffect)) {
      backup.expiryActive(false);
      final Client a = new Client(src);
      final Client b = new Client(dst);
      a.set("s", "12345", 0, T0 + 60_000);
      a.hset("small", "f", "v", "g", "w");
      a.hexpireAt("small", T0 + 7_000, 0, "g");
      final List<String> pairs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        pairs.add("f" + i);
        pairs.add("v" + i);
      }
      a.hset("big", pairs.toArray(String[]::new));
      a.hexpireAt("big", T0 + 9_000, 0, "f3");
      assertEquals("hashtable", a.encoding("big"));
      b.set("taken", "old");

      assertEquals(null, dump(src, "missing"));
      for (final String k : List.of("s", "small", "big")) {
        final byte[] r = dump(src, k);
        assertEquals(Status.OK, restore(dst, "n:" + k, r, Database.RESTORE_RENAMED));
        assertEquals(1, deleteIfSame(src, k, r));
        assertEquals(0, a.exists(k));
      }
      assertEquals("12345", b.get("n:s"));
      assertEquals("int", b.encoding("n:s"));
      assertEquals(T0 + 60_000, b.pexpireTime("n:s"));
      assertEquals(Map.of("f", "v", "g", "w"), b.hgetAll("n:small"));
      assertEquals(List.of(T0 + 7_000), b.httl("n:small", Database.HEXPIRETIME_MILLIS, "g"));
      assertEquals(20, b.hlen("n:big"));
      assertEquals("hashtable", b.encoding("n:big"));
      assertEquals(List.of(T0 + 9_000), b.httl("n:big", Database.HEXPIRETIME_MILLIS, "f3"));

      // NX refuses an existing key; REPLACE overwrites whatever type it has.
      final byte[] moved = dump(dst, "n:small");
      assertEquals(Status.NOT_SET, restore(dst, "taken", moved, 0));
      assertEquals("old", b.get("taken"));
      assertEquals(Status.OK, restore(dst, "taken", moved, Database.RESTORE_REPLACE));
      assertEquals(Map.of("f", "v", "g", "w"), b.hgetAll("taken"));

      // The source is kept when it changed after the dump.
      a.set("k", "v1");
      final byte[] r = dump(src, "k");
      a.set("k", "v2");
      assertEquals(0, deleteIfSame(src, "k", r));
      a.set("k", "v1", 0, T0 + 1);
      assertEquals(0, deleteIfSame(src, "k", r));
      a.set("k", "v1");
      assertEquals(1, deleteIfSame(src, "k", r));
      assertEquals(0, deleteIfSame(src, "k", r));

      assertEquals(ReplicationProperties.dump(dst), ReplicationProperties.dump(backup));
      clock.advance(9_000);
      dst.tickAll(clock.epochMs());
      assertEquals(Map.of("f", "v"), b.hgetAll("n:small"));
      assertFalse(b.hgetAll("n:big").containsKey("f3"));
      assertEquals(ReplicationProperties.dump(dst), ReplicationProperties.dump(backup));
    }
  }

  @Test
  void malformedRecordsAreRefused() {
    final ManualClock clock = new ManualClock(T0);
    try (Store s = store(clock, EffectSink.NONE)) {
      assertThrows(IllegalArgumentException.class, () -> restore(s, "k", new byte[8], 0));
      final byte[] r = new byte[RecordDescriptor.HEADER_LENGTH];
      final UnsafeBuffer rb = new UnsafeBuffer(r);
      rb.putInt(RecordDescriptor.META_OFFSET, RecordDescriptor.meta(1, 0, 0));
      rb.putInt(RecordDescriptor.VALUE_LENGTH_OFFSET, 5);
      assertThrows(IllegalArgumentException.class, () -> restore(s, "k", r, 0));
      assertThrows(IllegalArgumentException.class, () -> deleteIfSame(s, "k", r));
      assertEquals(0, s.database(0).dbSize());
    }
  }
}
