package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgroups.Address;
import org.jgroups.protocols.DISCARD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slots move while writes go on: a node joins with 5% of messages lost both ways (it receives its
 * slots as a backup and is promoted by a HANDOFF), and the coordinator leaves gracefully (it hands
 * everything off first). Afterwards every owner of every slot holds the same keys, every
 * acknowledged write is on every owner of its slot, and the graceful leave failed no write.
 */
@Timeout(120)
class RebalanceIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  @Test
  void joinerUnderMessageLossEndsWithEqualOwners() throws Exception {
    try (TestCluster cluster =
        new TestCluster("join", 2, ClusterContext.Replication.SYNC).start(2)) {
      lossOn(cluster.nodes, 0.05);
      try (Writer writer = new Writer(cluster, cluster.live())) {
        writer.awaitAcknowledged(300);
        final TestCluster.Node joiner = cluster.add();
        lossOn(List.of(joiner), 0.05);
        writer.awaitAcknowledged(writer.acknowledged.size() + 500);
        writer.stopAndDrain();
        lossOn(cluster.nodes, 0);
        cluster.awaitSettled();
        cluster.awaitQuiet();
        assertTrue(joiner.cluster.view().ownership().primaryCounts()[2] > 0, "joiner promoted");
        final int compared = assertOwnersEqual(cluster, writer.acknowledged);
        FIGURES.info(
            "test=rebalance-join acknowledged={} errors={} firstErrors={} comparedSlotPairs={}"
                + " handoffs={}",
            writer.acknowledged.size(),
            writer.errors.size(),
            writer.errors.stream().limit(3).toList(),
            compared,
            cluster.nodes.get(0).cluster.stats().handoffs()
                + cluster.nodes.get(1).cluster.stats().handoffs());
      }
    }
  }

  @Test
  void coordinatorLeavingGracefullyFailsNoWrite() throws Exception {
    try (TestCluster cluster =
        new TestCluster("leave", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node leaver = cluster.nodes.get(0);
      try (Writer writer =
          new Writer(cluster, List.of(cluster.nodes.get(1), cluster.nodes.get(2)))) {
        writer.awaitAcknowledged(500);
        final long leaveNs = System.nanoTime();
        assertTrue(leaver.leave(), "every slot handed off in time");
        final long leaveMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leaveNs);
        cluster.awaitSettled();
        writer.awaitAcknowledged(writer.acknowledged.size() + 1_000);
        writer.stopAndDrain();
        cluster.awaitQuiet();
        assertEquals(List.of(), List.copyOf(writer.errors), "no write failed");
        final int compared = assertOwnersEqual(cluster, writer.acknowledged);
        FIGURES.info(
            "test=rebalance-leave acknowledged={} leaveMs={} comparedSlotPairs={}",
            writer.acknowledged.size(),
            leaveMs,
            compared);
      }
    }
  }

  /** Every owner of every slot holds the same keys, and every acknowledged write. */
  private static int assertOwnersEqual(TestCluster cluster, Map<String, String> acknowledged) {
    final SlotOwnership<Address> owners = cluster.live().get(0).cluster.ownership();
    final Map<Address, Map<String, String>> contents = new HashMap<>();
    for (TestCluster.Node node : cluster.live()) {
      contents.put(node.cluster.address(), node.contents());
    }
    final Map<Address, long[]> digests = new HashMap<>();
    contents.forEach((a, c) -> digests.put(a, MessageLossIT.digest(c)));
    int compared = 0;
    for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
      final long primary = digests.get(owners.primary(slot))[slot];
      for (int rank = 1; rank < owners.ownersPerSlot(); rank++) {
        assertEquals(primary, digests.get(owners.owner(slot, rank))[slot], "slot=" + slot);
        compared++;
      }
    }
    final List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      final int slot = SlotHash.slot(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
      for (int rank = 0; rank < owners.ownersPerSlot(); rank++) {
        if (!e.getValue().equals(contents.get(owners.owner(slot, rank)).get(e.getKey()))) {
          missing.add(e.getKey() + "@rank" + rank);
        }
      }
    }
    assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())));
    return compared;
  }

  private static void lossOn(List<TestCluster.Node> nodes, double rate) {
    for (TestCluster.Node node : nodes) {
      final DISCARD discard = TestStacks.discard(node.cluster.channel());
      discard.setUpDiscardRate(rate);
      discard.setDownDiscardRate(rate);
    }
  }

  /** SETs of distinct keys through the given nodes, 32 in flight; owned by its own thread. */
  static final class Writer implements AutoCloseable {
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Semaphore window = new Semaphore(32);
    private final Thread thread;

    Writer(TestCluster cluster, List<TestCluster.Node> through) {
      thread =
          new Thread(
              () -> {
                final Random random = new Random(5);
                try {
                  for (int i = 0; !stop.get(); i++) {
                    if (!window.tryAcquire(20, TimeUnit.SECONDS)) {
                      throw new AssertionError("window stuck");
                    }
                    final String key = "rk:" + i;
                    final String value = "v" + i;
                    through
                        .get(random.nextInt(through.size()))
                        .call("SET", key, value)
                        .whenComplete(
                            (reply, e) -> {
                              final String text = ReplicationIT.text(reply);
                              if ("+OK\r\n".equals(text)) {
                                acknowledged.put(key, value);
                              } else {
                                errors.add(key + "=" + text);
                              }
                              window.release();
                            });
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              },
              "rebalance-writer");
      thread.setDaemon(true);
      thread.start();
    }

    void awaitAcknowledged(int count) throws InterruptedException {
      TestCluster.await(
          java.time.Duration.ofSeconds(60),
          () -> acknowledged.size() >= count,
          count + " writes acknowledged");
    }

    /** Stops writing and waits until every write sent has its answer. */
    void stopAndDrain() throws InterruptedException {
      stop.set(true);
      thread.join(20_000);
      assertTrue(window.tryAcquire(32, 30, TimeUnit.SECONDS), "every write answered");
      assertEquals(List.of(), List.copyOf(failures));
    }

    @Override
    public void close() {
      stop.set(true);
    }
  }
}
