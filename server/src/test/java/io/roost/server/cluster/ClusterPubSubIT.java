package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Pub/sub across a 3-process cluster: a subscriber on every node hears every PUBLISH made through
 * any node, and every keyspace event of every key (raised once, by the key's primary: writes,
 * expiry), exactly once each. Writes and publishes go through all nodes in turn; most keys live on
 * another node than the one written through, and each has a backup that applies the same effects
 * without raising events. Quiescence without sleeping: after the expected events arrived, each node
 * publishes an end marker, which reaches a subscriber after everything that node published before
 * it (one node's messages arrive in order), so nothing duplicated can still be on its way.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterPubSubIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int KEYS = 300;
  static final long DEADLINE_S = 60;

  /** A thread that runs {@code body} (a blocking subscribe) on its own connection to {@code at}. */
  private static Thread subscriber(
      String name, HostAndPort at, java.util.function.Consumer<Jedis> body) {
    Jedis j = new Jedis(at);
    return Thread.ofPlatform()
        .name(name)
        .start(
            () -> {
              try (j) {
                body.accept(j);
              }
            });
  }

  @Test
  void subscribersOnEveryNodeHearEveryMessageAndKeyspaceEventOnce(TestReporter reporter)
      throws Exception {
    try (LocalCluster cluster = new LocalCluster("pubsub", 3, 17580, 17680)) {
      cluster.start("--owners", "2", "--notify-keyspace-events", "KEA");
      List<Integer> nodes = cluster.nodes();
      Map<Integer, Listener> listeners = new LinkedHashMap<>();
      Map<Integer, ShardListener> shardListeners = new LinkedHashMap<>();
      List<Thread> threads = new ArrayList<>();
      for (int n : nodes) {
        ShardListener sl = new ShardListener();
        shardListeners.put(n, sl);
        threads.add(
            subscriber(
                "shard-subscriber-" + n,
                cluster.endpoint(n),
                j -> sl.proceed(j.getConnection(), "orders")));
        Listener l = new Listener();
        listeners.put(n, l);
        threads.add(
            subscriber(
                "subscriber-" + n,
                cluster.endpoint(n),
                j -> j.psubscribe(l, "__keyevent@0__:*", "__keyspace@0__:ps:*", "news")));
      }
      try {
        LocalCluster.await(
            DEADLINE_S,
            () ->
                listeners.values().stream().allMatch(l -> l.subscribed.get() == 3)
                    && shardListeners.values().stream().allMatch(l -> l.subscribed.get() == 1),
            () -> "subscribers not ready");
        Map<Integer, Jedis> via = new LinkedHashMap<>();
        for (int n : nodes) {
          via.put(n, cluster.connect(n));
        }
        long localReceivers = 0;
        long localShardReceivers = 0;
        for (int i = 0; i < KEYS; i++) {
          Jedis j = via.get(nodes.get(i % nodes.size()));
          String key = "ps:" + i;
          j.set(key, "v" + i);
          if (i % 3 == 0) {
            j.pexpire(key, 200);
          } else if (i % 3 == 1) {
            j.del(key);
          }
          localReceivers += j.publish("news", "m" + i);
          localShardReceivers += (Long) j.sendCommand(SPUBLISH, "orders", "o" + i);
        }
        int third = KEYS / 3;
        LocalCluster.await(
            DEADLINE_S,
            () ->
                listeners.values().stream()
                    .allMatch(
                        l -> l.count("__keyevent@0__:expired") >= third && l.count("news") >= KEYS),
            () -> "events not all heard: " + listeners);
        for (int n : nodes) {
          via.get(n).publish("news", "end:" + n);
        }
        LocalCluster.await(
            DEADLINE_S,
            () ->
                listeners.values().stream().allMatch(l -> l.count("news") == KEYS + nodes.size())
                    && shardListeners.values().stream().allMatch(l -> l.heard.size() >= KEYS),
            () -> "end markers not heard: " + listeners);
        via.values().forEach(Jedis::close);

        Map<String, String> figures = new LinkedHashMap<>();
        listeners.forEach((n, l) -> figures.put("node" + n, l.toString()));
        figures.put("publishLocalReceivers", Long.toString(localReceivers));
        shardListeners.forEach((n, l) -> figures.put("shard" + n, l.toString()));
        for (int n : nodes) {
          figures.put(
              "node" + n + "PublishesSentReceivedDropped",
              Convergence.info(cluster, n, "roost_publishes_sent")
                  + "/"
                  + Convergence.info(cluster, n, "roost_publishes_received")
                  + "/"
                  + Convergence.info(cluster, n, "roost_publishes_dropped"));
        }
        FIGURES.info("test=cluster-pubsub {}", figures);
        reporter.publishEntry(figures);

        assertEquals(KEYS, localReceivers, "PUBLISH counts the receivers of its own node");
        assertEquals(KEYS, localShardReceivers, "SPUBLISH counts the receivers of its own node");
        for (Map.Entry<Integer, ShardListener> e : shardListeners.entrySet()) {
          List<String> inOrder = new ArrayList<>();
          for (int i = 0; i < KEYS; i++) {
            inOrder.add("o" + i);
          }
          // One publisher, one connection per node in turn: each node's share arrives in order.
          assertEquals(
              new java.util.TreeSet<>(inOrder),
              new java.util.TreeSet<>(e.getValue().heard),
              "shard subscriber on node " + e.getKey());
          assertEquals(KEYS, e.getValue().heard.size(), "shard subscriber on node " + e.getKey());
        }
        for (Map.Entry<Integer, Listener> e : listeners.entrySet()) {
          Listener l = e.getValue();
          String who = "subscriber on node " + e.getKey() + ": " + l;
          assertEquals(KEYS + nodes.size(), l.distinct("news"), who);
          assertEquals(KEYS, l.distinct("__keyevent@0__:set"), who);
          assertEquals(third, l.distinct("__keyevent@0__:expire"), who);
          assertEquals(third, l.distinct("__keyevent@0__:expired"), who);
          assertEquals(third, l.distinct("__keyevent@0__:del"), who);
          assertEquals(KEYS, l.distinctChannelsWithPrefix("__keyspace@0__:ps:"), who);
          assertEquals(0, l.duplicates.get(), "duplicates " + who);
          assertEquals("0", Convergence.info(cluster, e.getKey(), "roost_publishes_dropped"), who);
        }
      } finally {
        listeners.values().forEach(l -> l.punsubscribe());
        shardListeners.values().forEach(l -> l.sunsubscribe());
        for (Thread t : threads) {
          t.join(TimeUnit.SECONDS.toMillis(10));
        }
      }
    }
  }

  private static final redis.clients.jedis.commands.ProtocolCommand SPUBLISH =
      () -> "SPUBLISH".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Records the shard channel's messages in arrival order. */
  static final class ShardListener extends redis.clients.jedis.JedisShardedPubSub {
    final AtomicInteger subscribed = new AtomicInteger();
    final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onSSubscribe(String channel, int count) {
      subscribed.set(count);
    }

    @Override
    public void onSMessage(String channel, String message) {
      heard.add(message);
    }

    @Override
    public String toString() {
      return "orders=" + heard.size();
    }
  }

  /** Records every message by channel; counts a message heard twice on the same channel. */
  static final class Listener extends JedisPubSub {
    final AtomicInteger subscribed = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final Map<String, Map<String, Integer>> byChannel = new ConcurrentHashMap<>();

    @Override
    public void onPSubscribe(String pattern, int count) {
      subscribed.set(count);
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      Integer before =
          byChannel
                  .computeIfAbsent(channel, c -> new ConcurrentHashMap<>())
                  .merge(message, 1, Integer::sum)
              - 1;
      if (before > 0) {
        duplicates.incrementAndGet();
      }
    }

    int count(String channel) {
      Map<String, Integer> m = byChannel.get(channel);
      return m == null ? 0 : m.values().stream().mapToInt(Integer::intValue).sum();
    }

    int distinct(String channel) {
      Map<String, Integer> m = byChannel.get(channel);
      return m == null ? 0 : m.size();
    }

    int distinctChannelsWithPrefix(String prefix) {
      return (int) byChannel.keySet().stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Override
    public String toString() {
      Map<String, Integer> counts = new java.util.TreeMap<>();
      byChannel.forEach(
          (c, m) ->
              counts.put(
                  c.startsWith("__keyspace") ? "__keyspace@0__:*" : c,
                  counts.getOrDefault(c.startsWith("__keyspace") ? "__keyspace@0__:*" : c, 0)
                      + m.values().stream().mapToInt(Integer::intValue).sum()));
      return counts + " duplicates=" + duplicates.get();
    }
  }
}
