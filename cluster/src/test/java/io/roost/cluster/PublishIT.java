package io.roost.cluster;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pub/sub messages reach every other member exactly once and in the order their node published
 * them, with several publishing threads per node at once and message loss underneath (JGroups
 * retransmits; nothing is duplicated). The publishing node itself hears nothing back.
 */
@Timeout(60)
class PublishIT {
  static final int THREADS = 3;
  static final int PER_THREAD = 2_000;

  @Test
  void everyMemberHearsEveryOtherMembersMessagesOnceInOrder() throws Exception {
    try (TestCluster cluster =
        new TestCluster("publish", 2, ClusterContext.Replication.SYNC).start(3)) {
      // Per receiving node, per channel ("<node>/<thread>"): the messages in arrival order.
      Map<String, Map<String, List<String>>> heard = new ConcurrentHashMap<>();
      for (TestCluster.Node n : cluster.nodes) {
        Map<String, List<String>> mine = new ConcurrentHashMap<>();
        heard.put(n.name, mine);
        n.cluster.publishListener(
            (kind, channel, message) ->
                mine.computeIfAbsent(
                        new String(channel, US_ASCII) + "#" + kind,
                        c -> new CopyOnWriteArrayList<>())
                    .add(new String(message, US_ASCII)));
      }
      TestStacks.discard(cluster.nodes.get(1).cluster.channel()).setDownDiscardRate(0.05);
      List<Thread> publishers = new ArrayList<>();
      for (TestCluster.Node n : cluster.nodes) {
        for (int t = 0; t < THREADS; t++) {
          byte[] channel = (n.name + "/" + t).getBytes(US_ASCII);
          int kind = t % 2;
          publishers.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        for (int i = 0; i < PER_THREAD; i++) {
                          n.cluster.publish(kind, channel, Integer.toString(i).getBytes(US_ASCII));
                        }
                      }));
        }
      }
      for (Thread p : publishers) {
        p.join();
      }
      int expected = (cluster.nodes.size() - 1) * THREADS;
      TestCluster.await(
          () ->
              heard.values().stream()
                  .allMatch(
                      m ->
                          m.size() == expected
                              && m.values().stream().allMatch(l -> l.size() >= PER_THREAD)),
          "every message heard: " + sizes(heard));
      TestStacks.discard(cluster.nodes.get(1).cluster.channel()).setDownDiscardRate(0);
      List<String> inOrder = new ArrayList<>();
      for (int i = 0; i < PER_THREAD; i++) {
        inOrder.add(Integer.toString(i));
      }
      for (TestCluster.Node n : cluster.nodes) {
        Map<String, List<String>> mine = heard.get(n.name);
        for (TestCluster.Node from : cluster.nodes) {
          for (int t = 0; t < THREADS; t++) {
            String key = from.name + "/" + t + "#" + (t % 2);
            if (from == n) {
              assertEquals(null, mine.get(key), n.name + " heard its own " + key);
            } else {
              assertEquals(inOrder, mine.get(key), n.name + " heard " + key);
            }
          }
        }
        assertEquals(expected * (long) PER_THREAD, n.cluster.stats().publishesReceived());
        assertEquals(THREADS * (long) PER_THREAD, n.cluster.stats().publishesSent());
        assertEquals(0, n.cluster.stats().publishesDropped());
      }
    }
  }

  private static String sizes(Map<String, Map<String, List<String>>> heard) {
    StringBuilder sb = new StringBuilder();
    heard.forEach(
        (node, m) -> {
          sb.append(node).append('{');
          m.forEach((c, l) -> sb.append(c).append('=').append(l.size()).append(' '));
          sb.append("} ");
        });
    return sb.toString();
  }
}
