package io.roost.server.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Whether a quiet multi-process cluster converged: every node reports the same owner lists, the
 * owners of every slot hold the same {@code DEBUG DIGEST-SLOTS} digest, no node holds keys of a
 * slot it does not own, every acknowledged {@link SessionLoad} write reads back through every node,
 * and no key whose delete was acknowledged exists. Immutable once built by {@link #check}.
 */
record Convergence(
    Map<Integer, List<Integer>> owners,
    int differing,
    int stray,
    Map<Integer, Integer> lostPerNode,
    Map<Integer, Integer> resurrectedPerNode,
    List<String> examples) {
  static final long QUIET_TIMEOUT_S = 90;
  private static final byte[] DEBUG = "DEBUG".getBytes(US_ASCII);

  static Convergence check(LocalCluster cluster, List<Integer> acked, Collection<String> deleted) {
    Map<Integer, List<Integer>> owners = owners(cluster, cluster.nodes().get(0));
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
      String first = digests.get(slotOwners.get(0)).getOrDefault(slot, "0");
      for (int n : slotOwners) {
        String d = digests.get(n).getOrDefault(slot, "0");
        if (!d.equals(first)) {
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
    Map<Integer, Integer> lostPerNode = new LinkedHashMap<>();
    Map<Integer, Integer> resurrectedPerNode = new LinkedHashMap<>();
    for (int n : cluster.nodes()) {
      try (Jedis j = cluster.connect(n)) {
        List<String> lost = SessionLoad.lost(j, acked, 500);
        lostPerNode.put(n, lost.size());
        examples.addAll(lost.subList(0, Math.min(3, lost.size())));
        int back = 0;
        for (String key : deleted) {
          back += j.exists(key) ? 1 : 0;
        }
        resurrectedPerNode.put(n, back);
      }
    }
    return new Convergence(owners, differing, stray, lostPerNode, resurrectedPerNode, examples);
  }

  void addTo(Map<String, String> figures) {
    figures.put("slotsWithDifferingOwners", Integer.toString(differing));
    figures.put("slotsHeldByNonOwners", Integer.toString(stray));
    figures.put("lostPerNode", lostPerNode.toString());
    figures.put("resurrectedPerNode", resurrectedPerNode.toString());
  }

  void assertConverged(String report) {
    assertEquals(0, differing, report);
    assertEquals(0, stray, report);
    lostPerNode.forEach(
        (n, lost) -> assertEquals(0, lost, "lost through node=" + n + " " + report));
    resurrectedPerNode.forEach(
        (n, back) -> assertEquals(0, back, "resurrected via node=" + n + " " + report));
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
    final long timeoutS;

    Deleter(List<HostAndPort> nodes, int count, long timeoutS) {
      super("deleter");
      setDaemon(true);
      this.nodes = nodes;
      this.count = count;
      this.timeoutS = timeoutS;
    }

    @Override
    public void run() {
      SplittableRandom random = new SplittableRandom(11);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
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
      join(TimeUnit.SECONDS.toMillis(timeoutS));
      assertTrue(!isAlive(), "deleter still running");
    }
  }
}
