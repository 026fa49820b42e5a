package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A primary crashes mid-run: no acknowledged write is lost and its backups take over. */
@Timeout(90)
class FailoverIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  @Test
  void crashedPrimaryIsReplacedByItsBackupsWithoutLosingAcknowledgedWrites() throws Exception {
    try (TestCluster cluster =
        new TestCluster("failover", 2, ClusterContext.Replication.SYNC).start(3)) {
      final TestCluster.Node victim = cluster.nodes.get(2);
      final Address victimAddress = victim.cluster.address();
      final SlotOwnership<Address> before = cluster.nodes.get(0).cluster.ownership();
      final List<TestCluster.Node> survivors = List.of(cluster.nodes.get(0), cluster.nodes.get(1));

      final Map<String, String> acknowledged = new ConcurrentHashMap<>();
      final AtomicInteger errors = new AtomicInteger();
      final AtomicBoolean stop = new AtomicBoolean();
      final Semaphore window = new Semaphore(32);
      final ConcurrentLinkedQueue<Throwable> writerFailures = new ConcurrentLinkedQueue<>();
      final Thread writer =
          new Thread(
              () -> {
                final Random random = new Random(3);
                try {
                  for (int i = 0; !stop.get(); i++) {
                    if (!window.tryAcquire(20, TimeUnit.SECONDS)) {
                      throw new AssertionError("window stuck");
                    }
                    final String key = "fk:" + i;
                    final String value = "v" + i;
                    survivors
                        .get(random.nextInt(2))
                        .call("SET", key, value)
                        .whenComplete(
                            (reply, e) -> {
                              if ("+OK\r\n".equals(ReplicationIT.text(reply))) {
                                acknowledged.put(key, value);
                              } else {
                                errors.incrementAndGet();
                              }
                              window.release();
                            });
                  }
                } catch (Throwable t) {
                  writerFailures.add(t);
                }
              },
              "failover-writer");
      writer.start();
      TestCluster.await(() -> acknowledged.size() >= 1_000, "1000 writes before the crash");

      final long killedNs = System.nanoTime();
      victim.kill();
      cluster.awaitSettled();
      final long settledMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
      final int atSettle = acknowledged.size();
      TestCluster.await(() -> acknowledged.size() >= atSettle + 1_000, "1000 writes after");
      stop.set(true);
      writer.join(20_000);
      assertTrue(window.tryAcquire(32, 20, TimeUnit.SECONDS), "every write answered");
      assertEquals(List.of(), List.copyOf(writerFailures));

      // The backups of the victim's slots are their primaries now.
      final SlotOwnership<Address> after = cluster.nodes.get(0).cluster.ownership();
      assertEquals(after.members(), cluster.nodes.get(1).cluster.ownership().members());
      int promoted = 0;
      for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
        if (before.primary(slot).equals(victimAddress)) {
          assertEquals(before.owner(slot, 1), after.primary(slot), "slot=" + slot);
          promoted++;
        }
      }
      assertTrue(promoted > 0);
      assertFalse(after.members().contains(victimAddress));

      // Every acknowledged write is on the slot's primary and on every surviving former owner; once
      // the state transfer is done, on every new owner too.
      cluster.awaitQuiet();
      int checked = 0;
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        final int slot = SlotHash.slot(e.getKey().getBytes(StandardCharsets.ISO_8859_1));
        final TestCluster.Node primary = survivors.get(0).at(cluster, after.primary(slot));
        assertEquals(e.getValue(), primary.value(e.getKey()), "primary of " + e.getKey());
        for (int rank = 0; rank < before.ownersPerSlot(); rank++) {
          final TestCluster.Node owner = survivors.get(0).at(cluster, before.owner(slot, rank));
          if (owner != null) {
            assertEquals(e.getValue(), owner.value(e.getKey()), owner + " " + e.getKey());
          }
        }
        for (int rank = 0; rank < after.ownersPerSlot(); rank++) {
          final TestCluster.Node owner = survivors.get(0).at(cluster, after.owner(slot, rank));
          assertEquals(
              e.getValue(),
              owner.value(e.getKey()),
              () ->
                  "new owner "
                      + owner
                      + " slot="
                      + slot
                      + " before="
                      + before.owner(slot, 0)
                      + ","
                      + before.owner(slot, 1)
                      + " after="
                      + after.owner(slot, 0)
                      + ","
                      + after.owner(slot, 1)
                      + " stats="
                      + ReplicationIT.stats(cluster));
        }
        checked++;
      }
      FIGURES.info(
          "test=failover acknowledged={} errors={} crashToConfirmedAssignmentMs={} promotedSlots={}"
              + " recordsTransferred={}",
          checked,
          errors.get(),
          settledMs,
          promoted,
          survivors.get(0).cluster.stats().recordsTransferred()
              + survivors.get(1).cluster.stats().recordsTransferred());
    }
  }
}
