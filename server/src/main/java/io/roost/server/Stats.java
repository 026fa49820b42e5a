package io.roost.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server statistics for INFO. Per-command counters are kept per event loop in {@link Shard}s so the
 * hot path writes plain longs with no sharing; INFO sums them with racy but monotonic reads.
 */
public final class Stats {
  /** Counters written by one event-loop thread only. */
  public static final class Shard {
    public final long[] calls;
    public final long[] usec;
    public final long[] rejected;
    public final long[] failed;
    public long commands;
    public long inputBytes;
    public long outputBytes;

    Shard(int commandCount) {
      calls = new long[commandCount];
      usec = new long[commandCount];
      rejected = new long[commandCount];
      failed = new long[commandCount];
    }
  }

  private final int commandCount;
  private final CopyOnWriteArrayList<Shard> shards = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Shard> local;
  public final LongAdder connectionsReceived = new LongAdder();
  public final LongAdder rejectedConnections = new LongAdder();
  public final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
  public final LongAdder unexpectedErrorReplies = new LongAdder();
  public final LongAdder queryBufferLimitDisconnections = new LongAdder();
  public final LongAdder outputBufferLimitDisconnections = new LongAdder();
  public volatile long resetAtMs;

  public Stats(int commandCount) {
    this.commandCount = commandCount;
    this.local =
        ThreadLocal.withInitial(
            () -> {
              Shard s = new Shard(this.commandCount);
              shards.add(s);
              return s;
            });
  }

  /** The calling thread's counters. */
  public Shard local() {
    return local.get();
  }

  /** Counts an error reply under its prefix (the first word), as INFO errorstats does. */
  public void error(String prefix) {
    errors.computeIfAbsent(prefix, k -> new LongAdder()).increment();
  }

  public long sum(java.util.function.ToLongFunction<Shard> f) {
    long total = 0;
    for (Shard s : shards) {
      total += f.applyAsLong(s);
    }
    return total;
  }

  /** CONFIG RESETSTAT: clears every counter (racy against concurrent increments, as Redis). */
  public void reset(long nowMs) {
    for (Shard s : shards) {
      java.util.Arrays.fill(s.calls, 0);
      java.util.Arrays.fill(s.usec, 0);
      java.util.Arrays.fill(s.rejected, 0);
      java.util.Arrays.fill(s.failed, 0);
      s.commands = 0;
      s.inputBytes = 0;
      s.outputBytes = 0;
    }
    connectionsReceived.reset();
    rejectedConnections.reset();
    errors.clear();
    unexpectedErrorReplies.reset();
    queryBufferLimitDisconnections.reset();
    outputBufferLimitDisconnections.reset();
    resetAtMs = nowMs;
  }
}
