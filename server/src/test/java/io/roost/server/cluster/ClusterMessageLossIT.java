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
 * Three Roost processes whose JGroups stacks each drop 5% of the messages they send and 5% of those
 * they receive (DISCARD, switched through JGroups' probe) while a session write load and a
 * write-then-delete load run through every node. After the loss stops and the cluster quiesces, the
 * owners of every slot hold the same digest, every acknowledged write reads back through every
 * node, and no acknowledged delete is undone. JGroups retransmits what DISCARD drops (UNICAST3,
 * NAKACK2), so every lost message stalls its sender's stream until retransmitted: the load is
 * small.
 */
@Timeout(value = 7, unit = TimeUnit.MINUTES)
class ClusterMessageLossIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int WRITES = 500;
  static final int THREADS = 8;
  static final int DEPTH = 4;
  static final int DELETES = 100;
  static final long LOAD_TIMEOUT_S = 240;
  static final double LOSS = 0.05;

  @Test
  void ownersConvergeAfterFivePercentLossBothWays(TestReporter reporter) throws Exception {
    try (LocalCluster cluster = new LocalCluster("loss", 3, 17400, 17600)) {
      Partition faults = new Partition(cluster, 17480);
      cluster.startEach(faults::options, "--owners", "2", "--replication", "sync");
      for (int n : cluster.nodes()) {
        faults.loss(n, LOSS);
      }
      List<HostAndPort> all = new ArrayList<>();
      for (int n : cluster.nodes()) {
        all.add(cluster.endpoint(n));
      }
      SessionLoad load = new SessionLoad(all, THREADS, DEPTH, 0, WRITES, 0, LOAD_TIMEOUT_S).start();
      Convergence.Deleter deleter = new Convergence.Deleter(all, DELETES, LOAD_TIMEOUT_S);
      deleter.start();
      try {
        load.awaitFinished(LOAD_TIMEOUT_S);
        deleter.finish();
        for (int n : cluster.nodes()) {
          faults.loss(n, 0);
        }
        long quietNs = System.nanoTime();
        Convergence.awaitQuiet(cluster);
        long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietNs);

        List<Integer> acked = load.acknowledged();
        Convergence c = Convergence.check(cluster, acked, deleter.deleted);
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("lossEachWay", Double.toString(LOSS));
        figures.put("writesAttempted", Integer.toString(load.completed()));
        figures.put("writesAcknowledged", Integer.toString(acked.size()));
        figures.put("clientErrors", Long.toString(load.errors()));
        figures.put("errorKinds", load.errorKinds().toString());
        figures.put("deletesAcknowledged", Integer.toString(deleter.deleted.size()));
        figures.put("deleterErrors", deleter.errors.toString());
        figures.put("lossStopToQuietMs", Long.toString(quietMs));
        figures.put("batchesResentNode1", Convergence.info(cluster, 1, "roost_batches_resent"));
        c.addTo(figures);
        FIGURES.info("test=cluster-message-loss {}", figures);
        reporter.publishEntry(figures);
        String report = "figures=" + figures + " examples=" + c.examples();

        assertEquals(WRITES, load.completed(), report);
        assertTrue(acked.size() > WRITES / 2, report);
        c.assertConverged(report);
      } finally {
        load.stop();
        deleter.stop.set(true);
      }
    }
  }
}
