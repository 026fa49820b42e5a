package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WAIT counts backups that acknowledged everything; forwards to a lost primary fail. */
@Timeout(30)
class WaitIT {
  @Test
  void waitCountsAcknowledgedBackupsAndTimesOut() throws Exception {
    try (TestCluster cluster =
        new TestCluster("wait", 2, ClusterContext.Replication.ASYNC).start(3)) {
      final TestCluster.Node a = cluster.nodes.get(0);
      final String key = FencingIT.keyWithPrimary(a);
      final Address backup = a.cluster.ownership().owner(FencingIT.slot(key), 1);
      final TestCluster.Node b = a.at(cluster, backup);

      assertEquals(2, waitReplicas(a, 0, 1_000), "nothing sent yet: both count");
      assertArrayEquals(TestCluster.OK, a.call("SET", key, "1").get(10, TimeUnit.SECONDS));
      assertEquals(2, waitReplicas(a, 2, 0), "both acknowledge (wait forever until they do)");
      assertEquals(2, waitReplicas(a, 3, 100), "more than exist: times out with the count");

      // The backup stops hearing a: the async write is acknowledged, WAIT sees one replica.
      TestStacks.discard(b.cluster.channel()).addIgnoredMembers(a.cluster.address());
      assertArrayEquals(TestCluster.OK, a.call("SET", key, "2").get(10, TimeUnit.SECONDS));
      assertEquals(1, waitReplicas(a, 2, 200));
      TestStacks.discard(b.cluster.channel()).resetIgnoredMembers();
      // The unacknowledged batch is sent again; WAIT then sees both.
      assertEquals(2, waitReplicas(a, 2, 0));
      assertEquals("2", b.value(key));
    }
  }

  @Test
  void forwardToALostPrimaryFailsInsteadOfHanging() throws Exception {
    try (TestCluster cluster =
        new TestCluster("lost", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node a = cluster.nodes.get(0);
      final TestCluster.Node c = cluster.nodes.get(2);
      a.cluster.forwardTimeoutMs(1_000);
      final String key = FencingIT.keyWithPrimary(c);
      TestStacks.discard(c.cluster.channel()).discardAll(true);
      final CompletableFuture<byte[]> reply = a.call("SET", key, "x");
      final String text = ReplicationIT.text(reply.get(20, TimeUnit.SECONDS));
      assertTrue(text.startsWith("-TRYAGAIN") || text.startsWith("-CLUSTERDOWN"), text);
    }
  }

  private static long waitReplicas(TestCluster.Node node, int replicas, long timeoutMs)
      throws Exception {
    final CompletableFuture<Long> count = new CompletableFuture<>();
    node.cluster.waitReplicas(replicas, timeoutMs, count::complete);
    return count.get(20, TimeUnit.SECONDS);
  }
}
