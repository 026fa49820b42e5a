package io.roost.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Helpers for store tests: strings to buffers, collecting sinks, argument lists. */
final class TestSupport {
  private TestSupport() {}

  static UnsafeBuffer buf(final String s) {
    return new UnsafeBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String str(final DirectBuffer b, final int off, final int len) {
    final byte[] bytes = new byte[len];
    b.getBytes(off, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Collects everything a ValueSink receives; nil is recorded as null, integers as text. */
  static final class Collector implements ValueSink {
    final List<String> values = new ArrayList<>();
    final List<Long> integers = new ArrayList<>();
    int arrayStarts = -1;

    @Override
    public void arrayStart(final int count) {
      arrayStarts = count;
    }

    @Override
    public void value(final DirectBuffer buffer, final int offset, final int length) {
      values.add(str(buffer, offset, length));
    }

    @Override
    public void nil() {
      values.add(null);
    }

    @Override
    public void integer(final long value) {
      integers.add(value);
    }

    String single() {
      return values.isEmpty() ? null : values.get(0);
    }

    Collector clear() {
      values.clear();
      integers.clear();
      arrayStarts = -1;
      return this;
    }
  }

  /** Args over Java strings. */
  static final class StringArgs implements Args {
    final UnsafeBuffer[] buffers;

    StringArgs(final String... args) {
      buffers = new UnsafeBuffer[args.length];
      for (int i = 0; i < args.length; i++) {
        buffers[i] = buf(args[i]);
      }
    }

    @Override
    public int count() {
      return buffers.length;
    }

    @Override
    public DirectBuffer buffer(final int index) {
      return buffers[index];
    }

    @Override
    public int offset(final int index) {
      return 0;
    }

    @Override
    public int length(final int index) {
      return buffers[index].capacity();
    }
  }

  /** Convenience wrapper so tests read like commands. */
  static final class Client {
    final Store store;
    final Collector out = new Collector();
    final org.agrona.collections.MutableLong number = new org.agrona.collections.MutableLong();
    int db;

    Client(final Store store) {
      this.store = store;
    }

    Database d() {
      return store.database(db);
    }

    int set(final String k, final String v, final int flags, final long at) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final UnsafeBuffer vb = buf(v);
      return d().set(kb, 0, kb.capacity(), vb, 0, vb.capacity(), flags, at, out);
    }

    int set(final String k, final String v) {
      return set(k, v, 0, 0);
    }

    String get(final String k) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final int s = d().get(kb, 0, kb.capacity(), out);
      if (s == Status.WRONGTYPE) {
        return "WRONGTYPE";
      }
      return out.single();
    }

    int del(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().del(kb, 0, kb.capacity());
    }

    int exists(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().exists(kb, 0, kb.capacity());
    }

    int expireAt(final String k, final long at, final int flags) {
      final UnsafeBuffer kb = buf(k);
      return d().expireAt(kb, 0, kb.capacity(), at, flags);
    }

    long pttl(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().pttl(kb, 0, kb.capacity());
    }

    long pexpireTime(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().pexpireTime(kb, 0, kb.capacity());
    }

    int persist(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().persist(kb, 0, kb.capacity());
    }

    ValueType type(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().type(kb, 0, kb.capacity());
    }

    String encoding(final String k) {
      final UnsafeBuffer kb = buf(k);
      final Encoding e = d().objectEncoding(kb, 0, kb.capacity());
      return e == null ? null : e.redisName();
    }

    int incrBy(final String k, final long delta) {
      final UnsafeBuffer kb = buf(k);
      return d().incrBy(kb, 0, kb.capacity(), delta, number);
    }

    String incrByFloat(final String k, final String incr) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final UnsafeBuffer ib = buf(incr);
      final int s = d().incrByFloat(kb, 0, kb.capacity(), ib, 0, ib.capacity(), out);
      return s == Status.OK ? out.single() : Status.name(s);
    }

    long append(final String k, final String v) {
      final UnsafeBuffer kb = buf(k);
      final UnsafeBuffer vb = buf(v);
      return d().append(kb, 0, kb.capacity(), vb, 0, vb.capacity());
    }

    long hset(final String k, final String... pairs) {
      final UnsafeBuffer kb = buf(k);
      return d().hset(kb, 0, kb.capacity(), new StringArgs(pairs), 0, pairs.length);
    }

    String hget(final String k, final String f) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final UnsafeBuffer fb = buf(f);
      final int s = d().hget(kb, 0, kb.capacity(), fb, 0, fb.capacity(), out);
      return s == Status.WRONGTYPE ? "WRONGTYPE" : out.single();
    }

