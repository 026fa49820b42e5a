package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.store.TestSupport.Client;
import io.roost.store.TestSupport.StringArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreCommandsTest {
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final List<String> events = new ArrayList<>();
  private final Store store =
      new Store(
          new StoreContext()
              .databases(4)
              .shardsPerDatabase(4)
              .maxMemoryBytes(0)
              .clock(clock)
              .keyspaceEventSink(
                  (db, e, k, o, l) ->
                      events.add(db + ":" + e.redisName() + ":" + TestSupport.str(k, o, l))));
  private final Client c = new Client(store);

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void setGetWithOptionsAndEncodings() {
    assertEquals(Status.OK, c.set("a", "12"));
    assertEquals("int", c.encoding("a"));
    assertEquals(Status.OK, c.set("b", "hello"));
    assertEquals("embstr", c.encoding("b"));
    assertEquals(Status.OK, c.set("c", "x".repeat(45)));
    assertEquals("raw", c.encoding("c"));
    assertEquals(Status.OK, c.set("d", "01"));
    assertEquals("embstr", c.encoding("d"));
    assertEquals(Status.NOT_SET, c.set("a", "z", Database.SET_NX, 0));
    assertEquals(Status.NOT_SET, c.set("zz", "z", Database.SET_XX, 0));
    assertEquals(Status.OK, c.set("a", "new", Database.SET_GET, 0));
    assertEquals("12", c.out.single());
    assertEquals(5, c.append("a", "er"));
    assertEquals(7, c.append("a", "!!"));
    assertEquals("newer!!", c.get("a"));
    assertEquals("raw", c.encoding("a"));
    c.hset("h", "f", "v");
    assertEquals(Status.WRONGTYPE, c.set("h", "x", Database.SET_GET, 0));
    assertEquals("WRONGTYPE", c.get("h"));
    assertEquals(Status.OK, c.set("h", "x"));
    assertEquals("x", c.get("h"));
  }

  @Test
  void ttlSemantics() {
    final long now = clock.epochMs();
    c.set("k", "v", 0, now + 10_000);
    assertEquals(10_000, c.pttl("k"));
    assertEquals(now + 10_000, c.pexpireTime("k"));
    assertEquals(Status.OK, c.set("k", "v2", Database.SET_KEEPTTL, 0));
    assertEquals(10_000, c.pttl("k"));
    assertEquals(Status.OK, c.set("k", "v3"));
    assertEquals(-1, c.pttl("k"));
    assertEquals(-2, c.pttl("missing"));
    assertEquals(0, c.expireAt("k", now + 5000, Database.EXPIRE_GT));
    assertEquals(1, c.expireAt("k", now + 5000, Database.EXPIRE_LT));
    assertEquals(0, c.expireAt("k", now + 6000, Database.EXPIRE_LT));
    assertEquals(1, c.expireAt("k", now + 6000, Database.EXPIRE_GT));
    assertEquals(0, c.expireAt("k", now + 7000, Database.EXPIRE_NX));
    assertEquals(1, c.expireAt("k", now + 7000, Database.EXPIRE_XX));
    assertEquals(1, c.persist("k"));
    assertEquals(0, c.persist("k"));
    assertEquals(1, c.expireAt("k", now, 0));
    assertEquals(0, c.exists("k"));
    assertTrue(events.contains("0:del:k"));
    c.set("e", "v", 0, now + 1);
    clock.advance(1);
    assertNull(c.get("e"));
    assertTrue(events.contains("0:expired:e"));
    assertEquals(1, store.stats().expiredKeys());
  }

  @Test
  void incrementsAndErrors() {
    assertEquals(Status.OK, c.incrBy("n", 5));
    assertEquals(5, c.number.get());
    assertEquals("int", c.encoding("n"));
    c.set("m", "9223372036854775807");
    assertEquals(Status.OVERFLOW, c.incrBy("m", 1));
    c.set("s", "abc");
    assertEquals(Status.NOT_INTEGER, c.incrBy("s", 1));
    c.set("sp", " 1");
    assertEquals(Status.NOT_INTEGER, c.incrBy("sp", 1));
    c.set("f", "10.5");
    assertEquals("10.6", c.incrByFloat("f", "0.1"));
    c.set("g", "1");
    assertEquals("2.1", c.incrByFloat("g", "1.1"));
    assertEquals("embstr", c.encoding("g"));
    c.set("h", "5.0e3");
    assertEquals("5200", c.incrByFloat("h", "2.0e2"));
    assertEquals("NOT_FLOAT", c.incrByFloat("h", "abc"));
    assertEquals("NOT_FLOAT", c.incrByFloat("h", " 1"));
    assertEquals("NAN_OR_INFINITY", c.incrByFloat("h", "inf"));
    c.set("i", "17179869184");
    assertEquals("17179869185.5", c.incrByFloat("i", "1.5"));
    assertEquals("0", c.incrByFloat("z", "0"));
    c.set("t", "1", 0, clock.epochMs() + 1000);
    c.incrBy("t", 1);
    assertEquals(1000, c.pttl("t"));
  }

  @Test
  void rangesAndSetRange() {
    c.set("s", "This is a string");
    final TestSupport.Collector out = new TestSupport.Collector();
    final UnsafeBuffer k = buf("s");
    store.database(0).getRange(k, 0, 1, 0, 3, out);
    store.database(0).getRange(k, 0, 1, -3, -1, out);
    store.database(0).getRange(k, 0, 1, 0, -1, out);
    store.database(0).getRange(k, 0, 1, 10, 100, out);
    store.database(0).getRange(k, 0, 1, -1, -5, out);
    assertEquals(List.of("This", "ing", "This is a string", "string", ""), out.values);
    final UnsafeBuffer v = buf("Redis");
    final UnsafeBuffer k2 = buf("k2");
    assertEquals(11, store.database(0).setRange(k2, 0, 2, 6, v, 0, 5));
    assertEquals("\0\0\0\0\0\0Redis", c.get("k2"));
    assertEquals(0, store.database(0).setRange(buf("k3"), 0, 2, 6, v, 0, 0));
    assertEquals(0, c.exists("k3"));
    assertEquals(
        Status.STRING_TOO_LONG, store.database(0).setRange(k2, 0, 2, 512L * 1024 * 1024, v, 0, 5));
  }

  @Test
  void renameCopyMove() {
    c.set("a", "1", 0, clock.epochMs() + 5000);
    assertEquals(Status.OK, c.rename("a", "b", false));
    assertEquals("1", c.get("b"));
    assertEquals(5000, c.pttl("b"));
    assertEquals(Status.NO_SUCH_KEY, c.rename("a", "b", false));
    c.set("x", "2");
    assertEquals(Status.NOT_SET, c.rename("x", "b", true));
    assertEquals(Status.OK, c.rename("b", "b", false));
    assertEquals(Status.NOT_SET, c.rename("b", "b", true));
    assertEquals(1, c.copy("b", 1, "b", false));
    assertEquals(0, c.copy("b", 1, "b", false));
    assertEquals(1, c.copy("b", 1, "b", true));
    assertEquals(Status.SAME_OBJECT, c.copy("b", 0, "b", true));
    assertEquals(Status.DB_OUT_OF_RANGE, c.copy("b", 9, "b", true));
    c.db = 1;
    assertEquals("1", c.get("b"));
    assertEquals(5000, c.pttl("b"));
    assertEquals(0, c.move("b", 0));
    c.del("b");
    c.db = 0;
    assertEquals(1, c.move("b", 1));
    assertEquals(0, c.exists("b"));
    assertEquals(Status.SAME_OBJECT, c.move("x", 0));
    assertTrue(events.contains("0:rename_from:a"));
    assertTrue(events.contains("0:rename_to:b"));
    assertTrue(events.contains("1:copy_to:b"));
    assertTrue(events.contains("1:move_to:b"));
    assertTrue(events.indexOf("0:new:b") < events.indexOf("0:rename_to:b"));
  }

  @Test
  void hashesWithFieldTtl() {
    assertEquals(2, c.hset("h", "a", "1", "b", "2"));
    assertEquals(0, c.hset("h", "a", "3"));
    assertEquals("listpack", c.encoding("h"));
    assertEquals(Map.of("a", "3", "b", "2"), c.hgetAll("h"));
    final long now = clock.epochMs();
    assertEquals(List.of(1L, -2L), c.hexpireAt("h", now + 2000, 0, "a", "zz"));
    assertEquals("listpackex", c.encoding("h"));
    assertEquals(List.of(0L), c.hexpireAt("h", now + 3000, Database.EXPIRE_NX, "a"));
    assertEquals(List.of(0L), c.hexpireAt("h", now + 1000, Database.EXPIRE_GT, "a"));
    assertEquals(List.of(0L), c.hexpireAt("h", now + 1000, Database.EXPIRE_GT, "b"));
    assertEquals(List.of(1L), c.hexpireAt("h", now + 1000, Database.EXPIRE_LT, "b"));
    assertEquals(List.of(2L, 1L), c.httl("h", Database.HTTL_SECONDS, "a", "b"));
    assertEquals(List.of(2000L, 1000L, -2L), c.httl("h", Database.HTTL_MILLIS, "a", "b", "c"));
    assertEquals(List.of(-2L), c.hexpireAt("missing", now + 1, 0, "a"));
    clock.advance(1000);
    store.tickAll(clock.epochMs());
    assertEquals(1, c.hlen("h"));
    assertTrue(events.contains("0:hexpired:h"));
    assertNull(c.hget("h", "b"));
    clock.advance(1000);
    store.tickAll(clock.epochMs());
    assertEquals(0, c.exists("h"));
    assertTrue(events.contains("0:del:h"));
    assertEquals(2, store.stats().expiredHashFields());
    // conversion to hashtable by value size and by count
    c.hset("big", "f", "x".repeat(65));
    assertEquals("hashtable", c.encoding("big"));
    for (int i = 0; i < 129; i++) {
      c.hset("many", "f" + i, "v");
    }
    assertEquals("hashtable", c.encoding("many"));
    assertEquals(129, c.hlen("many"));
    assertEquals(1, c.hdel("many", "f5", "nope"));
    assertEquals(128, c.hlen("many"));
  }

  @Test
  void hashIncrementsKeepFieldTtl() {
    final UnsafeBuffer k = buf("h");
    final UnsafeBuffer f = buf("n");
    final Database d = store.database(0);
    assertEquals(Status.OK, d.hincrBy(k, 0, 1, f, 0, 1, 5, c.number));
    c.hexpireAt("h", clock.epochMs() + 5000, 0, "n");
    assertEquals(Status.OK, d.hincrBy(k, 0, 1, f, 0, 1, 5, c.number));
    assertEquals(10, c.number.get());
    assertEquals(List.of(5000L), c.httl("h", Database.HTTL_MILLIS, "n"));
    final TestSupport.Collector out = new TestSupport.Collector();
    final UnsafeBuffer incr = buf("0.5");
    assertEquals(Status.OK, d.hincrByFloat(k, 0, 1, f, 0, 1, incr, 0, 3, out));
    assertEquals("10.5", out.single());
    assertEquals(Status.NOT_INTEGER, d.hincrBy(k, 0, 1, f, 0, 1, 1, c.number));
    c.hset("h", "n", "9223372036854775807");
    assertEquals(Status.OVERFLOW, d.hincrBy(k, 0, 1, f, 0, 1, 1, c.number));
  }

  @Test
  void hsetexHgetexHgetdel() {
    final Database d = store.database(0);
    final UnsafeBuffer k = buf("h");
    final long now = clock.epochMs();
    assertEquals(1, d.hsetEx(k, 0, 1, 0, now + 5000, new StringArgs("a", "1", "b", "2"), 0, 4));
    assertEquals(List.of(5000L, 5000L), c.httl("h", Database.HTTL_MILLIS, "a", "b"));
    assertEquals(
        0,
        d.hsetEx(k, 0, 1, Database.HSETEX_FNX, Database.NO_EXPIRY, new StringArgs("a", "9"), 0, 2));
    assertEquals(
        1,
        d.hsetEx(
            k,
            0,
            1,
            Database.HSETEX_FXX | Database.HSETEX_KEEPTTL,
            Database.NO_EXPIRY,
            new StringArgs("a", "9"),
            0,
            2));
    assertEquals(List.of(5000L), c.httl("h", Database.HTTL_MILLIS, "a"));
    assertEquals(1, d.hsetEx(k, 0, 1, 0, Database.NO_EXPIRY, new StringArgs("a", "8"), 0, 2));
    assertEquals(List.of(-1L), c.httl("h", Database.HTTL_MILLIS, "a"));
    final TestSupport.Collector out = new TestSupport.Collector();
    assertEquals(
        Status.OK,
        d.hgetEx(k, 0, 1, Database.GETEX_PERSIST, 0, new StringArgs("b", "zz"), 0, 2, out));
    assertEquals(java.util.Arrays.asList("2", null), out.values);
    assertEquals(List.of(-1L), c.httl("h", Database.HTTL_MILLIS, "b"));
    out.clear();
    assertEquals(2, d.hgetDel(k, 0, 1, new StringArgs("a", "b", "c"), 0, 3, out));
    assertEquals(java.util.Arrays.asList("8", "2", null), out.values);
    assertEquals(0, c.exists("h"));
  }

  @Test
  void msetMgetKeysScanRandom() {
    final Database d = store.database(0);
    assertEquals(Status.OK, d.mset(new StringArgs("a", "1", "b", "2", "c", "3"), 0, 6));
    c.hset("h", "f", "v");
    final TestSupport.Collector out = new TestSupport.Collector();
    d.mget(new StringArgs("a", "zz", "h", "c"), 0, 4, out);
    assertEquals(java.util.Arrays.asList("1", null, null, "3"), out.values);
    assertEquals(0, d.msetnx(new StringArgs("x", "1", "a", "2"), 0, 4));
    assertEquals(0, c.exists("x"));
    assertEquals(1, d.msetnx(new StringArgs("x", "1", "y", "2"), 0, 4));
    assertEquals(List.of("a", "b", "c", "h", "x", "y"), c.keys("*"));
    assertEquals(List.of("a", "b", "c"), c.keys("[a-c]"));
    out.clear();
    long cursor = 0;
    do {
      cursor = d.scan(cursor, null, 0, 0, ValueType.HASH, 1, out);
    } while (cursor != 0);
    assertEquals(List.of("h"), out.values);
    out.clear();
    assertEquals(Status.OK, d.randomKey(out));
    assertTrue(List.of("a", "b", "c", "h", "x", "y").contains(out.single()));
    assertEquals(3, d.del(new StringArgs("a", "b", "nope", "c"), 0, 4));
    assertEquals(3, d.dbSize());
    d.flush();
    assertEquals(0, d.dbSize());
    assertEquals(Status.NIL, d.randomKey(out.clear()));
  }

  @Test
  void swapDbAndFlushAll() {
    c.set("a", "1");
    assertEquals(Status.OK, store.swapDb(0, 1));
    assertEquals(0, c.exists("a"));
    c.db = 1;
    assertEquals("1", c.get("a"));
    store.flushAll();
    assertEquals(0, c.exists("a"));
    assertEquals(0, store.stats().keysPerDb()[1]);
  }

  @Test
  void objectFreqAndIdle() {
    c.set("a", "1");
    assertEquals(0, store.database(0).objectIdleTime(buf("a"), 0, 1));
    clock.advance(5000);
    assertEquals(5, store.database(0).objectIdleTime(buf("a"), 0, 1));
    assertEquals(Status.WRONG_POLICY, store.database(0).objectFreq(buf("a"), 0, 1));
    store.evictionPolicy(EvictionPolicy.ALLKEYS_LFU);
    c.set("b", "1");
    assertEquals(5, store.database(0).objectFreq(buf("b"), 0, 1));
    assertTrue(store.database(0).memoryUsage(buf("b"), 0, 1) > 32);
  }
}
