package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Three Roost processes (owners 2, replication sync) under 100,000 session writes from 8 client
 * threads (4 in flight each); node 2 is killed with SIGKILL when about 30% are done. No
 * acknowledged write may be lost: every one is read back through each survivor once every slot has
 * a live primary again.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterKillIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int WRITES = 100_000;
  static final int THREADS = 8;

  /** Writes in flight per thread (pipelined), standing in for concurrent requests of a web tier. */
  static final int DEPTH = 4;

  static final int VICTIM = 2;
  static final long LOAD_TIMEOUT_S = 180;
  static final long FAILOVER_TIMEOUT_S = 60;

  @Test
  void killedNodeLosesNoAcknowledgedWrite(TestReporter reporter) {
    try (LocalCluster cluster = new LocalCluster("kill", 3, 17000, 17800)) {
      cluster.start("--owners", "2", "--replication", "sync");
      List<HostAndPort> all = new ArrayList<>();
      for (int n : cluster.nodes()) {
        all.add(cluster.endpoint(n));
      }
      List<Integer> survivors = List.of(1, 3);
      long loadStartNs = System.nanoTime();
      SessionLoad load = new SessionLoad(all, THREADS, DEPTH, 0, WRITES, 0, LOAD_TIMEOUT_S).start();
      try {
        LocalCluster.await(
            LOAD_TIMEOUT_S,
            () -> load.completed() >= WRITES * 3 / 10,
            () -> "30% of the writes: completed=" + load.completed());
        int atKill = load.completed();
        long ackBeforeKill = load.completed() - load.errors();
        cluster.kill(VICTIM);
        long killedNs = System.nanoTime();

        int deadPort = cluster.port(VICTIM);
        LocalCluster.await(
            FAILOVER_TIMEOUT_S,
            () -> survivors.stream().allMatch(n -> cluster.slotsWithout(n, deadPort)),
            () -> "survivors still list node " + VICTIM + cluster.describe(survivors));
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
        int atFailover = load.completed();

        load.awaitFinished(LOAD_TIMEOUT_S);
        long loadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStartNs);
        List<Integer> acked = load.acknowledged();

        // Writes after the failover go through without errors.
        SessionLoad after =
            new SessionLoad(
                    survivors.stream().map(cluster::endpoint).toList(),
                    2,
                    DEPTH,
                    WRITES,
                    WRITES + 2_000,
                    0,
                    LOAD_TIMEOUT_S)
                .start();
        after.awaitFinished(LOAD_TIMEOUT_S);

        Map<Integer, Integer> lostPerNode = new LinkedHashMap<>();
        Map<Integer, List<String>> examples = new LinkedHashMap<>();
        Map<Integer, List<String>> badTtls = new LinkedHashMap<>();
        List<Integer> ttlSample = new ArrayList<>();
        for (int i = 0; i < acked.size(); i += 97) {
          ttlSample.add(acked.get(i));
        }
        for (int n : survivors) {
          try (Jedis j = cluster.connect(n)) {
            List<String> lost = SessionLoad.lost(j, acked, 500);
            lostPerNode.put(n, lost.size());
            examples.put(n, lost.subList(0, Math.min(10, lost.size())));
            badTtls.put(n, SessionLoad.badTtls(j, ttlSample));
          }
        }

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("writesAttempted", Integer.toString(load.completed()));
        figures.put("writesAcknowledged", Integer.toString(acked.size()));
        figures.put("acknowledgedBeforeKill", Long.toString(ackBeforeKill));
        figures.put("completedAtKill", Integer.toString(atKill));
        figures.put("completedAtFailover", Integer.toString(atFailover));
        figures.put("errors", Long.toString(load.errors()));
        figures.put("errorKinds", load.errorKinds().toString());
        figures.put("lostPerSurvivor", lostPerNode.toString());
        figures.put("failoverMs", Long.toString(failoverMs));
        figures.put("loadMs", Long.toString(loadMs));
        figures.put("writesAfterFailover", Integer.toString(after.acknowledged().size()));
        figures.put("errorsAfterFailover", Long.toString(after.errors()));
        FIGURES.info("test=cluster-kill {}", figures);
        reporter.publishEntry(figures);
        String report = "figures=" + figures + " examples=" + examples;

        assertEquals(WRITES, load.completed(), report);
        assertTrue(acked.size() > WRITES / 2, report);
        for (int n : survivors) {
          assertEquals(0, lostPerNode.get(n), "lost through node=" + n + " " + report);
          assertEquals(List.of(), badTtls.get(n), "ttl through node=" + n + " " + report);
        }
        assertEquals(0, after.errors(), "after failover " + after.errorKinds() + " " + report);
      } finally {
        load.stop();
      }
    }
  }
}
