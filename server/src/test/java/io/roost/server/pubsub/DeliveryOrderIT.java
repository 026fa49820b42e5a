package io.roost.server.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many publishers, each on its own connection (so spread over the event loops), and subscribers on
 * other loops: every subscriber receives every message exactly once, and each publisher's messages
 * in the order it published them — for channel and pattern subscriptions alike.
 */
class DeliveryOrderIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension(s -> s.ioThreads = 4);

  private static final int PUBLISHERS = 6;
  private static final int MESSAGES = 1500;
  private static final String CHANNEL = "order:ch";

  @Test
  void everyMessageOnceInPublisherOrder() throws Exception {
    List<RespClient> subs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        RespClient c = NODE.connect();
        c.call("SUBSCRIBE", CHANNEL);
        subs.add(c);
      }
      RespClient both = NODE.connect();
      both.call("SUBSCRIBE", CHANNEL);
      both.call("PSUBSCRIBE", "order:*");
      subs.add(both);
      ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < PUBLISHERS; p++) {
        int publisher = p;
        done.add(
            pool.submit(
                () -> {
                  try (RespClient c = NODE.connect()) {
                    StringBuilder batch = new StringBuilder();
                    for (int m = 0; m < MESSAGES; m++) {
                      batch.append(RespClient.multibulk("PUBLISH", CHANNEL, publisher + ":" + m));
                      if (m % 100 == 99) {
                        c.send(batch.toString());
                        batch.setLength(0);
                        for (int r = 0; r < 100; r++) {
                          assertEquals(":5\r\n", c.read());
                        }
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      for (int i = 0; i < subs.size(); i++) {
        boolean withPattern = i == subs.size() - 1;
        int[] nextMessage = new int[PUBLISHERS];
        int[] nextPattern = new int[PUBLISHERS];
        int total = PUBLISHERS * MESSAGES * (withPattern ? 2 : 1);
        for (int k = 0; k < total; k++) {
          String reply = subs.get(i).read();
          String[] parts = reply.split("\r\n");
          boolean pattern = parts[2].equals("pmessage");
          String body = parts[parts.length - 1];
          int publisher = Integer.parseInt(body.substring(0, body.indexOf(':')));
          int seq = Integer.parseInt(body.substring(body.indexOf(':') + 1));
          int[] next = pattern ? nextPattern : nextMessage;
          assertEquals(next[publisher], seq, "subscriber=" + i + " publisher=" + publisher);
          next[publisher]++;
        }
        for (int p = 0; p < PUBLISHERS; p++) {
          assertEquals(MESSAGES, nextMessage[p]);
          assertEquals(withPattern ? MESSAGES : 0, nextPattern[p]);
        }
        // nothing more than that
        assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", subs.get(i).call("PING"));
      }
    } finally {
      for (RespClient c : subs) {
        c.close();
      }
    }
  }
}
