package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A node that starts while its cluster runs must not serve clients as a standalone server before it
 * has joined: from the moment its client port accepts connections, every write it acknowledges must
 * be readable through the other nodes, and it must answer CLUSTER INFO as a cluster node (this is
 * also what {@code scripts/cluster start} relies on when it calls a node that answers PING "up").
 * The cluster holds no data before, so the known gap of a joiner taking over slots that already
 * hold data does not apply.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterStartupIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final long START_TIMEOUT_S = 120;
  static final int MAX_PROBES = 20_000;

  @Test
  void startingNodeServesNoClientBeforeItJoined(TestReporter reporter) {
    try (LocalCluster cluster = new LocalCluster("startup", 3, 17040, 17840)) {
      cluster.killLeftovers();
      cluster.startNode(2, "--owners", "2");
      cluster.startNode(3, "--owners", "2");
      LocalCluster.await(
          START_TIMEOUT_S,
          () -> {
            String a = cluster.clusterInfo(2);
            String b = cluster.clusterInfo(3);
            return a.contains("cluster_known_nodes:2") && b.contains("cluster_known_nodes:2");
          },
          () -> "nodes 2 and 3 did not form a cluster" + cluster.describe(List.of(2, 3)));

      cluster.startNode(1, "--owners", "2");
      // Act as a client that connects the moment the port is open: probe, then write, until the
      // node says it is a member of a 3-node cluster.
      int standaloneReplies = 0;
      int probes = 0;
      String firstReply = null;
      List<Integer> acked = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
      boolean joined = false;
      while (!joined && probes < MAX_PROBES && System.nanoTime() - deadline < 0) {
        try (Jedis j = cluster.connect(1)) {
          while (!joined && probes < MAX_PROBES && System.nanoTime() - deadline < 0) {
            probes++;
            String info;
            try {
              info = j.clusterInfo();
            } catch (JedisDataException e) {
              info = "-" + e.getMessage();
            }
            if (firstReply == null) {
              firstReply = info.lines().findFirst().orElse("");
            }
            if (info.startsWith("-")) {
              standaloneReplies++;
            }
            joined = info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3");
            int n = probes;
            try {
              if ("OK".equals(j.set(SessionLoad.key(n), SessionLoad.value(n)))
                  && !SessionLoad.isHash(n)) {
                acked.add(n);
              }
            } catch (JedisDataException e) {
              // Refused (for example -CLUSTERDOWN while joining): not acknowledged.
            }
          }
        } catch (JedisConnectionException e) {
          LocalCluster.pause(5);
        }
      }
      cluster.awaitFormed(3, cluster.nodes());

      Map<Integer, List<String>> lost = new LinkedHashMap<>();
      for (int n : List.of(2, 3)) {
        try (Jedis j = cluster.connect(n)) {
          lost.put(n, SessionLoad.lost(j, acked, 500));
        } catch (JedisException e) {
          throw new AssertionError("reading through node=" + n, e);
        }
      }
      Map<String, String> figures = new LinkedHashMap<>();
      figures.put("probes", Integer.toString(probes));
      figures.put("firstClusterInfoReply", firstReply);
      figures.put("standaloneReplies", Integer.toString(standaloneReplies));
      figures.put("writesAcknowledged", Integer.toString(acked.size()));
      figures.put("lostThroughNode2", Integer.toString(lost.get(2).size()));
      figures.put("lostThroughNode3", Integer.toString(lost.get(3).size()));
      FIGURES.info("test=cluster-startup {}", figures);
      reporter.publishEntry(figures);
      String report =
          "figures="
              + figures
              + " examples="
              + lost.get(2).subList(0, Math.min(10, lost.get(2).size()));

      assertEquals(0, lost.get(2).size(), "acknowledged while joining, lost " + report);
      assertEquals(0, lost.get(3).size(), "acknowledged while joining, lost " + report);
      assertEquals(0, standaloneReplies, "answered as a standalone node " + report);
    }
  }
}
