package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Three Roost processes under a paced session write load; node 3 gets SIGTERM as {@code
 * scripts/cluster stop} sends it. The process must exit through its graceful path, having handed
 * its slots off first: no write gets an error reply and no acknowledged write is lost. When the
 * leaving node closes a connection, the client sends the writes it had in flight on it once more
 * through another node, as clients that resend unanswered commands after reconnecting do; those
 * resends are reported.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterShutdownIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int WRITES = 6_000;
  static final int THREADS = 4;
  static final long WRITES_PER_SECOND_PER_THREAD = 200;
  static final int LEAVER = 3;
  static final long LOAD_TIMEOUT_S = 120;
  static final long EXIT_TIMEOUT_S = 30;

  @Test
  void sigtermedNodeExitsAndLosesNoAcknowledgedWrite(TestReporter reporter) throws IOException {
    try (LocalCluster cluster = new LocalCluster("shutdown", 3, 17010, 17810)) {
      cluster.start("--owners", "2", "--replication", "sync");
      List<HostAndPort> all = new ArrayList<>();
      for (int n : cluster.nodes()) {
        all.add(cluster.endpoint(n));
      }
      List<Integer> survivors = List.of(1, 2);
      SessionLoad load =
          new SessionLoad(all, THREADS, 1, 0, WRITES, WRITES_PER_SECOND_PER_THREAD, LOAD_TIMEOUT_S)
              .retryingBrokenConnections()
              .start();
      try {
        LocalCluster.await(
            LOAD_TIMEOUT_S,
            () -> load.completed() >= WRITES * 3 / 10,
            () -> "30% of the writes: completed=" + load.completed());
        long errorsBefore = load.errors();
        long termNs = System.nanoTime();
        ProcessHandle leaver = cluster.terminate(LEAVER);
        boolean exited = LocalCluster.awaitExit(leaver, EXIT_TIMEOUT_S);
        long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termNs);
        assertTrue(exited, "node " + LEAVER + " still running " + EXIT_TIMEOUT_S + "s after TERM");

        int deadPort = cluster.port(LEAVER);
        LocalCluster.await(
            60,
            () -> survivors.stream().allMatch(n -> cluster.slotsWithout(n, deadPort)),
            () -> "survivors still list node " + LEAVER + cluster.describe(survivors));
        long reassignedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - termNs);

        load.awaitFinished(LOAD_TIMEOUT_S);
        List<Integer> acked = load.acknowledged();
        Map<Integer, Integer> lostPerNode = new LinkedHashMap<>();
        Map<Integer, List<String>> examples = new LinkedHashMap<>();
        for (int n : survivors) {
          try (Jedis j = cluster.connect(n)) {
            List<String> lost = SessionLoad.lost(j, acked, 500);
            lostPerNode.put(n, lost.size());
            examples.put(n, lost.subList(0, Math.min(10, lost.size())));
          }
        }
        String log = Files.readString(cluster.log(LEAVER), StandardCharsets.UTF_8);

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("writesAttempted", Integer.toString(load.completed()));
        figures.put("writesAcknowledged", Integer.toString(acked.size()));
        figures.put("clientErrors", Long.toString(load.errors()));
        figures.put("clientErrorsAfterTerm", Long.toString(load.errors() - errorsBefore));
        figures.put("errorKinds", load.errorKinds().toString());
        figures.put("resentAfterBrokenConnection", Long.toString(load.retries()));
        figures.put("lostPerSurvivor", lostPerNode.toString());
        figures.put("termToExitMs", Long.toString(exitMs));
        figures.put("termToSlotsReassignedMs", Long.toString(reassignedMs));
        FIGURES.info("test=cluster-shutdown {}", figures);
        reporter.publishEntry(figures);
        String report = "figures=" + figures + " examples=" + examples;

        assertTrue(log.contains("Received SIGTERM"), "no graceful shutdown in the log " + report);
        assertTrue(log.contains("Roost stopped"), "graceful shutdown did not finish " + report);
        assertTrue(log.contains("handed off every slot"), "slots not handed off " + report);
        assertEquals(WRITES, load.completed(), report);
        assertEquals(0, load.errors(), report);
        assertEquals(WRITES, acked.size(), report);
        for (int n : survivors) {
          assertEquals(0, lostPerNode.get(n), "lost through node=" + n + " " + report);
        }
      } finally {
        load.stop();
      }
    }
  }
}
