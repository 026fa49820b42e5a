package io.roost.bench;

import io.roost.store.Args;
import io.roost.store.Database;
import io.roost.store.Store;
import io.roost.store.StoreContext;
import io.roost.store.ValueSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The store's session operations on a warm keyspace of 100,000 keys: GET, SET with a TTL, HSET of
 * two fields, PEXPIREAT. Run with {@code -prof gc}: the goal is 0 B/op for each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx512m"})
public class StoreBenchmark {
  private static final int KEYS = 100_000;
  private static final int KEY_BYTES = 24;

  private Store store;
  private Database db;
  private final UnsafeBuffer keys = new UnsafeBuffer(new byte[KEYS * KEY_BYTES]);
  private final UnsafeBuffer value = new UnsafeBuffer(new byte[64]);
  private final UnsafeBuffer hashArgs = new UnsafeBuffer(new byte[64]);
  private final int[] hashOffsets = {0, 14, 27, 37};
  private final int[] hashLengths = {14, 13, 10, 27};
  private int next;
  private Sink sink;
  private final Args pairs =
      new Args() {
        @Override
        public int count() {
          return 4;
        }

        @Override
        public DirectBuffer buffer(int index) {
          return hashArgs;
        }

        @Override
        public int offset(int index) {
          return hashOffsets[index];
        }

        @Override
        public int length(int index) {
          return hashLengths[index];
        }
      };

  /** Consumes values without allocating. */
  static final class Sink implements ValueSink {
    private final Blackhole bh;

    Sink(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public void value(DirectBuffer buffer, int offset, int length) {
      bh.consume(buffer.getByte(offset));
    }
  }

  @Setup(Level.Trial)
  public void setup(Blackhole bh) {
    store = new Store(new StoreContext().databases(1).maxMemoryBytes(256L << 20));
    db = store.database(0);
    sink = new Sink(bh);
    for (int i = 0; i < KEYS; i++) {
      byte[] k = String.format("session:%016d", i).getBytes(StandardCharsets.US_ASCII);
      keys.putBytes(i * KEY_BYTES, k);
    }
    value.setMemory(0, 64, (byte) 'v');
    hashArgs.putBytes(
        0,
        "lastAccessTime1764450000000sessionAttrxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            .getBytes(StandardCharsets.US_ASCII),
        0,
        64);
    long expireAt = System.currentTimeMillis() + 3_600_000;
    for (int i = 0; i < KEYS; i++) {
      db.set(keys, i * KEY_BYTES, KEY_BYTES, value, 0, 64, 0, expireAt, null);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
  }

  private int nextKey() {
    int i = next++;
    if (next == KEYS) {
      next = 0;
    }
    return i * KEY_BYTES;
  }

  @Benchmark
  public int get() {
    return db.get(keys, nextKey(), KEY_BYTES, sink);
  }

  @Benchmark
  public int setWithTtl() {
    return db.set(
        keys, nextKey(), KEY_BYTES, value, 0, 64, 0, System.currentTimeMillis() + 3_600_000, null);
  }

  @Benchmark
  public long hset() {
    int k = nextKey();
    // Hash keys live beside the string keys: prefix byte 'h' keeps them apart.
    return db.hset(keys, k + 1, KEY_BYTES - 1, pairs, 0, 4);
  }

  @Benchmark
  public int pexpireAt() {
    return db.expireAt(keys, nextKey(), KEY_BYTES, System.currentTimeMillis() + 3_600_000, 0);
  }
}