    long hdel(final String k, final String... fields) {
      final UnsafeBuffer kb = buf(k);
      return d().hdel(kb, 0, kb.capacity(), new StringArgs(fields), 0, fields.length);
    }

    long hlen(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().hlen(kb, 0, kb.capacity());
    }

    java.util.Map<String, String> hgetAll(final String k) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      d().hgetAll(kb, 0, kb.capacity(), Database.HASH_BOTH, out);
      final java.util.Map<String, String> m = new java.util.TreeMap<>();
      for (int i = 0; i + 1 < out.values.size(); i += 2) {
        m.put(out.values.get(i), out.values.get(i + 1));
      }
      return m;
    }

    List<Long> hexpireAt(final String k, final long at, final int cond, final String... fields) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final int s =
          d().hexpireAt(
                  kb, 0, kb.capacity(), at, cond, new StringArgs(fields), 0, fields.length, out);
      if (s != Status.OK) {
        return List.of((long) s);
      }
      return new ArrayList<>(out.integers);
    }

    List<Long> httl(final String k, final int mode, final String... fields) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      d().httl(kb, 0, kb.capacity(), mode, new StringArgs(fields), 0, fields.length, out);
      return new ArrayList<>(out.integers);
    }

    int rename(final String a, final String b, final boolean nx) {
      final UnsafeBuffer ab = buf(a);
      final UnsafeBuffer bb = buf(b);
      return d().rename(ab, 0, ab.capacity(), bb, 0, bb.capacity(), nx);
    }

    int copy(final String a, final int dstDb, final String b, final boolean replace) {
      final UnsafeBuffer ab = buf(a);
      final UnsafeBuffer bb = buf(b);
      return d().copy(ab, 0, ab.capacity(), dstDb, bb, 0, bb.capacity(), replace);
    }

    int move(final String k, final int dstDb) {
      final UnsafeBuffer kb = buf(k);
      return d().move(kb, 0, kb.capacity(), dstDb);
    }

    /** Full HSCAN paged with COUNT count; field to value (value null with NOVALUES). */
    java.util.Map<String, String> hscanAll(final String k, final int count, final String match) {
      final UnsafeBuffer kb = buf(k);
      final UnsafeBuffer pb = match == null ? null : buf(match);
      final java.util.Map<String, String> m = new java.util.TreeMap<>();
      long cursor = 0;
      int pages = 0;
      do {
        out.clear();
        cursor =
            d().hscan(
                    kb,
                    0,
                    kb.capacity(),
                    cursor,
                    count,
                    pb,
                    0,
                    pb == null ? 0 : pb.capacity(),
                    false,
                    out);
        if (cursor < 0) {
          m.put("<status>", Status.name((int) cursor));
          return m;
        }
        for (int i = 0; i + 1 < out.values.size(); i += 2) {
          m.put(out.values.get(i), out.values.get(i + 1));
        }
        if (++pages > 1_000_000) {
          throw new AssertionError("hscan does not terminate key=" + k);
        }
      } while (cursor != 0);
      return m;
    }

    List<String> hrandfield(final String k, final boolean countGiven, final long count) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final int s = d().hrandField(kb, 0, kb.capacity(), countGiven, count, false, out);
      if (s == Status.WRONGTYPE) {
        return List.of("WRONGTYPE");
      }
      return new ArrayList<>(out.values);
    }

    int hincrBy(final String k, final String f, final long delta) {
      final UnsafeBuffer kb = buf(k);
      final UnsafeBuffer fb = buf(f);
      return d().hincrBy(kb, 0, kb.capacity(), fb, 0, fb.capacity(), delta, number);
    }

    List<Long> hpersist(final String k, final String... fields) {
      out.clear();
      final UnsafeBuffer kb = buf(k);
      final int s =
          d().hpersist(kb, 0, kb.capacity(), new StringArgs(fields), 0, fields.length, out);
      if (s != Status.OK) {
        return List.of((long) s);
      }
      return new ArrayList<>(out.integers);
    }

    long memoryUsage(final String k) {
      final UnsafeBuffer kb = buf(k);
      return d().memoryUsage(kb, 0, kb.capacity());
    }

    List<String> keys(final String pattern) {
      out.clear();
      final UnsafeBuffer pb = buf(pattern);
      d().keys(pb, 0, pb.capacity(), out);
      final List<String> r = new ArrayList<>(out.values);
      java.util.Collections.sort(r);
      return r;
    }
  }
}
