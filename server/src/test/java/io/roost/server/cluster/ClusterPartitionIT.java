package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Three Roost processes (owners 2, replication sync); node 3 is cut off from the others with
 * JGroups' DISCARD ({@link Partition}). The minority refuses writes with {@code -CLUSTERDOWN}, the
 * majority goes on writing, overwriting and deleting; after healing and one view of three members,
 * every key is read through node 3: it must answer the majority's data — new keys with their value,
 * overwritten keys with the new value, deleted keys absent.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterPartitionIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  static final int MINORITY = 3;
  static final List<Integer> MAJORITY = List.of(1, 2);

  /** Keys written before the partition; the even ones are overwritten during it. */
  static final int BEFORE = 300;

  /** Keys written before the partition and deleted by the majority during it. */
  static final int DELETED = 150;

  /** Keys created by the majority during the partition. */
  static final int CREATED = 300;

  /** Writes tried on the minority during the partition. */
  static final int MINORITY_WRITES = 50;

  static final long PARTITION_DEADLINE_S = 60;
  static final long HEAL_DEADLINE_S = 90;

  /** After a failed first read-back, how long to keep looking whether node 3 converges. */
  static final long CONVERGE_DEADLINE_S = 30;

  @Test
  void minorityRefusesWritesAndServesTheMajoritysDataAfterHealing(TestReporter reporter) {
    try (LocalCluster cluster = new LocalCluster("partition", 3, 17200, 17950)) {
      Partition partition = new Partition(cluster, 17970);
      cluster.startEach(partition::options, "--owners", "2", "--replication", "sync");

      // Before: every key on the cluster, readable through the future minority.
      Map<String, String> expected = new LinkedHashMap<>();
      try (Jedis j = cluster.connect(1)) {
        for (int i = 0; i < BEFORE; i++) {
          assertEquals("OK", j.set("part:k:" + i, "v0-" + i));
          expected.put("part:k:" + i, "v0-" + i);
        }
        for (int i = 0; i < DELETED; i++) {
          assertEquals("OK", j.set("part:d:" + i, "d-" + i));
        }
      }
      try (Jedis j = cluster.connect(MINORITY)) {
        assertEquals("v0-7", j.get("part:k:7"));
        assertEquals("d-7", j.get("part:d:7"));
      }

      // Cut node 3 off; each side installs its own view.
      long cutNs = System.nanoTime();
      partition.isolate(MINORITY);
      LocalCluster.await(
          PARTITION_DEADLINE_S,
          () ->
              hasState(cluster, MINORITY, "fail", 1)
                  && MAJORITY.stream().allMatch(n -> hasState(cluster, n, "ok", 2)),
          () -> "sides did not split" + cluster.describe(cluster.nodes()));
      long splitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutNs);

      // The minority refuses every write.
      Map<String, Integer> minorityReplies = new LinkedHashMap<>();
      try (Jedis j = cluster.connect(MINORITY)) {
        for (int i = 0; i < MINORITY_WRITES; i++) {
          String reply;
          try {
            reply = j.set(i % 2 == 0 ? "part:k:" + i : "part:minority:" + i, "minority-" + i);
          } catch (JedisDataException e) {
            reply = e.getMessage();
          }
          minorityReplies.merge(reply, 1, Integer::sum);
        }
      }

      // The majority overwrites, creates and deletes, through both of its nodes.
      int majorityAcks = 0;
      List<String> majorityErrors = new ArrayList<>();
      Set<String> deleted = new HashSet<>();
      try (Jedis one = cluster.connect(1);
          Jedis two = cluster.connect(2)) {
        for (int i = 0; i < BEFORE; i += 2) {
          majorityAcks += ack(i % 4 == 0 ? one : two, "part:k:" + i, "v1-" + i, majorityErrors);
          expected.put("part:k:" + i, "v1-" + i);
        }
        for (int i = 0; i < CREATED; i++) {
          majorityAcks += ack(i % 2 == 0 ? one : two, "part:n:" + i, "n-" + i, majorityErrors);
          expected.put("part:n:" + i, "n-" + i);
        }
        for (int i = 0; i < DELETED; i++) {
          try {
            long removed = (i % 2 == 0 ? one : two).del("part:d:" + i);
            if (removed == 1) {
              majorityAcks++;
              deleted.add("part:d:" + i);
            } else {
              majorityErrors.add("DEL part:d:" + i + " removed=" + removed);
            }
          } catch (JedisException e) {
            majorityErrors.add("DEL part:d:" + i + " " + e.getMessage());
          }
        }
      }

      // Heal, and wait for one view of three members.
      long healNs = System.nanoTime();
      partition.heal(MINORITY);
      LocalCluster.await(
          HEAL_DEADLINE_S,
          () -> oneViewOfThree(cluster),
          () -> "no single view of 3 members" + cluster.describe(cluster.nodes()));
      long mergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healNs);

      // Through node 3: everything the majority wrote, nothing it deleted.
      Set<Integer> ownedByMinority = slotsOwnedBy(cluster, MINORITY);
      ReadBack first = readBack(cluster, expected, deleted, ownedByMinority);
      // Diagnosis only (the assertion is on the first read): does node 3 converge later?
      AtomicReference<ReadBack> last = new AtomicReference<>(first);
      long convergedMs = 0;
      if (!first.clean()) {
        long fromNs = System.nanoTime();
        try {
          LocalCluster.await(
              CONVERGE_DEADLINE_S,
              () -> {
                last.set(readBack(cluster, expected, deleted, ownedByMinority));
                return last.get().clean();
              },
              () -> "node 3 did not converge");
          convergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fromNs);
        } catch (AssertionError e) {
          convergedMs = -1;
        }
      }
      String afterHeal;
      try (Jedis j = cluster.connect(MINORITY)) {
        afterHeal = j.set("part:after", "healed");
      } catch (JedisException e) {
        afterHeal = e.getMessage();
      }

      Map<String, String> figures = new LinkedHashMap<>();
      figures.put("splitMs", Long.toString(splitMs));
      figures.put("minorityReplies", minorityReplies.toString());
      figures.put("majorityAcks", Integer.toString(majorityAcks));
      figures.put("majorityErrors", Integer.toString(majorityErrors.size()));
      figures.put("mergedMs", Long.toString(mergedMs));
      figures.put("keysChecked", Integer.toString(expected.size() + deleted.size()));
      figures.put("keysInSlotsNode3Owns", Integer.toString(first.ownedByMinority));
      figures.put("firstRead", first.summary());
      figures.put("afterWaiting", last.get().summary());
      figures.put("convergedMs", Long.toString(convergedMs));
      figures.put("writeOnNode3AfterHeal", afterHeal);
      FIGURES.info("test=cluster-partition {}", figures);
      reporter.publishEntry(figures);
      String report =
          "figures="
              + figures
              + " majorityErrors="
              + majorityErrors.subList(0, Math.min(10, majorityErrors.size()))
              + " examples="
              + first.examples;

      assertEquals(Map.of("CLUSTERDOWN The cluster is down", MINORITY_WRITES), minorityReplies);
      assertEquals(List.of(), majorityErrors, report);
      assertEquals(BEFORE / 2 + CREATED + DELETED, majorityAcks, report);
      assertTrue(first.clean(), report);
      assertEquals("OK", afterHeal, report);
    }
  }

  /** 1 when {@code SET key value} through {@code j} is acknowledged, else 0 (error recorded). */
  private static int ack(Jedis j, String key, String value, List<String> errors) {
    try {
      String reply = j.set(key, value);
      if ("OK".equals(reply)) {
        return 1;
      }
      errors.add("SET " + key + " " + reply);
    } catch (JedisException e) {
      errors.add("SET " + key + " " + e.getMessage());
    }
    return 0;
  }

  private static boolean hasState(LocalCluster cluster, int node, String state, int members) {
    String info = cluster.clusterInfo(node);
    return info.contains("cluster_state:" + state + "\r\n")
        && info.contains("cluster_known_nodes:" + members + "\r\n");
  }

  /** Every node says ok with 3 members, and all name the same epoch (view). */
  private static boolean oneViewOfThree(LocalCluster cluster) {
    Set<String> epochs = new HashSet<>();
    for (int n : cluster.nodes()) {
      String info = cluster.clusterInfo(n);
      if (!hasState(cluster, n, "ok", 3)) {
        return false;
      }
      Matcher m = Pattern.compile("cluster_current_epoch:(\\d+)").matcher(info);
      if (!m.find()) {
        return false;
      }
      epochs.add(m.group(1));
    }
    return epochs.size() == 1;
  }

  /** The slots {@code node} owns (primary or backup) according to its own CLUSTER SLOTS. */
  private static Set<Integer> slotsOwnedBy(LocalCluster cluster, int node) {
    Set<Integer> owned = new HashSet<>();
    try (Jedis j = cluster.connect(node)) {
      for (Object range : (List<?>) j.sendCommand(Protocol.Command.CLUSTER, "SLOTS")) {
        List<?> r = (List<?>) range;
        for (int k = 2; k < r.size(); k++) {
          if (((Long) ((List<?>) r.get(k)).get(1)) == cluster.port(node)) {
            for (long slot = (Long) r.get(0); slot <= (Long) r.get(1); slot++) {
              owned.add((int) slot);
            }
          }
        }
      }
    }
    return owned;
  }

  /** What node 3 answered for every key. */
  private record ReadBack(
      int stale,
      int missing,
      int reappeared,
      int errors,
      int ownedByMinority,
      List<String> examples) {
    boolean clean() {
      return stale == 0 && missing == 0 && reappeared == 0 && errors == 0;
    }

    String summary() {
      return "stale="
          + stale
          + " missing="
          + missing
          + " reappeared="
          + reappeared
          + " errors="
          + errors;
    }
  }

  private static ReadBack readBack(
      LocalCluster cluster,
      Map<String, String> expected,
      Set<String> deleted,
      Set<Integer> ownedByMinority) {
    int stale = 0;
    int missing = 0;
    int reappeared = 0;
    int errors = 0;
    int owned = 0;
    List<String> examples = new ArrayList<>();
    try (Jedis j = cluster.connect(MINORITY)) {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        owned += ownedByMinority.contains(slot(e.getKey())) ? 1 : 0;
        try {
          String value = j.get(e.getKey());
          if (value == null) {
            missing++;
            example(examples, e.getKey() + "=null expected " + e.getValue());
          } else if (!value.equals(e.getValue())) {
            stale++;
            example(examples, e.getKey() + "=" + value + " expected " + e.getValue());
          }
        } catch (JedisException ex) {
          errors++;
          example(examples, e.getKey() + " " + ex.getMessage());
        }
      }
      for (String key : deleted) {
        owned += ownedByMinority.contains(slot(key)) ? 1 : 0;
        try {
          String value = j.get(key);
          if (value != null) {
            reappeared++;
            example(examples, key + "=" + value + " expected none");
          }
        } catch (JedisException ex) {
          errors++;
          example(examples, key + " " + ex.getMessage());
        }
      }
    }
    return new ReadBack(stale, missing, reappeared, errors, owned, examples);
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < 10) {
      examples.add(text);
    }
  }

  private static int slot(String key) {
    return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
  }
}
