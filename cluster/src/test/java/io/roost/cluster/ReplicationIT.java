package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Three nodes, owners 2: acknowledged writes are on their backups (sync) or converge (async). */
@Timeout(30)
class ReplicationIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");
  private static final int WINDOW = 256;

  @Test
  void syncWriteIsOnEveryBackupWhenAcknowledged() throws Exception {
    try (TestCluster cluster =
        new TestCluster("sync", 2, ClusterContext.Replication.SYNC).start(3)) {
      final int keys = 10_000;
      final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      write(cluster, keys, 0, failures, true);
      // Deletes of every tenth key, checked the same way.
      final CountDownLatch deleted = new CountDownLatch(keys / 10);
      final Random random = new Random(7);
      for (int i = 0; i < keys; i += 10) {
        final String key = "key:" + i;
        final TestCluster.Node via = cluster.nodes.get(random.nextInt(3));
        via.call("DEL", key)
            .whenComplete(
                (reply, error) -> {
                  if (!":1\r\n".equals(text(reply))) {
                    failures.add(key + " DEL reply=" + text(reply));
                  }
                  checkOwners(cluster, key, null, failures);
                  deleted.countDown();
                });
      }
      assertTrue(deleted.await(20, TimeUnit.SECONDS), "deletes acknowledged");
      assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(10, failures.size())));
      logFigures("sync", cluster);
    }
  }

  @Test
  void asyncWritesAcknowledgeAtOnceAndConverge() throws Exception {
    try (TestCluster cluster =
        new TestCluster("async", 2, ClusterContext.Replication.ASYNC).start(3)) {
      final int keys = 3_000;
      final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      write(cluster, keys, 0, failures, false);
      cluster.awaitQuiet();
      for (int i = 0; i < keys; i++) {
        checkOwners(cluster, "key:" + i, expected(i), failures);
      }
      assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(10, failures.size())));
      logFigures("async", cluster);
    }
  }

  /** Writes keys {@code from..from+count} through random nodes, {@code window} in flight. */
  static void write(
      TestCluster cluster,
      int count,
      int from,
      ConcurrentLinkedQueue<String> failures,
      boolean checkOnAck)
      throws InterruptedException {
    final Semaphore window = new Semaphore(WINDOW);
    final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
    final CountDownLatch acknowledged = new CountDownLatch(count);
    final Random random = new Random(42 + from);
    final List<TestCluster.Node> live = cluster.live();
    for (int i = from; i < from + count; i++) {
      if (!window.tryAcquire(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("writes stuck at key=" + i + " stats=" + stats(cluster));
      }
      final String key = "key:" + i;
      final String value = expected(i);
      final TestCluster.Node via = live.get(random.nextInt(live.size()));
      final var reply =
          i % 4 == 3 ? via.call("HSET", key, "f", "v" + i) : via.call("SET", key, "v" + i);
      reply.whenComplete(
          (bytes, error) -> {
            final String text = text(bytes);
            if (!"+OK\r\n".equals(text) && !":1\r\n".equals(text)) {
              failures.add(key + " reply=" + text);
            } else if (checkOnAck) {
              checkOwners(cluster, key, value, failures);
            }
            window.release();
            acknowledged.countDown();
          });
    }
    assertTrue(
        acknowledged.await(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS),
        () -> "writes not acknowledged stats=" + stats(cluster));
  }

  static String expected(int i) {
    return i % 4 == 3 ? "hash[f=v" + i + "]" : "v" + i;
  }

  /** Every owner of the key's slot (per the primary's assignment) holds {@code value}. */
  static void checkOwners(
      TestCluster cluster, String key, String value, ConcurrentLinkedQueue<String> failures) {
    final int slot = SlotHash.slot(key.getBytes(StandardCharsets.ISO_8859_1));
    final SlotOwnership<Address> owners = cluster.live().get(0).cluster.ownership();
    for (int rank = 0; rank < owners.ownersPerSlot(); rank++) {
      final TestCluster.Node owner = cluster.live().get(0).at(cluster, owners.owner(slot, rank));
      if (owner == null) {
        continue;
      }
      final String actual = owner.value(key);
      if (!java.util.Objects.equals(value, actual)) {
        failures.add(key + " slot=" + slot + " rank=" + rank + " on=" + owner + " " + actual);
      }
    }
  }

  static String text(byte[] reply) {
    return reply == null ? "null" : new String(reply, StandardCharsets.ISO_8859_1);
  }

  static List<ClusterStats> stats(TestCluster cluster) {
    return cluster.live().stream().map(n -> n.cluster.stats()).toList();
  }

  static void logFigures(String test, TestCluster cluster) {
    for (TestCluster.Node node : cluster.live()) {
      final ClusterStats s = node.cluster.stats();
      FIGURES.info(
          "test={} node={} effectsSent={} batchesSent={} effectsPerBatch={} resent={} applied={}"
              + " rejected={} forwards={} dropped={}",
          test,
          node.name,
          s.effectsSent(),
          s.batchesSent(),
          String.format("%.1f", s.effectsPerBatch()),
          s.batchesResent(),
          s.effectsApplied(),
          s.batchesRejected(),
          s.forwardsSent(),
          s.effectsDropped());
    }
  }

  @Test
  void forwardReachesThePrimaryAndRepliesExactlyOnce() throws Exception {
    try (TestCluster cluster =
        new TestCluster("fwd", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node a = cluster.nodes.get(0);
      String key = null;
      for (int i = 0; key == null; i++) {
        if (!a.cluster.isOwner(SlotHash.slot(("f" + i).getBytes(StandardCharsets.ISO_8859_1)))) {
          key = "f" + i;
        }
      }
      assertArrayEquals(TestCluster.OK, a.call("SET", key, "x").get(10, TimeUnit.SECONDS));
      assertEquals("$1\r\nx\r\n", text(a.call("GET", key).get(10, TimeUnit.SECONDS)));
      assertEquals(null, a.value(key), "a is not an owner");
      assertTrue(a.cluster.stats().forwardsSent() >= 2);
    }
  }

  @Test
  void forwardsFromOneNodeAreBatchedAndRunInOrder() throws Exception {
    try (TestCluster cluster =
        new TestCluster("fwdbatch", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node a = cluster.nodes.get(0);
      final List<String> keys = new java.util.ArrayList<>();
      for (int i = 0; keys.size() < 50; i++) {
        if (!a.cluster.isOwner(SlotHash.slot(("b" + i).getBytes(StandardCharsets.ISO_8859_1)))) {
          keys.add("b" + i);
        }
      }
      final long batchesBefore = a.cluster.stats().forwardBatchesSent();
      final long forwardsBefore = a.cluster.stats().forwardsSent();
      final int requests = 1_000;
      final List<java.util.concurrent.CompletableFuture<byte[]>> replies =
          new java.util.ArrayList<>();
      for (int i = 0; i < requests; i++) {
        // 20 SETs per key, in value order: the last one sent must be the one that sticks.
        replies.add(a.call("SET", keys.get(i % keys.size()), Integer.toString(i)));
      }
      a.cluster.flush();
      for (java.util.concurrent.CompletableFuture<byte[]> reply : replies) {
        assertArrayEquals(TestCluster.OK, reply.get(20, TimeUnit.SECONDS));
      }
      final long forwards = a.cluster.stats().forwardsSent() - forwardsBefore;
      final long batches = a.cluster.stats().forwardBatchesSent() - batchesBefore;
      assertEquals(requests, forwards);
      assertTrue(batches >= 1 && batches <= requests / 10, "batches=" + batches);
      for (int k = 0; k < keys.size(); k++) {
        final String last = Integer.toString(requests - keys.size() + k);
        assertEquals(
            "$" + last.length() + "\r\n" + last + "\r\n",
            text(a.call("GET", keys.get(k)).get(10, TimeUnit.SECONDS)),
            "key=" + keys.get(k));
      }
    }
  }
}
