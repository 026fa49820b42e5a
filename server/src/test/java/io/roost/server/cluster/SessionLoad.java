package io.roost.server.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Session writes from several client threads through random nodes, the way web servers behind a
 * load balancer write them. Its threads are its own; the test thread reads the results after {@link
 * #awaitFinished}.
 *
 * <p>Write {@code n} is one command: {@code SET sess:n <~100 bytes> EX 3600}, or for every fifth
 * {@code n} an {@code HSET sess:h:n} of three fields. A write counts as acknowledged only when its
 * reply arrived; an error reply or a broken connection counts it as not acknowledged (whether it
 * was applied is unknown) and the thread moves on. A thread may pipeline a few writes on its
 * connection, like concurrent requests of a web tier; when the connection breaks, none of them is
 * acknowledged. Each thread has one connection per node; after a connection error it closes that
 * connection and avoids the node for {@link #BACKOFF_MS}, as a client library with a dead-node list
 * does. With {@link #retryingBrokenConnections} a batch whose connection broke is sent once more
 * through another node, as clients that resend unanswered commands after reconnecting do. Every
 * thread stops at the write count or the deadline, whichever comes first.
 */
final class SessionLoad {
  static final long BACKOFF_MS = 5_000;
  static final int TTL_S = 3_600;

  private static final JedisClientConfig CLIENT =
      DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis(2_000)
          .socketTimeoutMillis(10_000)
          .clientName("cluster-it-writer")
          .build();

  private final List<HostAndPort> nodes;
  private final int threads;
  private final int end;
  private final long writesPerSecondPerThread;
  private final int depth;
  private final long deadlineNs;
  private final AtomicInteger next;
  private final AtomicInteger completed = new AtomicInteger();
  private final LongAdder errors = new LongAdder();
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<int[]> acknowledged = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> workers = new ArrayList<>();
  private final LongAdder retries = new LongAdder();
  private boolean retryBroken;

  /**
   * Writes {@code from} to {@code end - 1}.
   *
   * @param depth writes each thread has in flight on its connection (pipelined), at least 1
   * @param writesPerSecondPerThread 0 for as fast as the replies come
   */
  SessionLoad(
      List<HostAndPort> nodes,
      int threads,
      int depth,
      int from,
      int end,
      long writesPerSecondPerThread,
      long timeoutS) {
    this.depth = Math.max(1, depth);
    this.nodes = List.copyOf(nodes);
    this.threads = threads;
    this.next = new AtomicInteger(from);
    this.end = end;
    this.writesPerSecondPerThread = writesPerSecondPerThread;
    this.deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
  }

  static boolean isHash(int n) {
    return n % 5 == 4;
  }

  static String key(int n) {
    return isHash(n) ? "sess:h:" + n : "sess:" + n;
  }

  /** About 100 bytes, different for every n. */
  static String value(int n) {
    StringBuilder sb = new StringBuilder(112);
    sb.append("{\"user\":\"u").append(n).append("\",\"csrf\":\"");
    long x = n * 0x9E3779B97F4A7C15L;
    while (sb.length() < 90) {
      sb.append(Long.toHexString(x));
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    sb.setLength(90);
    return sb.append("\",\"v\":1}").toString();
  }

  static Map<String, String> fields(int n) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("creationTime", Long.toString(1_700_000_000_000L + n));
    f.put("maxInactiveInterval", "1800");
    f.put("sessionAttr:user", "u" + n);
    return f;
  }

  /**
   * Sends a batch whose connection broke before its replies came once more, through another node,
   * before counting its writes as errors (call before {@link #start}).
   */
  SessionLoad retryingBrokenConnections() {
    retryBroken = true;
    return this;
  }

  /** Writes sent a second time after a broken connection. */
  long retries() {
    return retries.sum();
  }

  SessionLoad start() {
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread w = new Thread(() -> work(seed), "session-writer-" + t);
      w.setDaemon(true);
      workers.add(w);
      w.start();
    }
    return this;
  }

  /** Writes answered so far, acknowledged or not. */
  int completed() {
    return completed.get();
  }

  long errors() {
    return errors.sum();
  }

  /** Error kinds (error reply or exception class, and the node it came from) and their counts. */
  Map<String, Long> errorKinds() {
    Map<String, Long> out = new TreeMap<>();
    errorKinds.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Acknowledged write numbers; complete once {@link #awaitFinished} returned. */
  List<Integer> acknowledged() {
    List<Integer> out = new ArrayList<>();
    for (int[] chunk : acknowledged) {
      for (int n : chunk) {
        out.add(n);
      }
    }
    return out;
  }

  /** Joins the writers; fails when they are not done in time or one failed unexpectedly. */
  void awaitFinished(long timeoutS) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
    for (Thread w : workers) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        w.join(Math.max(1, leftMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (w.isAlive()) {
        stop.set(true);
        throw new AssertionError(
            "writer " + w.getName() + " still running after " + timeoutS + "s");
      }
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError("writer failed: " + failures.peek());
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  /** Stops the writers early (clean-up). */
  void stop() {
    stop.set(true);
  }

  private void work(int seed) {
    SplittableRandom random = new SplittableRandom(seed * 7919L + 1);
    Jedis[] conns = new Jedis[nodes.size()];
    long[] avoidUntilNs = new long[nodes.size()];
    List<Integer> acked = new ArrayList<>();
    SetParams ex = SetParams.setParams().ex(TTL_S);
    long periodNs =
        writesPerSecondPerThread > 0 ? 1_000_000_000L * depth / writesPerSecondPerThread : 0;
    long nextNs = System.nanoTime();
    List<Response<?>> replies = new ArrayList<>(depth);
    try {
      for (; ; ) {
        if (stop.get() || System.nanoTime() - deadlineNs > 0) {
          return;
        }
        int first = next.getAndAdd(depth);
        if (first >= end) {
          return;
        }
        int last = Math.min(end, first + depth);
        if (periodNs > 0) {
          nextNs += periodNs;
          long wait = nextNs - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
        int node = pick(random, avoidUntilNs);
        replies.clear();
        try {
          if (retryBroken) {
            try {
              send(conns, node, first, last, ex, replies);
            } catch (JedisConnectionException e) {
              // As clients that resend unanswered commands after reconnecting do (the writes are
              // idempotent): once, through another node.
              retries.add(last - first);
              close(conns, node);
              avoidUntilNs[node] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKOFF_MS);
              node = pick(random, avoidUntilNs);
              replies.clear();
              send(conns, node, first, last, ex, replies);
            }
          } else {
            send(conns, node, first, last, ex, replies);
          }
          for (int n = first; n < last; n++) {
            try {
              Object reply = replies.get(n - first).get();
              if (isHash(n) ? Long.valueOf(3).equals(reply) : "OK".equals(reply)) {
                acked.add(n);
              } else {
                error("unexpected-reply");
              }
            } catch (JedisDataException e) {
              error(e.getMessage() + " @node" + (node + 1));
            }
          }
        } catch (JedisConnectionException e) {
          // No reply for any write of the batch: none is acknowledged.
          for (int n = first; n < last; n++) {
            error("connection:" + rootCause(e) + " @node" + (node + 1));
          }
          close(conns, node);
          avoidUntilNs[node] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKOFF_MS);
        } catch (JedisException e) {
          for (int n = first; n < last; n++) {
            error(e.getClass().getSimpleName());
          }
          close(conns, node);
        } finally {
          completed.addAndGet(last - first);
        }
      }
    } catch (RuntimeException | Error e) {
      failures.add(e);
    } finally {
      for (int i = 0; i < conns.length; i++) {
        close(conns, i);
      }
      acknowledged.add(acked.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  private void send(
      Jedis[] conns, int node, int first, int last, SetParams ex, List<Response<?>> replies) {
    if (conns[node] == null) {
      conns[node] = new Jedis(nodes.get(node), CLIENT);
    }
    try (Pipeline p = conns[node].pipelined()) {
      for (int n = first; n < last; n++) {
        replies.add(isHash(n) ? p.hset(key(n), fields(n)) : p.set(key(n), value(n), ex));
      }
      p.sync();
    }
  }

  /** A random node not being avoided; any node when all are. */
  private int pick(SplittableRandom random, long[] avoidUntilNs) {
    long now = System.nanoTime();
    int start = random.nextInt(nodes.size());
    for (int k = 0; k < nodes.size(); k++) {
      int i = (start + k) % nodes.size();
      if (now - avoidUntilNs[i] >= 0) {
        return i;
      }
    }
    return start;
  }

  private void error(String kind) {
    errors.increment();
    errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  private static void close(Jedis[] conns, int i) {
    if (conns[i] != null) {
      try {
        conns[i].close();
      } catch (JedisException e) {
        // Already broken; nothing to release.
      }
      conns[i] = null;
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t.getCause() != null && depth < 10; depth++) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  /**
   * The acknowledged writes that {@code node} does not return as written: each string key read with
   * MGET and each hash with HGETALL, pipelined in batches. Answers {@code key=actual} for each one
   * lost.
   */
  static List<String> lost(Jedis node, List<Integer> acked, int batch) {
    List<String> lost = new ArrayList<>();
    for (int from = 0; from < acked.size(); from += batch) {
      List<Integer> part = acked.subList(from, Math.min(acked.size(), from + batch));
      List<String> strings = new ArrayList<>();
      List<Integer> hashes = new ArrayList<>();
      for (int n : part) {
        if (isHash(n)) {
          hashes.add(n);
        } else {
          strings.add(key(n));
        }
      }
      if (!strings.isEmpty()) {
        List<String> got = node.mget(strings.toArray(String[]::new));
        int i = 0;
        for (int n : part) {
          if (!isHash(n)) {
            String v = got.get(i++);
            if (!value(n).equals(v)) {
              lost.add(key(n) + "=" + v);
            }
          }
        }
      }
      if (!hashes.isEmpty()) {
        List<Response<Map<String, String>>> got = new ArrayList<>();
        try (Pipeline p = node.pipelined()) {
          for (int n : hashes) {
            got.add(p.hgetAll(key(n)));
          }
          p.sync();
        }
        for (int i = 0; i < hashes.size(); i++) {
          Map<String, String> v = got.get(i).get();
          if (!fields(hashes.get(i)).equals(v)) {
            lost.add(key(hashes.get(i)) + "=" + v);
          }
        }
      }
    }
    return lost;
  }

  /**
   * The string keys among {@code sample} whose TTL on {@code node} is not within (0, TTL_S]: the
   * relative EX must have survived replication and failover as an absolute expiry.
   */
  static List<String> badTtls(Jedis node, List<Integer> sample) {
    List<String> bad = new ArrayList<>();
    List<Response<Long>> ttls = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    try (Pipeline p = node.pipelined()) {
      for (int n : sample) {
        if (!isHash(n)) {
          keys.add(n);
          ttls.add(p.ttl(key(n)));
        }
      }
      p.sync();
    }
    for (int i = 0; i < keys.size(); i++) {
      long ttl = ttls.get(i).get();
      if (ttl <= 0 || ttl > TTL_S) {
        bad.add(key(keys.get(i)) + " ttl=" + ttl);
      }
    }
    return bad;
  }
}
