package io.roost.server.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.roost.server.LettuceClients;
import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Pub/sub through real clients: Jedis's {@code JedisPubSub} (RESP2, the subscribed context) and
 * Lettuce's pub/sub connections in RESP2 and RESP3 (push frames), plus keyspace notifications as
 * Spring Session reads them.
 */
class PubSubClientsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final long WAIT_S = 10;

  @Test
  void jedisPubSub() throws Exception {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch subscribed = new CountDownLatch(2);
    JedisPubSub listener =
        new JedisPubSub() {
          @Override
          public void onMessage(String channel, String message) {
            got.add(channel + "=" + message);
            if (message.equals("last")) {
              unsubscribe();
              punsubscribe();
            }
          }

          @Override
          public void onPMessage(String pattern, String channel, String message) {
            got.add(pattern + ":" + channel + "=" + message);
          }

          @Override
          public void onSubscribe(String channel, int count) {
            subscribed.countDown();
          }

          @Override
          public void onPSubscribe(String pattern, int count) {
            subscribed.countDown();
          }
        };
    try (Jedis sub = new Jedis(new HostAndPort("127.0.0.1", NODE.port()));
        Jedis pub = new Jedis(new HostAndPort("127.0.0.1", NODE.port()))) {
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      sub.subscribe(listener, "jedis:a");
                    } catch (RuntimeException e) {
                      failure.set(e);
                    }
                  });
      // JedisPubSub subscribes its patterns from the listener once the first confirmation came.
      while (listener.getSubscribedChannels() == 0) {
        Thread.onSpinWait();
      }
      listener.psubscribe("jedis:*");
      assertTrue(subscribed.await(WAIT_S, TimeUnit.SECONDS));
      assertEquals(2L, pub.publish("jedis:a", "one"));
      assertEquals(1L, pub.publish("jedis:b", "two"));
      long n = pub.publish("jedis:a", "last");
      assertEquals(
          2L,
          n,
          () ->
              "got="
                  + got
                  + " numsub="
                  + pub.pubsubNumSub("jedis:a")
                  + " numpat="
                  + pub.pubsubNumPat()
                  + " clients="
                  + pub.clientList());
      t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
      assertEquals("jedis:a=one", got.poll(WAIT_S, TimeUnit.SECONDS));
      assertEquals("jedis:*:jedis:a=one", got.poll(WAIT_S, TimeUnit.SECONDS));
      assertEquals("jedis:*:jedis:b=two", got.poll(WAIT_S, TimeUnit.SECONDS));
      assertEquals("jedis:a=last", got.poll(WAIT_S, TimeUnit.SECONDS));
      // after unsubscribing the connection is a normal one again
      assertEquals("PONG", sub.ping());
      assertEquals(0L, pub.publish("jedis:a", "nobody"));
    }
  }

  @Test
  void lettuceResp3PushesWhileRunningCommands() throws Exception {
    lettuce(ProtocolVersion.RESP3);
  }

  @Test
  void lettuceResp2() throws Exception {
    lettuce(ProtocolVersion.RESP2);
  }

  private static void lettuce(ProtocolVersion protocol) throws Exception {
    RedisClient client = LettuceClients.create(NODE.port(), protocol);
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        StatefulRedisConnection<String, String> pub = client.connect()) {
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              got.add(channel + "=" + message);
            }

            @Override
            public void message(String pattern, String channel, String message) {
              got.add(pattern + ":" + channel + "=" + message);
            }
          });
      String ch = "lettuce:" + protocol;
      sub.sync().subscribe(ch);
      sub.sync().psubscribe(ch + ":*");
      if (protocol == ProtocolVersion.RESP3) {
        // RESP3: any command on the subscribed connection
        assertEquals("PONG", sub.sync().ping());
        sub.sync().set(ch + ":k", "v");
        assertEquals("v", sub.sync().get(ch + ":k"));
      }
      assertEquals(1L, pub.sync().publish(ch, "m1"));
      assertEquals(1L, pub.sync().publish(ch + ":x", "m2"));
      assertEquals("[" + ch + "]", pub.sync().pubsubChannels(ch).toString());
      assertEquals(1L, pub.sync().pubsubNumsub(ch).get(ch));
      assertEquals(ch + "=m1", got.poll(WAIT_S, TimeUnit.SECONDS));
      assertEquals(ch + ":*:" + ch + ":x=m2", got.poll(WAIT_S, TimeUnit.SECONDS));
      sub.sync().unsubscribe(ch);
      sub.sync().punsubscribe(ch + ":*");
      assertEquals(0L, pub.sync().publish(ch, "gone"));
    } finally {
      LettuceClients.shutdown(client);
    }
  }

  @Test
  void resp3OwnPublishRepliesBeforeItsPush() {
    // Redis 7.4 defers pushes to the client running the command until after its reply.
    try (RespClient c = NODE.connect()) {
      c.call("HELLO", "3");
      c.call("SUBSCRIBE", "self:a");
      assertEquals(":1\r\n", c.call("PUBLISH", "self:a", "me"));
      assertEquals(">3\r\n$7\r\nmessage\r\n$6\r\nself:a\r\n$2\r\nme\r\n", c.read());
    }
  }

  @Test
  void keyspaceNotificationsThroughLettuce() throws Exception {
    RedisClient client = LettuceClients.create(NODE.port(), ProtocolVersion.RESP3);
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        StatefulRedisConnection<String, String> cmd = client.connect()) {
      cmd.sync().configSet("notify-keyspace-events", "Egx");
      BlockingQueue<String> got = new LinkedBlockingQueue<>();
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
              got.add(channel + "=" + message);
            }
          });
      sub.sync().psubscribe("__keyevent@*__:*");
      cmd.sync().set("sess:1", "x");
      cmd.sync().pexpire("sess:1", 1);
      cmd.sync().del("sess:none");
      assertEquals("__keyevent@0__:expire=sess:1", got.poll(WAIT_S, TimeUnit.SECONDS));
      // active expiry raises "expired" with nobody reading the key
      assertEquals("__keyevent@0__:expired=sess:1", got.poll(WAIT_S, TimeUnit.SECONDS));
      cmd.sync().configSet("notify-keyspace-events", "");
      cmd.sync().set("sess:2", "x");
      cmd.sync().del("sess:2");
      cmd.sync().publish("__keyevent@0__:marker", "end");
      assertEquals("__keyevent@0__:marker=end", got.poll(WAIT_S, TimeUnit.SECONDS));
      assertEquals(List.of(), List.copyOf(got));
    } finally {
      LettuceClients.shutdown(client);
    }
  }
}
