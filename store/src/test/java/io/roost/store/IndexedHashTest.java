package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.store.TestSupport.Client;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The indexed ({@code hashtable}) hash encoding: conversion, growth and shrink, paged HSCAN, field
 * TTLs, copies, state transfer and memory; plus the replication switches and small fixes.
 */
class IndexedHashTest {
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);

  private Store store(final EffectSink effects) {
    return new Store(
        new StoreContext()
            .databases(2)
            .shardsPerDatabase(2)
            .maxMemoryBytes(0)
            .effectSink(effects)
            .clock(clock));
  }

  private static String[] pairs(final int from, final int to, final String prefix) {
    final String[] p = new String[(to - from) * 2];
    for (int i = from; i < to; i++) {
      p[(i - from) * 2] = "field:" + i;
      p[(i - from) * 2 + 1] = prefix + i;
    }
    return p;
  }

  @Test
  void convertsPastTheEntryLimitOnceAndStaysIndexed() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      c.hset("h", pairs(0, 128, "v"));
      assertEquals("listpack", c.encoding("h"));
      c.hset("h", pairs(128, 1000, "v"));
      assertEquals("hashtable", c.encoding("h"));
      for (int i = 0; i < 1000; i++) {
        assertEquals("v" + i, c.hget("h", "field:" + i));
      }
      assertEquals(1000, c.hlen("h"));
      final String[] gone = new String[999];
      for (int i = 0; i < 999; i++) {
        gone[i] = "field:" + i;
      }
      assertEquals(999, c.hdel("h", gone));
      assertEquals("hashtable", c.encoding("h"));
      assertEquals(Map.of("field:999", "v999"), c.hgetAll("h"));
      assertEquals(1, c.hdel("h", "field:999"));
      assertEquals(ValueType.NONE, c.type("h"));
      assertEquals(0, store.usedMemoryBytes() - indexBytes(store), "no block leaks");
    }
  }

  private static long indexBytes(final Store store) {
    long n = 0;
    for (int d = 0; d < store.databaseCount(); d++) {
      for (int i = 0; i < store.shardsPerDatabase(); i++) {
        n += store.database(d).shard(i).index.bytes();
      }
    }
    return n;
  }

  @Test
  void convertsOnALongValueAndMemoryIsProportional() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      c.hset("h", "a", "x".repeat(65));
      assertEquals("hashtable", c.encoding("h"));
      assertEquals("x".repeat(65), c.hget("h", "a"));
      final long small = c.memoryUsage("h");
      c.hset("big", pairs(0, 1000, "value"));
      final long big = c.memoryUsage("big");
      assertTrue(big > small && big < 1000 * 64, "bytes=" + big);
      c.hset("big", pairs(0, 1000, "a-much-longer-value-that-moves-the-entry-"));
      assertTrue(c.memoryUsage("big") > big);
      assertEquals("a-much-longer-value-that-moves-the-entry-7", c.hget("big", "field:7"));
    }
  }

  @Test
  void hscanPagesAndReturnsEveryFieldPresentThroughoutWhileTheTableResizes() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      c.hset("h", pairs(0, 1000, "v"));
      final UnsafeBuffer k = buf("h");
      final Set<String> seen = new HashSet<>();
      long cursor = 0;
      int pages = 0;
      int extra = 1000;
      do {
        c.out.clear();
        cursor = store.database(0).hscan(k, 0, 1, cursor, 10, null, 0, 0, true, c.out);
        assertTrue(cursor >= 0);
        assertTrue(c.out.values.size() < 200, "page=" + c.out.values.size());
        seen.addAll(c.out.values);
        pages++;
        // grow by 300 then shrink by deleting them again, between calls
        if (pages == 5) {
          c.hset("h", pairs(extra, extra + 3000, "w"));
        } else if (pages == 20) {
          final String[] del = new String[3000];
          for (int i = 0; i < 3000; i++) {
            del[i] = "field:" + (extra + i);
          }
          c.hdel("h", del);
        }
      } while (cursor != 0);
      assertTrue(pages > 10, "pages=" + pages);
      for (int i = 0; i < 1000; i++) {
        assertTrue(seen.contains("field:" + i), "missing field:" + i);
      }
      final Map<String, String> matched = c.hscanAll("h", 7, "field:10?");
      assertEquals(10, matched.size());
      assertEquals("v105", matched.get("field:105"));
    }
  }

  @Test
  void fieldTtlsExpireActivelyAndOnRead() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      c.hset("h", pairs(0, 500, "v"));
      final long now = clock.epochMs();
      final String[] some = new String[100];
      for (int i = 0; i < 100; i++) {
        some[i] = "field:" + i;
      }
      c.hexpireAt("h", now + 1000, 0, some);
      assertEquals(List.of(1000L), c.httl("h", Database.HTTL_MILLIS, "field:5"));
      assertEquals(List.of(1L), c.hpersist("h", "field:5"));
      clock.advance(1001);
      assertEquals(null, c.hget("h", "field:6"));
      assertEquals("v5", c.hget("h", "field:5"));
      assertEquals(401, c.hlen("h"));
      store.tickAll(clock.epochMs());
      assertEquals(401, c.hlen("h"));
      c.hexpireAt("h", clock.epochMs() + 10, 0, c.hgetAll("h").keySet().toArray(String[]::new));
      clock.advance(11);
      store.tickAll(clock.epochMs());
      assertEquals(0, store.database(0).dbSize());
      assertEquals(0, store.usedMemoryBytes() - indexBytes(store), "no block leaks");
    }
  }

  @Test
  void copyRenameMoveAndRandomFieldsKeepIndexedHashesIntact() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      c.hset("h", pairs(0, 300, "v"));
      assertEquals(1, c.copy("h", 1, "h2", false));
      assertEquals(Status.OK, c.rename("h", "{h}x", false));
      c.db = 1;
      assertEquals("hashtable", c.encoding("h2"));
      assertEquals(300, c.hlen("h2"));
      c.hdel("h2", "field:1");
      c.db = 0;
      assertEquals(300, c.hlen("{h}x"));
      assertEquals("v1", c.hget("{h}x", "field:1"));
      assertEquals(1, c.move("{h}x", 1));
      c.db = 1;
      assertEquals("v2", c.hget("{h}x", "field:2"));
      final List<String> r = c.hrandfield("{h}x", true, -50);
      assertEquals(50, r.size());
      assertEquals(120, new HashSet<>(c.hrandfield("{h}x", true, 120)).size());
      assertTrue(c.hrandfield("{h}x", false, 0).get(0).startsWith("field:"));
    }
  }

  @Test
  void indexedHashesTravelPackedAndAreIndexedAgain() {
    final List<byte[]> records = new ArrayList<>();
    try (Store a = store(EffectSink.NONE);
        Store b = store(EffectSink.NONE)) {
      final Client ca = new Client(a);
      ca.hset("{s}h", pairs(0, 200, "v"));
      ca.hexpireAt("{s}h", clock.epochMs() + 5000, 0, "field:3");
      final UnsafeBuffer key = buf("{s}h");
      final int slot = Bytes.clusterSlot(key, 0, key.capacity());
      a.database(0)
          .exportSlots(
              s -> s == slot,
              (DirectBuffer buffer, int offset, int length) -> {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                records.add(copy);
              });
      assertEquals(1, records.size());
      final UnsafeBuffer rec = new UnsafeBuffer(records.get(0));
      assertEquals(Status.OK, b.database(0).importRecord(rec, 0, rec.capacity()));
      final Client cb = new Client(b);
      assertEquals("hashtable", cb.encoding("{s}h"));
      assertEquals(ca.hgetAll("{s}h"), cb.hgetAll("{s}h"));
      assertEquals(List.of(5000L), cb.httl("{s}h", Database.HTTL_MILLIS, "field:3"));
    }
  }

  @Test
  void replayAndImportEmitNoEffects() {
    final List<byte[]> effects = new ArrayList<>();
    final EffectSink capture =
        (buffer, offset, length) -> {
          final byte[] copy = new byte[length];
          buffer.getBytes(offset, copy);
          effects.add(copy);
        };
    try (Store primary = store(capture);
        Store backup = store(capture)) {
      final Client c = new Client(primary);
      c.hset("h", pairs(0, 200, "v"));
      c.set("s", "1", 0, clock.epochMs() + 10);
      final List<byte[]> produced = new ArrayList<>(effects);
      effects.clear();
      for (final byte[] e : produced) {
        final UnsafeBuffer b = new UnsafeBuffer(e);
        backup.applyEffect(b, 0, b.capacity());
      }
      assertEquals(List.of(), effects);
      clock.advance(20);
      final UnsafeBuffer rec = buf("x");
      primary
          .database(0)
          .exportSlots(
              slot -> slot == Bytes.clusterSlot(buf("h"), 0, 1),
              (buffer, offset, length) -> {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                rec.wrap(copy);
              });
      // the backup still holds the expired "s": importing over it must not emit its DEL
      assertEquals(2, backup.database(0).dbSize());
      backup.database(0).importRecord(rec, 0, rec.capacity());
      assertEquals(List.of(), effects);
      assertEquals(null, new Client(backup).get("s"));
      assertEquals(200, new Client(backup).hlen("h"));
    }
  }

  @Test
  void inactiveSlotsHideButDoNotReclaim() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      c.set("a", "1", 0, clock.epochMs() + 10);
      c.hset("b", "f", "v");
      c.hexpireAt("b", clock.epochMs() + 10, 0, "f");
      store.activeSlots(slot -> false);
      clock.advance(11);
      store.tickAll(clock.epochMs());
      assertEquals(null, c.get("a"));
      assertEquals(null, c.hget("b", "f"));
      assertEquals(List.of(), c.hrandfield("b", true, 3));
      assertEquals(List.of(), c.hrandfield("b", false, 0));
      assertEquals(2, store.database(0).dbSize(), "hidden, not deleted");
      store.activeSlots(slot -> true);
      clock.advance(1000);
      store.tickAll(clock.epochMs());
      assertEquals(0, store.database(0).dbSize());
    }
  }

  @Test
  void smallFixes() {
    try (Store store = store(EffectSink.NONE)) {
      final Client c = new Client(store);
      final UnsafeBuffer k = buf("k");
      final UnsafeBuffer v = buf("abc");
      final Database db = store.database(0);
      assertEquals(Status.STRING_TOO_LONG, db.setRange(k, 0, 1, Long.MAX_VALUE - 1, v, 0, 3));
      c.set("k", "x");
      assertEquals(Status.STRING_TOO_LONG, db.setRange(k, 0, 1, Long.MAX_VALUE - 1, v, 0, 3));
      assertEquals(Status.NO_SUCH_KEY, db.objectFreq(buf("missing"), 0, 7));
      assertEquals(Status.NO_SUCH_KEY, db.objectIdleTime(buf("missing"), 0, 7));
      assertEquals(Status.WRONG_POLICY, db.objectFreq(k, 0, 1));
      final TestSupport.StringArgs fv = new TestSupport.StringArgs("f", "v");
      final UnsafeBuffer h = buf("h");
      assertEquals(1, db.hsetEx(h, 0, 1, 0, Database.NO_EXPIRY, fv, 0, 2));
      assertEquals("v", c.hget("h", "f"));
      assertEquals(List.of(-1L), c.httl("h", Database.HTTL_MILLIS, "f"));
      assertEquals(1, db.hsetEx(h, 0, 1, 0, 0, fv, 0, 2));
      assertEquals(ValueType.NONE, c.type("h"), "PXAT 0 is already expired");
      assertNotEquals(0, EffectDescriptor.SET);
    }
  }
}
