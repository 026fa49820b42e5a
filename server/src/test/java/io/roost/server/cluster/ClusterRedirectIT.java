package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Cluster-aware clients in {@code cluster-mode redis} while slots move: a 4th process joins 3 while
 * JedisCluster and Lettuce's cluster client write sessions, so slots are handed off under them. The
 * old primary of a slot being handed off answers -ASK, the new one takes the command after ASKING
 * once the hand-off lands; both clients follow these redirects (and -MOVED once the slot moved)
 * without an error reaching the application, and every acknowledged write is readable afterwards.
 * The redirect counts come from each node's {@code INFO errorstats}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterRedirectIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int JEDIS_THREADS = 2;
  static final int WRITES_PER_CLIENT = 3_000;
  static final long LOAD_TIMEOUT_S = 150;
  static final int JOINER = 4;

  private static final JedisClientConfig CLIENT =
      DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis(2_000)
          .socketTimeoutMillis(15_000)
          .clientName("redirect-it")
          .build();

  @Test
  void clusterClientsFollowAskAndMovedWhileANodeJoins(TestReporter reporter) throws Exception {
    try (LocalCluster cluster = new LocalCluster("redirect", 4, 17540, 17640)) {
      cluster.startFirst(3, "--owners", "2", "--cluster-mode", "redis");
      Set<HostAndPort> seeds = Set.of(cluster.endpoint(1), cluster.endpoint(2));
      Map<String, String> acked = new ConcurrentHashMap<>();
      ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
      AtomicInteger done = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_TIMEOUT_S);
      // Writers pace themselves so that the join lands in the middle of the load.
      List<Thread> writers = new ArrayList<>();
      try (JedisCluster jc = new JedisCluster(seeds, CLIENT, 10)) {
        for (int t = 0; t < JEDIS_THREADS; t++) {
          String prefix = "jedis" + t + ":";
          writers.add(
              Thread.ofPlatform()
                  .name("redirect-jedis-" + t)
                  .start(
                      () -> {
                        for (int i = 0; i < WRITES_PER_CLIENT && !stop.get(); i++) {
                          String key = "sess:" + prefix + i;
                          try {
                            if ("OK".equals(jc.setex(key, 3_600, "v" + i))) {
                              acked.put(key, "v" + i);
                            }
                          } catch (JedisException e) {
                            errors.add(key + " " + e);
                          }
                          done.incrementAndGet();
                          pace(deadlineNs);
                        }
                      }));
        }
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).build();
        RedisClusterClient lettuce = lettuce(resources, cluster);
        try (StatefulRedisClusterConnection<String, String> c = lettuce.connect()) {
          RedisAdvancedClusterCommands<String, String> s = c.sync();
          writers.add(
              Thread.ofPlatform()
                  .name("redirect-lettuce")
                  .start(
                      () -> {
                        for (int i = 0; i < WRITES_PER_CLIENT && !stop.get(); i++) {
                          String key = "sess:lettuce:" + i;
                          try {
                            if ("OK".equals(s.setex(key, 3_600, "v" + i))) {
                              acked.put(key, "v" + i);
                            }
                          } catch (RuntimeException e) {
                            errors.add(key + " " + e);
                          }
                          done.incrementAndGet();
                          pace(deadlineNs);
                        }
                      }));
          int total = (JEDIS_THREADS + 1) * WRITES_PER_CLIENT;
          try {
            LocalCluster.await(
                LOAD_TIMEOUT_S,
                () -> done.get() >= total / 4,
                () -> "a quarter of the writes: done=" + done.get());
            cluster.startNode(JOINER, "--owners", "2", "--cluster-mode", "redis");
            cluster.awaitFormed(4, cluster.nodes());
            Convergence.awaitQuiet(cluster);
            for (Thread w : writers) {
              w.join(TimeUnit.SECONDS.toMillis(LOAD_TIMEOUT_S));
            }
          } finally {
            stop.set(true);
          }

          // Every acknowledged write, read back through both clients' current routing.
          int missing = 0;
          for (Map.Entry<String, String> e : acked.entrySet()) {
            if (!e.getValue().equals(jc.get(e.getKey()))
                || !e.getValue().equals(s.get(e.getKey()))) {
              missing++;
            }
          }
          Map<String, String> figures = new LinkedHashMap<>();
          figures.put("writes", Integer.toString(done.get()));
          figures.put("acknowledged", Integer.toString(acked.size()));
          figures.put("clientErrors", Integer.toString(errors.size()));
          figures.put("missing", Integer.toString(missing));
          figures.put("askReplies", Long.toString(errorCount(cluster, "ASK")));
          figures.put("movedReplies", Long.toString(errorCount(cluster, "MOVED")));
          figures.put(
              "joinerPrimarySlots",
              Long.toString(
                  Convergence.owners(cluster, 1).values().stream()
                      .filter(o -> o.get(0) == JOINER)
                      .count()));
          FIGURES.info("test=cluster-redirect {}", figures);
          reporter.publishEntry(figures);
          String report = "figures=" + figures + " errors=" + errors.stream().limit(5).toList();

          assertEquals(total, done.get(), report);
          assertEquals(0, errors.size(), report);
          assertEquals(total, acked.size(), report);
          assertEquals(0, missing, report);
          assertTrue(Long.parseLong(figures.get("joinerPrimarySlots")) > 0, report);
        } finally {
          lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(5));
          resources.shutdown(0, 5, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * The -ASK protocol itself, step by step, with a joiner whose incoming messages JGroups' DELAY
   * holds for {@link #JOINER_IN_DELAY_MS}: each hand-off to it then waits that long for its
   * acknowledgement, so its old primary answers -ASK for that long. Raw connections write keys of
   * many slots to their primaries; a key answered with -ASK is written again to the node named,
   * after ASKING, and must be acknowledged there and readable afterwards; the same write without
   * ASKING gets -MOVED back to the old primary while the slot is still being imported.
   */
  @Test
  void askRedirectsDuringAHandoffAreHonouredByTheNewPrimary(TestReporter reporter)
      throws InterruptedException {
    try (LocalCluster cluster = new LocalCluster("ask", 3, 17560, 17660)) {
      Partition stacks = new Partition(cluster, 17460);
      for (int n = 1; n <= 2; n++) {
        cluster.startNode(n, with(stacks.options(n)));
      }
      cluster.awaitFormed(2, List.of(1, 2));
      Map<Integer, HostAndPort> byPort = new LinkedHashMap<>();
      Map<Integer, Jedis> connections = new LinkedHashMap<>();
      for (int n = 1; n <= 3; n++) {
        byPort.put(cluster.port(n), cluster.endpoint(n));
      }
      List<String> keys = new ArrayList<>();
      java.util.BitSet slots = new java.util.BitSet();
      for (int i = 0; keys.size() < KEYS_PROBED; i++) {
        String key = "ask:" + i;
        if (!slots.get(slot(key))) {
          slots.set(slot(key));
          keys.add(key);
        }
      }
      int asks = 0;
      int askingAcknowledged = 0;
      int movedBackWhileImporting = 0;
      int writes = 0;
      Map<String, String> written = new LinkedHashMap<>();
      Map<String, Integer> routes = new java.util.HashMap<>();
      // Background writes through both first nodes keep effects flowing to the joiner's links, so
      // each hand-off still has unacknowledged entries (300 ms from their acknowledgement) when its
      // old primary stops acting as primary: the window in which it answers -ASK.
      AtomicBoolean stopBackground = new AtomicBoolean();
      Thread background =
          Thread.ofPlatform()
              .name("ask-background")
              .start(
                  () -> {
                    try (Jedis a = cluster.connect(1);
                        Jedis b = cluster.connect(2)) {
                      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_TIMEOUT_S);
                      for (int i = 0; !stopBackground.get() && System.nanoTime() - until < 0; i++) {
                        redis.clients.jedis.Pipeline p = (i % 2 == 0 ? a : b).pipelined();
                        for (int k = 0; k < 100; k++) {
                          p.set("bg:" + ((i * 100 + k) % 4_000), "x");
                        }
                        p.sync();
                        LocalCluster.pause(20); // ~5,000 writes a second: the joiner keeps up
                      }
                    } catch (RuntimeException e) {
                      // MOVED/ASK replies are expected; a broken connection ends the load early
                    }
                  });
      try {
        cluster.startNode(3, with(stacks.delayedOptions(3, JOINER_IN_DELAY_MS)));
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_TIMEOUT_S);
        boolean joined = false;
        for (int round = 0; System.nanoTime() - deadlineNs < 0; round++) {
          for (String key : keys) {
            String value = "r" + round;
            // Routed as a cluster client routes: where the last -MOVED for the key pointed.
            int port = routes.getOrDefault(key, cluster.port(1));
            Object reply = raw(connections, byPort, port, "SET", key, value);
            if (reply instanceof String s && s.startsWith("MOVED ")) {
              port = HostAndPort.from(s.split(" ")[2]).getPort();
              routes.put(key, port);
              reply = raw(connections, byPort, port, "SET", key, value);
            }
            writes++;
            if (reply instanceof String s && s.startsWith("ASK ")) {
              asks++;
              String[] parts = s.split(" ");
              int to = HostAndPort.from(parts[2]).getPort();
              Object plain = raw(connections, byPort, to, "SET", key, value);
              if (plain instanceof String p && p.startsWith("MOVED ")) {
                movedBackWhileImporting++;
              }
              raw(connections, byPort, to, "ASKING");
              Object asked = raw(connections, byPort, to, "SET", key, value);
              assertEquals("OK", asked, "ASKING SET " + key + " on port=" + to);
              askingAcknowledged++;
              written.put(key, value);
            } else if ("OK".equals(reply)) {
              written.put(key, value);
            }
          }
          joined = joined || cluster.clusterInfo(3).contains("cluster_known_nodes:3\r\n");
          if (joined && asks > 0 && "0".equals(Convergence.info(cluster, 3, "roost_rebalancing"))) {
            break;
          }
        }
        stopBackground.set(true);
        background.join(TimeUnit.SECONDS.toMillis(10));
        Convergence.awaitQuiet(cluster);
        int missing = 0;
        for (Map.Entry<String, String> e : written.entrySet()) {
          for (int n = 1; n <= 3; n++) {
            try (Jedis j = cluster.connect(n)) {
              j.readonly();
              Object v = raw(j, "GET", e.getKey());
              if (!e.getValue().equals(v) && !(v instanceof String s && s.startsWith("MOVED"))) {
                missing++;
              }
            }
          }
        }
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("writes", Integer.toString(writes));
        figures.put("askReplies", Integer.toString(asks));
        figures.put("askingAcknowledged", Integer.toString(askingAcknowledged));
        figures.put("movedBackWhileImporting", Integer.toString(movedBackWhileImporting));
        figures.put("missing", Integer.toString(missing));
        FIGURES.info("test=cluster-ask {}", figures);
        reporter.publishEntry(figures);
        assertTrue(asks > 0, "no -ASK seen: " + figures);
        assertEquals(asks, askingAcknowledged, figures.toString());
        assertEquals(0, missing, figures.toString());
      } finally {
        stopBackground.set(true);
        background.join(TimeUnit.SECONDS.toMillis(10));
        connections.values().forEach(Jedis::close);
      }
    }
  }

  static final int KEYS_PROBED = 400;
  static final int JOINER_IN_DELAY_MS = 300;

  /**
   * Replication async: a write then does not wait for the slow joiner's acknowledgement as a
   * backup, so the probe covers its keys many times while a hand-off (which does wait) is under
   * way.
   */
  private static String[] with(List<String> stackOptions) {
    List<String> all =
        new ArrayList<>(
            List.of("--owners", "2", "--cluster-mode", "redis", "--replication", "async"));
    all.addAll(stackOptions);
    return all.toArray(String[]::new);
  }

  private static int slot(String key) {
    return io.roost.cluster.SlotHash.slot(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * One command on the pooled raw connection to {@code port}; an error reply comes back as text.
   */
  private static Object raw(
      Map<Integer, Jedis> connections, Map<Integer, HostAndPort> byPort, int port, String... argv) {
    Jedis j = connections.computeIfAbsent(port, p -> new Jedis(byPort.get(p), CLIENT));
    return raw(j, argv);
  }

  private static Object raw(Jedis j, String... argv) {
    try {
      Object r =
          j.sendCommand(
              () -> redis.clients.jedis.util.SafeEncoder.encode(argv[0]),
              java.util.Arrays.copyOfRange(argv, 1, argv.length));
      return r instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : r;
    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
      return e.getMessage();
    }
  }

  private static RedisClusterClient lettuce(ClientResources resources, LocalCluster cluster) {
    RedisClusterClient client =
        RedisClusterClient.create(
            resources,
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(cluster.port(1))
                .withTimeout(Duration.ofSeconds(15))
                .build());
    // As applications run it through a resharding: topology refreshed on redirects and
    // periodically, and redirects to a node not yet in its view followed rather than refused.
    client.setOptions(
        ClusterClientOptions.builder()
            .maxRedirects(10)
            .validateClusterNodeMembership(false)
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers()
                    .enablePeriodicRefresh(Duration.ofSeconds(1))
                    .build())
            .build());
    return client;
  }

  /**
   * About 100 writes per second per writer, so the load spans the join; never past the deadline.
   */
  private static void pace(long deadlineNs) {
    if (System.nanoTime() - deadlineNs < 0) {
      LocalCluster.pause(10);
    }
  }

  /** Sum over the live nodes of {@code errorstat_<prefix>:count=}. */
  private static long errorCount(LocalCluster cluster, String prefix) {
    long sum = 0;
    for (int n : cluster.nodes()) {
      try (Jedis j = cluster.connect(n)) {
        for (String line : j.info("errorstats").split("\r\n")) {
          if (line.startsWith("errorstat_" + prefix + ":count=")) {
            sum += Long.parseLong(line.substring(line.indexOf('=') + 1));
          }
        }
      }
    }
    return sum;
  }
}
