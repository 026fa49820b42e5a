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
  static final int JOINER = 4;

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
      Convergence.Deleter deleter = new Convergence.Deleter(first, DELETES, LOAD_TIMEOUT_S);
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
        Convergence.awaitQuiet(cluster);
        long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinNs);

        Convergence c = Convergence.check(cluster, load.acknowledged(), deleter.deleted);
        Map<Integer, List<Integer>> owners = c.owners();
        List<Integer> acked = load.acknowledged();
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
        figures.put(
            "joinerRecordsReceived", Convergence.info(cluster, JOINER, "roost_records_received"));
        c.addTo(figures);
        FIGURES.info("test=cluster-join {}", figures);
        reporter.publishEntry(figures);
        String report = "figures=" + figures + " examples=" + c.examples();

        assertEquals(WRITES, load.completed(), report);
        assertTrue(acked.size() > WRITES / 2, report);
        assertTrue(joinerPrimaries > 0, report);
        c.assertConverged(report);
      } finally {
        load.stop();
        deleter.stop.set(true);
      }
    }
  }
}
