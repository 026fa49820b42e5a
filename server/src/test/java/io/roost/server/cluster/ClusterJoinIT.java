package io.roost.server.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A fourth Roost process joins three that are under a paced session write load (and a load that
 * writes keys and deletes them again). The joiner receives its slots as a backup first and becomes
 * their primary only when the old primary hands them off, so after the cluster quiesces: every
 * owner of every slot holds the same digest ({@code DEBUG DIGEST-SLOTS}), no node holds keys of a
 * slot it does not own, every acknowledged write reads back through every node, and no acknowledged
 * delete is undone.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterJoinIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int WRITES = 16_000;
  static final int THREADS = 4;
  static final int DEPTH = 4;
  static final long WRITES_PER_SECOND_PER_THREAD = 300;
  static final int DELETES = 1_500;
  static final long LOAD_TIMEOUT_S = 150;
  static final long QUIET_TIMEOUT_S = 90;
  static final int JOINER = 4;
  private static final byte[] DEBUG = "DEBUG".getBytes(US_ASCII);

  @Test
  void joinerUnderLoadEndsWithEqualOwnersAndNothingLostOrResurrected(TestReporter reporter)
      throws Exception {
    try (LocalCluster cluster = new LocalCluster("join", 4, 17060, 17860)) {
      String[] options = {"--owners", "2", "--replication", "sync"};
      cluster.startFirst(3, options);
      List<HostAndPort> first = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        first.add(cluster.endpoint(n));
      }
      SessionLoad load =
          new SessionLoad(
                  first, THREADS, DEPTH, 0, WRITES, WRITES_PER_SECOND_PER_THREAD, LOAD_TIMEOUT_S)
              .start();
      Deleter deleter = new Deleter(first, DELETES);
      deleter.start();
      try {
        LocalCluster.await(
            LOAD_TIMEOUT_S,
            () -> load.completed() >= WRITES * 3 / 10,
            () -> "30% of the writes: completed=" + load.completed());
        long joinNs = System.nanoTime();
        cluster.startNode(JOINER, options);
        cluster.awaitFormed(4, cluster.nodes());
        long formedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinNs);

        load.awaitFinished(LOAD_TIMEOUT_S);
        deleter.finish();
        awaitQuiet(cluster);
        long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinNs);

        // Every node sees the same owner lists.
        Map<Integer, List<Integer>> owners = owners(cluster, 1);
        for (int n : cluster.nodes()) {
          assertEquals(owners, owners(cluster, n), "CLUSTER SLOTS of node " + n);
        }
        Map<Integer, Map<Integer, String>> digests = new HashMap<>();
        for (int n : cluster.nodes()) {
          digests.put(n, slotDigests(cluster, n));
        }
        int differing = 0;
        int stray = 0;
        List<String> examples = new ArrayList<>();
        for (int slot = 0; slot < 16384; slot++) {
          List<Integer> slotOwners = owners.get(slot);
          String first0 = digests.get(slotOwners.get(0)).getOrDefault(slot, "0");
          for (int n : slotOwners) {
            String d = digests.get(n).getOrDefault(slot, "0");
            if (!d.equals(first0)) {
              differing++;
              if (examples.size() < 10) {
                examples.add("slot=" + slot + " owners=" + slotOwners + " node" + n + "=" + d);
              }
              break;
            }
          }
          for (int n : cluster.nodes()) {
            if (!slotOwners.contains(n) && digests.get(n).containsKey(slot)) {
              stray++;
              if (examples.size() < 10) {
                examples.add("slot=" + slot + " held by non-owner node" + n);
              }
            }
          }
        }
        List<Integer> acked = load.acknowledged();
        Map<Integer, Integer> lostPerNode = new LinkedHashMap<>();
        Map<Integer, Integer> resurrectedPerNode = new LinkedHashMap<>();
        for (int n : cluster.nodes()) {
          try (Jedis j = cluster.connect(n)) {
            List<String> lost = SessionLoad.lost(j, acked, 500);
            lostPerNode.put(n, lost.size());
            examples.addAll(lost.subList(0, Math.min(3, lost.size())));
            int back = 0;
            for (String key : deleter.deleted) {
              back += j.exists(key) ? 1 : 0;
            }
            resurrectedPerNode.put(n, back);
          }
        }
        long joinerPrimaries = owners.values().stream().filter(o -> o.get(0) == JOINER).count();

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("writesAttempted", Integer.toString(load.completed()));
        figures.put("writesAcknowledged", Integer.toString(acked.size()));
        figures.put("clientErrors", Long.toString(load.errors()));
        figures.put("errorKinds", load.errorKinds().toString());
        figures.put("deletesAcknowledged", Integer.toString(deleter.deleted.size()));
        figures.put("deleterErrors", Integer.toString(deleter.errors.size()));
        figures.put("joinToFormedMs", Long.toString(formedMs));
        figures.put("joinToQuietMs", Long.toString(quietMs));
        figures.put("joinerPrimarySlots", Long.toString(joinerPrimaries));
        figures.put("joinerRecordsReceived", info(cluster, JOINER, "roost_records_received"));
        figures.put("slotsWithDifferingOwners", Integer.toString(differing));
        figures.put("slotsHeldByNonOwners", Integer.toString(stray));
        figures.put("lostPerNode", lostPerNode.toString());
        figures.put("resurrectedPerNode", resurrectedPerNode.toString());
        FIGURES.info("test=cluster-join {}", figures);
        reporter.publishEntry(figures);
        String report = "figures=" + figures + " examples=" + examples;

        assertEquals(WRITES, load.completed(), report);
        assertTrue(acked.size() > WRITES / 2, report);
        assertTrue(joinerPrimaries > 0, report);
        assertEquals(0, differing, report);
        assertEquals(0, stray, report);
        for (int n : cluster.nodes()) {
          assertEquals(0, lostPerNode.get(n), "lost through node=" + n + " " + report);
          assertEquals(0, resurrectedPerNode.get(n), "resurrected via node=" + n + " " + report);
        }
      } finally {
        load.stop();
        deleter.stop.set(true);
      }
    }
  }

  /** Waits until no node moves slots or waits for acknowledgements. */
  static void awaitQuiet(LocalCluster cluster) {
    LocalCluster.await(
        QUIET_TIMEOUT_S,
        () -> {
          for (int n : cluster.nodes()) {
            if (!"0".equals(info(cluster, n, "roost_rebalancing"))
                || !"0".equals(info(cluster, n, "roost_pending_acks"))
                || !"0".equals(info(cluster, n, "roost_replication_lag_effects"))) {
              return false;
            }
          }
          return true;
        },
        () -> "cluster not quiet:" + cluster.describe(cluster.nodes()));
  }

  /** A field of INFO everything, or "?" when the node cannot answer. */
  static String info(LocalCluster cluster, int node, String field) {
    try (Jedis j = cluster.connect(node)) {
      for (String line : j.info("everything").split("\r\n")) {
        if (line.startsWith(field + ":")) {
          return line.substring(field.length() + 1);
        }
      }
      return "?";
    } catch (JedisException e) {
      return "?";
    }
  }

  /** Per slot, the owning node numbers (primary first) from {@code node}'s CLUSTER SLOTS. */
  static Map<Integer, List<Integer>> owners(LocalCluster cluster, int node) {
    Map<Integer, List<Integer>> owners = new TreeMap<>();
    try (Jedis j = cluster.connect(node)) {
      for (Object range : (List<?>) j.sendCommand(Protocol.Command.CLUSTER, "SLOTS")) {
        List<?> r = (List<?>) range;
        List<Integer> nodes = new ArrayList<>();
        for (int k = 2; k < r.size(); k++) {
          long port = (Long) ((List<?>) r.get(k)).get(1);
          nodes.add((int) (port - cluster.basePort));
        }
        for (long s = (Long) r.get(0); s <= (Long) r.get(1); s++) {
          owners.put((int) s, nodes);
        }
      }
    }
    assertEquals(16384, owners.size(), "CLUSTER SLOTS of node " + node + " covers every slot");
    return owners;
  }

  /** {@code DEBUG DIGEST-SLOTS} of {@code node}: the digest of each slot it holds keys of. */
  static Map<Integer, String> slotDigests(LocalCluster cluster, int node) {
    Map<Integer, String> out = new HashMap<>();
    try (Jedis j = cluster.connect(node)) {
      List<?> reply = (List<?>) j.sendCommand(() -> DEBUG, "DIGEST-SLOTS".getBytes(US_ASCII));
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        out.put((int) (long) (Long) reply.get(i), new String((byte[]) reply.get(i + 1), US_ASCII));
      }
    }
    return out;
  }

  /**
   * Writes {@code gone:i} and deletes it again through random nodes; remembers each key whose
   * delete was acknowledged. Owned by its thread until {@link #finish}.
   */
  static final class Deleter extends Thread {
    final List<HostAndPort> nodes;
    final ConcurrentLinkedQueue<String> deleted = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    final AtomicBoolean stop = new AtomicBoolean();

    final int count;

    Deleter(List<HostAndPort> nodes, int count) {
      super("deleter");
      setDaemon(true);
      this.nodes = nodes;
      this.count = count;
    }

    @Override
    public void run() {
      SplittableRandom random = new SplittableRandom(11);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_TIMEOUT_S);
      for (int i = 0; i < count && !stop.get() && System.nanoTime() - deadline < 0; i++) {
        String key = "gone:" + i;
        try (Jedis j = new Jedis(nodes.get(random.nextInt(nodes.size())))) {
          if ("OK".equals(j.set(key, "v" + i)) && j.del(key) == 1) {
            deleted.add(key);
          }
        } catch (JedisException e) {
          errors.add(e.getMessage());
        }
        LocalCluster.pause(5);
      }
    }

    void finish() throws InterruptedException {
      join(TimeUnit.SECONDS.toMillis(LOAD_TIMEOUT_S));
      assertTrue(!isAlive(), "deleter still running");
    }
  }
}
