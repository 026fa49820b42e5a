package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.slots.ClusterSlotRange;
import io.lettuce.core.cluster.models.slots.ClusterSlotsParser;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.roost.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;

/**
 * Real clients against a 3-process cluster: cluster-aware clients (Lettuce {@code
 * RedisClusterClient}, {@code JedisCluster}) seeded with one node in {@code cluster-mode redis},
 * and a plain connection in the default mode that survives the crash of its node by reconnecting to
 * another one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterClientsIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int KEYS = 1_000;
  static final long FAILOVER_TIMEOUT_S = 60;

  private static final JedisClientConfig CLIENT =
      DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis(2_000)
          .socketTimeoutMillis(10_000)
          .clientName("cluster-it-client")
          .build();

  @Test
  void clusterAwareClientsRouteBySlotsInRedisMode() throws Exception {
    try (LocalCluster cluster = new LocalCluster("clients-redis", 3, 17020, 17820)) {
      cluster.start("--owners", "2", "--cluster-mode", "redis");
      Set<Integer> ports = new TreeSet<>();
      for (int n : cluster.nodes()) {
        ports.add(cluster.port(n));
      }
      lettuce(cluster, ports);
      jedisCluster(cluster, ports);
      plainConnectionIsMoved(cluster);
    }
  }

  private static void lettuce(LocalCluster cluster, Set<Integer> ports) throws Exception {
    ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).build();
    RedisClusterClient client =
        RedisClusterClient.create(
            resources,
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(cluster.port(1))
                .withTimeout(Duration.ofSeconds(10))
                .build());
    try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
      RedisAdvancedClusterCommands<String, String> s = c.sync();
      BitSet slots = new BitSet(SlotHash.SLOT_COUNT);
      List<RedisFuture<String>> sets = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        sets.add(c.async().set("lettuce:" + i, "v" + i));
        slots.set(SlotHash.slot(("lettuce:" + i).getBytes(StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < KEYS; i++) {
        assertEquals("OK", sets.get(i).get(10, TimeUnit.SECONDS), "lettuce:" + i);
      }
      for (int i = 0; i < KEYS; i++) {
        assertEquals("v" + i, s.get("lettuce:" + i), "lettuce:" + i);
      }
      assertTrue(slots.cardinality() > 900, "keys spread over slots=" + slots.cardinality());
      assertEquals("OK", s.mset(Map.of("{sess:42}:a", "1", "{sess:42}:b", "2")));
      List<String> tagged = new ArrayList<>();
      s.mget("{sess:42}:a", "{sess:42}:b", "{sess:42}:none")
          .forEach(kv -> tagged.add(kv.getValueOrElse(null)));
      assertEquals(java.util.Arrays.asList("1", "2", null), tagged);

      // Topology as Lettuce parsed it when connecting, and the raw replies through its parsers.
      Partitions partitions = client.getPartitions();
      assertEquals(3, partitions.size(), partitions.toString());
      Set<Integer> seen = new TreeSet<>();
      for (RedisClusterNode node : partitions) {
        seen.add(node.getUri().getPort());
        assertNotNull(node.getNodeId());
      }
      assertEquals(ports, seen);
      for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
        RedisClusterNode owner = partitions.getMasterBySlot(slot);
        assertNotNull(owner, "no master for slot=" + slot);
      }
      Partitions parsed = ClusterPartitionParser.parse(s.clusterNodes());
      assertEquals(3, parsed.size(), parsed.toString());
      int covered = 0;
      for (RedisClusterNode node : parsed) {
        covered += node.getSlots().size();
        assertTrue(node.is(RedisClusterNode.NodeFlag.UPSTREAM), node.toString());
      }
      assertEquals(SlotHash.SLOT_COUNT, covered);
      List<ClusterSlotRange> ranges = ClusterSlotsParser.parse(s.clusterSlots());
      int inRanges = 0;
      for (ClusterSlotRange r : ranges) {
        inRanges += r.getTo() - r.getFrom() + 1;
        assertTrue(ports.contains(r.getUpstream().getUri().getPort()), r.toString());
        assertEquals(1, r.getReplicaNodes().size(), r.toString());
        assertNotEquals(r.getUpstream().getUri(), r.getReplicaNodes().get(0).getUri());
      }
      assertEquals(SlotHash.SLOT_COUNT, inRanges);
      List<Object> shards = s.clusterShards();
      assertFalse(shards.isEmpty());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
      resources.shutdown(0, 5, TimeUnit.SECONDS);
    }
  }

  private static void jedisCluster(LocalCluster cluster, Set<Integer> ports) {
    try (JedisCluster jc = new JedisCluster(Set.of(cluster.endpoint(1)), CLIENT)) {
      Set<Integer> seen = new TreeSet<>();
      for (String node : jc.getClusterNodes().keySet()) {
        seen.add(HostAndPort.from(node).getPort());
      }
      assertEquals(ports, seen);
      List<Response<String>> sets = new ArrayList<>();
      try (ClusterPipeline p = jc.pipelined()) {
        for (int i = 0; i < KEYS; i++) {
          sets.add(p.set("jedis:" + i, "v" + i));
        }
        p.sync();
      }
      for (int i = 0; i < KEYS; i++) {
        assertEquals("OK", sets.get(i).get(), "jedis:" + i);
      }
      for (int i = 0; i < KEYS; i++) {
        assertEquals("v" + i, jc.get("jedis:" + i), "jedis:" + i);
      }
      assertEquals("OK", jc.mset("{sess:7}:a", "1", "{sess:7}:b", "2"));
      assertEquals(
          java.util.Arrays.asList("1", "2", null),
          jc.mget("{sess:7}:a", "{sess:7}:b", "{sess:7}:none"));
      assertEquals(1L, jc.hset("{sess:7}:attrs", "user", "u7"));
      assertEquals(Map.of("user", "u7"), jc.hgetAll("{sess:7}:attrs"));
      // The Lettuce writes are visible through Jedis' own routing.
      assertEquals("v" + (KEYS - 1), jc.get("lettuce:" + (KEYS - 1)));
    }
    try (Jedis j = new Jedis(cluster.endpoint(2), CLIENT)) {
      List<ClusterShardInfo> shards = j.clusterShards();
      int covered = 0;
      Set<Integer> shardPorts = new TreeSet<>();
      for (ClusterShardInfo shard : shards) {
        for (List<Long> range : shard.getSlots()) {
          covered += (int) (range.get(1) - range.get(0) + 1);
        }
        assertEquals(2, shard.getNodes().size(), shard.getClusterShardInfo().toString());
        assertEquals("master", shard.getNodes().get(0).getRole());
        assertEquals("replica", shard.getNodes().get(1).getRole());
        for (ClusterShardNodeInfo node : shard.getNodes()) {
          assertEquals(40, node.getId().length(), node.getId());
          shardPorts.add(node.getPort().intValue());
        }
      }
      assertEquals(SlotHash.SLOT_COUNT, covered);
      assertEquals(ports, shardPorts);
      String nodes = j.clusterNodes();
      String[] lines = nodes.split("\n");
      assertEquals(3, lines.length, nodes);
      int myself = 0;
      for (String line : lines) {
        String[] f = line.split(" ");
        assertTrue(f.length >= 8, line);
        assertTrue(f[1].startsWith("127.0.0.1:"), line);
        myself += f[2].contains("myself") ? 1 : 0;
      }
      assertEquals(1, myself, nodes);
      assertEquals(j.clusterMyId(), nodeIdOf(nodes, "myself"));
      assertEquals(
          SlotHash.slot("sess:1".getBytes(StandardCharsets.UTF_8)), j.clusterKeySlot("sess:1"));
    }
  }

  private static String nodeIdOf(String nodes, String flag) {
    for (String line : nodes.split("\n")) {
      if (line.split(" ")[2].contains(flag)) {
        return line.split(" ")[0];
      }
    }
    return null;
  }

  /** A plain connection gets -MOVED with the slot's primary, which then serves the key. */
  private static void plainConnectionIsMoved(LocalCluster cluster) {
    try (Jedis j = new Jedis(cluster.endpoint(1), CLIENT)) {
      JedisMovedDataException moved = null;
      for (int i = 0; i < KEYS && moved == null; i++) {
        int k = i;
        try {
          j.get("jedis:" + k);
        } catch (JedisMovedDataException e) {
          moved = e;
          assertEquals(SlotHash.slot(("jedis:" + k).getBytes(StandardCharsets.UTF_8)), e.getSlot());
          try (Jedis target = new Jedis(e.getTargetNode(), CLIENT)) {
            assertEquals("v" + k, target.get("jedis:" + k));
          }
        }
      }
      assertNotNull(moved, "node 1 is primary of every key?");
      assertNotEquals(cluster.port(1), moved.getTargetNode().getPort());

      // Sharded pub/sub asks for an owner of the channel's slot, as in Redis Cluster.
      redis.clients.jedis.commands.ProtocolCommand spublish =
          () -> "SPUBLISH".getBytes(StandardCharsets.US_ASCII);
      JedisMovedDataException channelMoved = null;
      for (int i = 0; i < KEYS && channelMoved == null; i++) {
        try {
          assertEquals(0L, j.sendCommand(spublish, "ch:" + i, "m"));
        } catch (JedisMovedDataException e) {
          channelMoved = e;
          try (Jedis target = new Jedis(e.getTargetNode(), CLIENT)) {
            assertEquals(0L, target.sendCommand(spublish, "ch:" + i, "m"));
          }
        }
      }
      assertNotNull(channelMoved, "node 1 owns every channel's slot?");
      redis.clients.jedis.exceptions.JedisDataException cross =
          org.junit.jupiter.api.Assertions.assertThrows(
              redis.clients.jedis.exceptions.JedisDataException.class,
              () ->
                  j.sendCommand(
                      () -> "SSUBSCRIBE".getBytes(StandardCharsets.US_ASCII), "{a}x", "{b}y"));
      assertEquals(CROSSSLOT, cross.getMessage());
    }
  }

  private static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";

  @Test
  void plainClientReconnectsToAnyNodeWithSessionsIntact(TestReporter reporter) {
    try (LocalCluster cluster = new LocalCluster("clients-roost", 3, 17030, 17830)) {
      cluster.start("--owners", "2");
      List<String> keys = keysInEverySlot();
      Map<String, String> expected = new LinkedHashMap<>();
      try (Jedis j = new Jedis(cluster.endpoint(1), CLIENT)) {
        for (int from = 0; from < keys.size(); from += 1_000) {
          List<String> part = keys.subList(from, Math.min(keys.size(), from + 1_000));
          List<Response<String>> replies = new ArrayList<>();
          try (Pipeline p = j.pipelined()) {
            for (String k : part) {
              replies.add(p.set(k, "v:" + k));
            }
            p.sync();
          }
          for (int i = 0; i < part.size(); i++) {
            assertEquals("OK", replies.get(i).get(), part.get(i));
            expected.put(part.get(i), "v:" + part.get(i));
          }
        }
        assertEquals(List.of(), missing(j, expected), "read back through the writing node");

        // Multi-key commands across slots are split per key.
        String[] cross = keys.subList(0, 100).toArray(String[]::new);
        String[] msetArgs = new String[cross.length * 2];
        for (int i = 0; i < cross.length; i++) {
          msetArgs[2 * i] = cross[i];
          msetArgs[2 * i + 1] = "m:" + i;
          expected.put(cross[i], "m:" + i);
        }
        assertEquals("OK", j.mset(msetArgs));
        List<String> got = j.mget(cross);
        for (int i = 0; i < cross.length; i++) {
          assertEquals("m:" + i, got.get(i), cross[i]);
        }
        assertEquals(100L, j.exists(cross));
        assertEquals(100L, j.touch(cross));
        String[] deleted = keys.subList(100, 150).toArray(String[]::new);
        String[] unlinked = keys.subList(150, 175).toArray(String[]::new);
        assertEquals(50L, j.del(deleted));
        assertEquals(25L, j.unlink(unlinked));
        assertEquals(0L, j.exists(deleted));
        assertEquals(0L, j.exists(unlinked));
        assertEquals(25L, j.exists(keys.subList(150, 200).toArray(String[]::new)));
        for (String k : deleted) {
          expected.remove(k);
        }
        for (String k : unlinked) {
          expected.remove(k);
        }
        // A session hash and a string session with a TTL, as a web tier stores them.
        assertEquals(2L, j.hset("sess:h:client", Map.of("user", "u1", "csrf", "c1")));
        assertEquals("OK", j.setex("sess:client", 3_600, "payload"));
      }

      long killedNs = System.nanoTime();
      cluster.kill(1);
      // The client reconnects at once to another node and retries until every session reads back.
      int attempts = 0;
      int readErrors = 0;
      long intactMs = -1;
      List<String> lastMissing = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FAILOVER_TIMEOUT_S);
      while (intactMs < 0 && System.nanoTime() - deadline < 0) {
        attempts++;
        try (Jedis j = new Jedis(cluster.endpoint(2), CLIENT)) {
          lastMissing = missing(j, expected);
          if (lastMissing.isEmpty()) {
            intactMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
          }
        } catch (JedisException e) {
          readErrors++;
        }
        if (intactMs < 0) {
          LocalCluster.pause(LocalCluster.POLL_MS);
        }
      }
      int dead = cluster.port(1);
      LocalCluster.await(
          FAILOVER_TIMEOUT_S,
          () -> cluster.slotsWithout(2, dead) && cluster.slotsWithout(3, dead),
          () -> "survivors still list node 1" + cluster.describe(List.of(2, 3)));
      long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);

      Map<String, String> figures = new LinkedHashMap<>();
      figures.put("keys", Integer.toString(expected.size()));
      figures.put("killToIntactReadMs", Long.toString(intactMs));
      figures.put("readAttempts", Integer.toString(attempts));
      figures.put("readErrors", Integer.toString(readErrors));
      figures.put("killToSlotsReassignedMs", Long.toString(failoverMs));
      FIGURES.info("test=cluster-clients-reconnect {}", figures);
      reporter.publishEntry(figures);

      assertTrue(intactMs >= 0, "sessions never read back intact: " + figures + " " + lastMissing);
      for (int n : List.of(2, 3)) {
        try (Jedis j = new Jedis(cluster.endpoint(n), CLIENT)) {
          assertEquals(List.of(), missing(j, expected), "after failover through node=" + n);
          assertEquals(Map.of("user", "u1", "csrf", "c1"), j.hgetAll("sess:h:client"));
          assertEquals("payload", j.get("sess:client"));
          long ttl = j.ttl("sess:client");
          assertTrue(ttl > 0 && ttl <= 3_600, "ttl=" + ttl);
        }
      }
    }
  }

  /** One key per hash slot, 16384 in all. */
  static List<String> keysInEverySlot() {
    String[] bySlot = new String[SlotHash.SLOT_COUNT];
    int found = 0;
    for (int i = 0; found < SlotHash.SLOT_COUNT && i < 10_000_000; i++) {
      String k = "s:" + i;
      int slot = SlotHash.slot(k.getBytes(StandardCharsets.UTF_8));
      if (bySlot[slot] == null) {
        bySlot[slot] = k;
        found++;
      }
    }
    assertEquals(SlotHash.SLOT_COUNT, found);
    return List.of(bySlot);
  }

  /** The keys whose value through {@code j} is not the expected one, as {@code key=actual}. */
  static List<String> missing(Jedis j, Map<String, String> expected) {
    List<String> keys = new ArrayList<>(expected.keySet());
    List<String> out = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += 500) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + 500));
      List<String> got = j.mget(part.toArray(String[]::new));
      for (int i = 0; i < part.size(); i++) {
        if (!expected.get(part.get(i)).equals(got.get(i))) {
          out.add(part.get(i) + "=" + got.get(i));
        }
      }
    }
    return out;
  }
}
