package io.roost.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.store.TestSupport.Client;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random command sequences against the store and a plain-map model over a tiny key space (6 keys, 3
 * fields, 2 databases) with a manual clock; every observable result and DBSIZE after ticks must
 * agree. Run with a tiny initial index so tables also grow, and with tiny listpack limits (1 entry,
 * 2 bytes) so hashes convert to the indexed encoding early and HSET_MANY/HDEL_MANY grow and shrink
 * their per-hash tables: both encodings and the conversion are checked against the same model.
 */
class StoreModelProperties {
  private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "{k}5"};
  private static final String[] FIELDS = {"f0", "f1", "f2"};
  private static final String[] VALUES = {"", "1", "-7", "abc", "9223372036854775807", "x y", "10"};

  enum Kind {
    SET,
    SET_NX,
    SET_XX,
    SET_EX,
    SET_KEEPTTL,
    SET_GET,
    GET,
    DEL,
    EXPIRE,
    EXPIRE_GT,
    EXPIRE_LT,
    EXPIRE_NX,
    PERSIST,
    PTTL,
    INCRBY,
    APPEND,
    TYPE,
    EXISTS,
    HSET,
    HDEL,
    HGET,
    HLEN,
    HGETALL,
    HEXPIRE,
    HTTL,
    HSET_MANY,
    HDEL_MANY,
    HINCRBY,
    HPERSIST,
    HSCAN,
    HRANDFIELD,
    ENCODING,
    MEMORY,
    RENAME,
    RENAMENX,
    COPY,
    MOVE,
    SELECT,
    ADVANCE,
    TICK
  }

  record Op(Kind kind, int key, int key2, int field, int value, int num, int db) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return op().list().ofMinSize(1).ofMaxSize(80);
  }

  Arbitrary<Op> op() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, KEYS.length - 1),
            Arbitraries.integers().between(0, KEYS.length - 1),
            Arbitraries.integers().between(0, FIELDS.length - 1),
            Arbitraries.integers().between(0, VALUES.length - 1),
            Arbitraries.integers().between(-2, 6),
            Arbitraries.integers().between(0, 1))
        .as(Op::new);
  }

  static final class Field {
    String value;
    long ttl;

    Field(final String value, final long ttl) {
      this.value = value;
      this.ttl = ttl;
    }
  }

  static final class Entry {
    String value;
    Map<String, Field> fields;
    long expireAt;
    boolean indexed;

    Entry copy() {
      final Entry e = new Entry();
      e.value = value;
      e.expireAt = expireAt;
      e.indexed = indexed;
      if (fields != null) {
        e.fields = new LinkedHashMap<>();
        fields.forEach((k, f) -> e.fields.put(k, new Field(f.value, f.ttl)));
      }
      return e;
    }
  }

  static final class Model {
    final List<Map<String, Entry>> dbs = List.of(new HashMap<>(), new HashMap<>());
    long now;

    Entry live(final int db, final String k) {
      final Map<String, Entry> m = dbs.get(db);
      final Entry e = m.get(k);
      if (e == null) {
        return null;
      }
      if (e.expireAt != 0 && e.expireAt <= now) {
        m.remove(k);
        return null;
      }
      if (e.fields != null) {
        e.fields.values().removeIf(f -> f.ttl != 0 && f.ttl <= now);
        if (e.fields.isEmpty()) {
          m.remove(k);
          return null;
        }
      }
      return e;
    }

    long size(final int db) {
      return new ArrayList<>(dbs.get(db).keySet())
          .stream().filter(k -> live(db, k) != null).count();
    }
  }

  @Property(tries = 1000)
  void storeMatchesModel(@ForAll("ops") final List<Op> ops, @ForAll final boolean tinyListpack) {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    try (Store store =
        new Store(
            new StoreContext()
                .databases(2)
                .shardsPerDatabase(2)
                .initialBucketsPerShard(1)
                .hashMaxListpackEntries(tinyListpack ? 1 : 128)
                .hashMaxListpackValue(tinyListpack ? 2 : 64)
                .maxMemoryBytes(0)
                .clock(clock))) {
      final Client c = new Client(store);
      final Model m = new Model();
      m.now = clock.epochMs();
      int step = 0;
      for (final Op op : ops) {
        apply(op, c, m, clock, "step " + step++ + " " + op);
      }
    }
  }

  private static void apply(
      final Op op, final Client c, final Model m, final ManualClock clock, final String msg) {
    final String k = KEYS[op.key()];
    final String k2 = KEYS[op.key2()];
    final String f = FIELDS[op.field()];
    final String v = VALUES[op.value()];
    final int db = c.db;
    final Map<String, Entry> map = m.dbs.get(db);
    final Entry e = m.live(db, k);
    final long now = m.now;
    switch (op.kind()) {
      case SET, SET_NX, SET_XX, SET_EX, SET_KEEPTTL, SET_GET -> {
        int flags = 0;
        long at = 0;
        switch (op.kind()) {
          case SET_NX -> flags = Database.SET_NX;
          case SET_XX -> flags = Database.SET_XX;
          case SET_EX -> at = now + Math.max(1, op.num()) * 1000L;
          case SET_KEEPTTL -> flags = Database.SET_KEEPTTL;
          case SET_GET -> flags = Database.SET_GET;
          default -> {}
        }
        int expected = Status.OK;
        if (op.kind() == Kind.SET_GET && e != null && e.value == null) {
          expected = Status.WRONGTYPE;
        } else if (op.kind() == Kind.SET_NX && e != null || op.kind() == Kind.SET_XX && e == null) {
          expected = Status.NOT_SET;
        }
        final int s = c.set(k, v, flags, at);
        assertEquals(Status.name(expected), Status.name(s), msg);
        if (op.kind() == Kind.SET_GET && expected != Status.WRONGTYPE) {
          assertEquals(e == null ? null : e.value, c.out.single(), msg);
        }
        if (expected == Status.OK) {
          final Entry n = new Entry();
          n.value = v;
          n.expireAt = at != 0 ? at : (op.kind() == Kind.SET_KEEPTTL && e != null ? e.expireAt : 0);
          map.put(k, n);
        }
      }
      case GET -> {
        final String expected = e == null ? null : e.value == null ? "WRONGTYPE" : e.value;
        assertEquals(expected, c.get(k), msg);
      }
      case DEL -> {
        assertEquals(e == null ? 0 : 1, c.del(k), msg);
        map.remove(k);
      }
      case EXPIRE, EXPIRE_GT, EXPIRE_LT, EXPIRE_NX -> {
        final long at = now + op.num() * 1000L;
        final int flags =
            switch (op.kind()) {
              case EXPIRE_GT -> Database.EXPIRE_GT;
              case EXPIRE_LT -> Database.EXPIRE_LT;
              case EXPIRE_NX -> Database.EXPIRE_NX;
              default -> 0;
            };
        int expected;
        if (e == null) {
          expected = 0;
        } else {
          final long cur = e.expireAt;
          final boolean blocked =
              flags == Database.EXPIRE_NX && cur != 0
                  || flags == Database.EXPIRE_GT && (cur == 0 || at <= cur)
                  || flags == Database.EXPIRE_LT && cur != 0 && at >= cur;
          if (blocked) {
            expected = 0;
          } else {
            expected = 1;
            if (at <= now) {
              map.remove(k);
            } else {
              e.expireAt = at;
            }
          }
        }
        assertEquals(expected, c.expireAt(k, at, flags), msg);
      }
      case PERSIST -> {
        final int expected = e != null && e.expireAt != 0 ? 1 : 0;
        assertEquals(expected, c.persist(k), msg);
        if (expected == 1) {
          e.expireAt = 0;
        }
      }
      case PTTL -> {
        final long expected = e == null ? -2 : e.expireAt == 0 ? -1 : e.expireAt - now;
        assertEquals(expected, c.pttl(k), msg);
      }
      case INCRBY -> {
        final long delta = op.num() * 3L - 1;
        final int s = c.incrBy(k, delta);
        if (e != null && e.value == null) {
          assertEquals("WRONGTYPE", Status.name(s), msg);
        } else {
          final String cur = e == null ? "0" : e.value;
          Long parsed = null;
          try {
            if (cur.matches("-?[1-9][0-9]*|0")) {
              parsed = Long.parseLong(cur);
            }
          } catch (final NumberFormatException ex) {
            parsed = null;
          }
          if (parsed == null) {
            assertEquals("NOT_INTEGER", Status.name(s), msg);
          } else {
            long r;
            try {
              r = Math.addExact(parsed, delta);
            } catch (final ArithmeticException ex) {
              assertEquals("OVERFLOW", Status.name(s), msg);
              return;
            }
            assertEquals("OK", Status.name(s), msg);
            assertEquals(r, c.number.get(), msg);
            if (e == null) {
              final Entry n = new Entry();
              n.value = Long.toString(r);
              map.put(k, n);
            } else {
              e.value = Long.toString(r);
            }
          }
        }
      }
      case APPEND -> {
        final long r = c.append(k, v);
        if (e != null && e.value == null) {
          assertEquals(Status.WRONGTYPE, r, msg);
        } else {
          final String nv = (e == null ? "" : e.value) + v;
          assertEquals(nv.length(), r, msg);
          if (e == null) {
            final Entry n = new Entry();
            n.value = nv;
            map.put(k, n);
          } else {
            e.value = nv;
          }
        }
      }
      case TYPE -> {
        final ValueType expected =
            e == null ? ValueType.NONE : e.value != null ? ValueType.STRING : ValueType.HASH;
        assertEquals(expected, c.type(k), msg);
      }
      case EXISTS -> assertEquals(e == null ? 0 : 1, c.exists(k), msg);
      case HSET -> {
        final long r = c.hset(k, f, v);
        if (e != null && e.value != null) {
          assertEquals(Status.WRONGTYPE, r, msg);
        } else {
          Entry h = e;
          if (h == null) {
            h = new Entry();
            h.fields = new LinkedHashMap<>();
            map.put(k, h);
          }
          assertEquals(h.fields.containsKey(f) ? 0 : 1, r, msg);
          h.fields.put(f, new Field(v, 0));
        }
      }
      case HDEL -> {
        final long r = c.hdel(k, f);
        if (e != null && e.value != null) {
          assertEquals(Status.WRONGTYPE, r, msg);
        } else {
          final boolean had = e != null && e.fields.remove(f) != null;
          assertEquals(had ? 1 : 0, r, msg);
          if (e != null && e.fields.isEmpty()) {
            map.remove(k);
          }
        }
      }
      case HGET -> {
        final String expected =
            e == null
                ? null
                : e.value != null
                    ? "WRONGTYPE"
                    : e.fields.containsKey(f) ? e.fields.get(f).value : null;
        assertEquals(expected, c.hget(k, f), msg);
      }
      case HLEN -> {
        final long expected = e == null ? 0 : e.value != null ? Status.WRONGTYPE : e.fields.size();
        assertEquals(expected, c.hlen(k), msg);
      }
      case HGETALL -> {
        if (e != null && e.value != null) {
          return;
        }
        final Map<String, String> expected = new TreeMap<>();
        if (e != null) {
          e.fields.forEach((fk, fv) -> expected.put(fk, fv.value));
        }
        assertEquals(expected, c.hgetAll(k), msg);
      }
      case HEXPIRE -> {
        final long at = now + op.num() * 1000L;
        final List<Long> r = c.hexpireAt(k, at, 0, f);
        if (e != null && e.value != null) {
          assertEquals(List.of((long) Status.WRONGTYPE), r, msg);
        } else if (e == null || !e.fields.containsKey(f)) {
          assertEquals(List.of(-2L), r, msg);
        } else if (at <= now) {
          assertEquals(List.of(2L), r, msg);
          e.fields.remove(f);
          if (e.fields.isEmpty()) {
            map.remove(k);
          }
        } else {
          assertEquals(List.of(1L), r, msg);
          e.fields.get(f).ttl = at;
        }
      }
      case HTTL -> {
        if (e != null && e.value != null) {
          return;
        }
        final long expected;
        if (e == null || !e.fields.containsKey(f)) {
          expected = -2;
        } else if (e.fields.get(f).ttl == 0) {
          expected = -1;
        } else {
          expected = e.fields.get(f).ttl - now;
        }
        assertEquals(List.of(expected), c.httl(k, Database.HTTL_MILLIS, f), msg);
      }
      case HSET_MANY -> {
        final int n = (op.num() + 3) * 6;
        final String[] pairs = new String[n * 2];
        for (int i = 0; i < n; i++) {
          pairs[2 * i] = "m" + i;
          pairs[2 * i + 1] = v + i;
        }
        final long r = c.hset(k, pairs);
        if (e != null && e.value != null) {
          assertEquals(Status.WRONGTYPE, r, msg);
        } else {
          Entry h = e;
          if (h == null) {
            h = new Entry();
            h.fields = new LinkedHashMap<>();
            map.put(k, h);
          }
          int added = 0;
          for (int i = 0; i < n; i++) {
            if (h.fields.put("m" + i, new Field(v + i, 0)) == null) {
              added++;
            }
          }
          assertEquals(added, r, msg);
        }
      }
      case HDEL_MANY -> {
        final int n = (op.num() + 3) * 5;
        final String[] fields = new String[n];
        for (int i = 0; i < n; i++) {
          fields[i] = "m" + i;
        }
        final long r = c.hdel(k, fields);
        if (e != null && e.value != null) {
          assertEquals(Status.WRONGTYPE, r, msg);
        } else {
          int had = 0;
          if (e != null) {
            for (final String fk : fields) {
              if (e.fields.remove(fk) != null) {
                had++;
              }
            }
            if (e.fields.isEmpty()) {
              map.remove(k);
            }
          }
          assertEquals(had, r, msg);
        }
      }
      case HINCRBY -> {
        final long delta = op.num() * 5L - 3;
        final int s = c.hincrBy(k, f, delta);
        if (e != null && e.value != null) {
          assertEquals("WRONGTYPE", Status.name(s), msg);
          return;
        }
        final Field cur = e == null ? null : e.fields.get(f);
        final String text = cur == null ? "0" : cur.value;
        if (!text.matches("-?[1-9][0-9]*|0")) {
          assertEquals("NOT_INTEGER", Status.name(s), msg);
          return;
        }
        final long r;
        try {
          r = Math.addExact(Long.parseLong(text), delta);
        } catch (final ArithmeticException ex) {
          assertEquals("OVERFLOW", Status.name(s), msg);
          return;
        }
        assertEquals("OK", Status.name(s), msg);
        assertEquals(r, c.number.get(), msg);
        Entry h = e;
        if (h == null) {
          h = new Entry();
          h.fields = new LinkedHashMap<>();
          map.put(k, h);
        }
        h.fields.put(f, new Field(Long.toString(r), cur == null ? 0 : cur.ttl));
      }
      case HPERSIST -> {
        final List<Long> r = c.hpersist(k, f);
        if (e != null && e.value != null) {
          assertEquals(List.of((long) Status.WRONGTYPE), r, msg);
        } else if (e == null || !e.fields.containsKey(f)) {
          assertEquals(List.of(-2L), r, msg);
        } else if (e.fields.get(f).ttl == 0) {
          assertEquals(List.of(-1L), r, msg);
        } else {
          assertEquals(List.of(1L), r, msg);
          e.fields.get(f).ttl = 0;
        }
      }
      case HSCAN -> {
        final int count = 1 + (op.num() + 2) % 4;
        final String match = op.value() % 3 == 0 ? "m1*" : null;
        final Map<String, String> got = c.hscanAll(k, count, match);
        if (e != null && e.value != null) {
          assertEquals(Map.of("<status>", "WRONGTYPE"), got, msg);
          return;
        }
        final Map<String, String> expected = new TreeMap<>();
        if (e != null) {
          e.fields.forEach(
              (fk, fv) -> {
                if (match == null || fk.startsWith("m1")) {
                  expected.put(fk, fv.value);
                }
              });
        }
        assertEquals(expected, got, msg);
      }
      case HRANDFIELD -> {
        final List<String> got = c.hrandfield(k, op.num() != 0, op.num());
        if (e != null && e.value != null) {
          assertEquals(List.of("WRONGTYPE"), got, msg);
          return;
        }
        final int n = e == null ? 0 : e.fields.size();
        if (op.num() == 0) {
          assertEquals(n == 0 ? 0 : 1, got.size(), msg);
        } else if (op.num() > 0) {
          assertEquals(Math.min(n, op.num()), got.size(), msg);
          assertEquals(got.size(), new java.util.HashSet<>(got).size(), msg + " distinct");
        } else {
          assertEquals(n == 0 ? 0 : -op.num(), got.size(), msg);
        }
        for (final String g : got) {
          assertEquals(true, e != null && e.fields.containsKey(g), msg + " field=" + g);
        }
      }
      case ENCODING -> {
        if (e == null || e.value != null) {
          return;
        }
        final String enc = c.encoding(k);
        final int limit = c.store.hashMaxListpackEntries;
        if (e.indexed || e.fields.size() > limit) {
          assertEquals("hashtable", enc, msg + " (one way, past the entry limit)");
        }
        e.indexed = "hashtable".equals(enc);
      }
      case MEMORY -> {
        final long bytes = c.memoryUsage(k);
        if (e == null) {
          assertEquals(-2, bytes, msg);
        } else {
          assertEquals(true, bytes >= RecordDescriptor.HEADER_LENGTH + k.length(), msg);
        }
      }
      case RENAME, RENAMENX -> {
        final boolean nx = op.kind() == Kind.RENAMENX;
        final int r = c.rename(k, k2, nx);
        if (e == null) {
          assertEquals("NO_SUCH_KEY", Status.name(r), msg);
        } else if (k.equals(k2)) {
          assertEquals(nx ? "NOT_SET" : "OK", Status.name(r), msg);
        } else if (nx && m.live(db, k2) != null) {
          assertEquals("NOT_SET", Status.name(r), msg);
        } else {
          assertEquals("OK", Status.name(r), msg);
          map.remove(k);
          map.put(k2, e);
        }
      }
      case COPY -> {
        final int dst = op.db();
        final boolean replace = op.num() > 2;
        final int r = c.copy(k, dst, k2, replace);
        if (dst == db && k.equals(k2)) {
          assertEquals("SAME_OBJECT", Status.name(r), msg);
        } else if (e == null) {
          assertEquals(0, r, msg);
        } else if (m.live(dst, k2) != null && !replace) {
          assertEquals(0, r, msg);
        } else {
          assertEquals(1, r, msg);
          m.dbs.get(dst).put(k2, e.copy());
        }
      }
      case MOVE -> {
        final int dst = op.db();
        final int r = c.move(k, dst);
        if (dst == db) {
          assertEquals("SAME_OBJECT", Status.name(r), msg);
        } else if (e == null || m.live(dst, k) != null) {
          assertEquals(0, r, msg);
        } else {
          assertEquals(1, r, msg);
          map.remove(k);
          m.dbs.get(dst).put(k, e);
        }
      }
      case SELECT -> c.db = op.db();
      case ADVANCE -> m.now = clock.advance(Math.max(0, op.num()) * 400L + 1);
      case TICK -> {
        c.store.tickAll(m.now);
        c.store.tickAll(m.now);
        for (int d = 0; d < 2; d++) {
          assertEquals(m.size(d), c.store.database(d).dbSize(), msg + " dbsize db=" + d);
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
  }
}
