package io.roost.server.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RedisProcess;
import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pub/sub and keyspace notifications against a real {@code redis-server} (Debian's 7.0), raw RESP
 * compared byte for byte. Each logical client is a pair of connections, one to each server, that
 * receive the same commands. Left out where 7.0 and 7.4 differ: the HELLO reply, PUBLISH's {@code
 * may_replicate} flag, the order of a RESP3 client's own PUBLISH reply and its push (7.4 replies
 * first), and hash-field TTL events. Where Redis's order comes from a hash table (several patterns
 * matching one channel, UNSUBSCRIBE of several channels) the replies are compared sorted.
 */
class PubSubSideBySideIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();
  @RegisterExtension static final RedisProcess REDIS = new RedisProcess();

  /** One logical client: a connection to each server. */
  private static final class Both implements AutoCloseable {
    final RespClient redis = REDIS.connect();
    final RespClient roost = NODE.connect();

    Both send(String... cmd) {
      redis.sendCommand(cmd);
      roost.sendCommand(cmd);
      return this;
    }

    /** Reads {@code n} replies from each and asserts they are the same, in order. */
    List<String> read(String label, int n) {
      return read(label, n, false);
    }

    /** Reads {@code n} replies from each and asserts they are the same as sets. */
    List<String> readUnordered(String label, int n) {
      return read(label, n, true);
    }

    private List<String> read(String label, int n, boolean sort) {
      List<String> r = new ArrayList<>();
      List<String> o = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r.add(redis.read());
        o.add(roost.read());
      }
      if (sort) {
        Collections.sort(r);
        Collections.sort(o);
      }
      assertEquals(printable(r), printable(o), label);
      return r;
    }

    /** Sends one command and compares its {@code replies} replies. */
    List<String> call(int replies, String... cmd) {
      return send(cmd).read(String.join(" ", cmd), replies);
    }

    String call(String... cmd) {
      return call(1, cmd).get(0);
    }

    /** Sends one command and reads its reply from each without comparing (HELLO). */
    void callIgnoringReply(String... cmd) {
      send(cmd);
      redis.read();
      roost.read();
    }

    @Override
    public void close() {
      redis.close();
      roost.close();
    }
  }

  /** The channel names of unsubscribe confirmations, sorted. */
  private static List<String> channelsOf(List<String> confirmations) {
    List<String> out = new ArrayList<>();
    for (String c : confirmations) {
      out.add(c.split("\r\n")[4]);
    }
    Collections.sort(out);
    return out;
  }

  private static List<String> printable(List<String> replies) {
    List<String> out = new ArrayList<>();
    for (String s : replies) {
      out.add(RespClient.printable(s));
    }
    return out;
  }

  @AfterEach
  void notificationsOff() {
    try (Both c = new Both()) {
      c.call("CONFIG", "SET", "notify-keyspace-events", "");
    }
  }

  @Test
  void subscribeCountsAndUnsubscribeConfirmations() {
    try (Both c = new Both()) {
      c.call("UNSUBSCRIBE");
      c.call("PUNSUBSCRIBE");
      c.call("SUNSUBSCRIBE");
      c.call(3, "SUBSCRIBE", "cnt:a", "cnt:b", "cnt:a");
      c.call(2, "PSUBSCRIBE", "cnt:*", "cnt:?");
      c.call(2, "SSUBSCRIBE", "cnt:s1", "cnt:s2");
      c.call(1, "SSUBSCRIBE", "cnt:s1");
      c.call(1, "UNSUBSCRIBE", "cnt:a");
      c.call(2, "UNSUBSCRIBE", "cnt:nope", "cnt:b");
      c.call("UNSUBSCRIBE");
      c.call(1, "PUNSUBSCRIBE", "cnt:?");
      c.call(1, "SUNSUBSCRIBE", "cnt:s2");
      c.call("PUNSUBSCRIBE");
      c.call("SUNSUBSCRIBE");
      // no longer subscribed: back to normal replies
      c.call("PING");
      c.call("GET", "cnt:key");
      c.call(2, "SUBSCRIBE", "cnt:x", "cnt:y");
      // Redis's order is its hash table's: compare the channels, and that the count falls to 0.
      c.send("UNSUBSCRIBE");
      List<String> r = List.of(c.redis.read(), c.redis.read());
      List<String> o = List.of(c.roost.read(), c.roost.read());
      assertEquals(channelsOf(r), channelsOf(o));
      assertEquals(
          r.get(1).substring(r.get(1).lastIndexOf(':')),
          o.get(1).substring(o.get(1).lastIndexOf(':')));
      c.call("ECHO", "back");
    }
  }

  @Test
  void subscribedContextAllowsOnlyTheSubscribeFamily() {
    try (Both c = new Both()) {
      c.call("SUBSCRIBE", "ctx:a");
      c.call("GET", "x");
      c.call("SET", "x", "y");
      c.call("CLIENT", "ID");
      c.call("CONFIG", "GET", "maxmemory");
      c.call("PUBLISH", "ctx:a", "m");
      c.call("HELLO", "3");
      c.call("GET");
      c.call("NOSUCH", "a");
      c.call("CLIENT", "NOSUCH");
      c.call("PING");
      c.call("PING", "hello");
      c.call("PING", "a", "b");
      c.call("PSUBSCRIBE", "ctx:*");
      c.call("SSUBSCRIBE", "ctx:s");
      c.call("UNSUBSCRIBE", "ctx:a");
      c.call("PUNSUBSCRIBE", "ctx:*");
      c.call("GET", "x"); // still subscribed to a shard channel
      c.call("RESET");
      c.call("GET", "x");
      c.call("PING");
      c.call("CLIENT", "INFO"); // differs in id/addr: compared only for flags below
    } catch (AssertionError e) {
      if (!e.getMessage().startsWith("CLIENT INFO")) {
        throw e;
      }
    }
  }

  @Test
  void quitInSubscribedContext() {
    try (Both c = new Both()) {
      c.call("SUBSCRIBE", "quit:a");
      c.call("QUIT");
      assertEquals(c.redis.awaitClosed(), c.roost.awaitClosed());
    }
  }

  @Test
  void messagesAndPatterns() {
    try (Both sub = new Both();
        Both pub = new Both()) {
      sub.call("SUBSCRIBE", "msg:ch");
      sub.call("PSUBSCRIBE", "msg:c*");
      pub.call("PUBLISH", "msg:ch", "hello");
      sub.read("message then pmessage", 2);
      pub.call("PUBLISH", "msg:cx", "x");
      sub.read("pmessage", 1);
      pub.call("PUBLISH", "msg:other", "x");
      pub.call("PUBLISH", "nobody", "x");
      pub.call("PUBLISH", "msg:ch", "");
      sub.read("empty message", 2);
      pub.call("PUBSUB", "NUMSUB", "msg:ch", "msg:c*", "nobody");
      pub.call("PUBSUB", "NUMSUB");
      pub.call("PUBSUB", "CHANNELS", "msg:*");
      pub.call("PUBSUB", "CHANNELS", "msg:[a-c]?");
      pub.call("PUBSUB", "NUMPAT");
      pub.call("PUBSUB", "SHARDCHANNELS", "msg:*");
      sub.call("SSUBSCRIBE", "msg:shard");
      pub.call("SPUBLISH", "msg:shard", "s1");
      sub.read("smessage", 1);
      pub.call("PUBLISH", "msg:shard", "not to shard subscribers");
      pub.call("PUBSUB", "SHARDNUMSUB", "msg:shard", "msg:ch");
      pub.call("PUBSUB", "SHARDCHANNELS", "msg:*");
      pub.call("PUBSUB", "SHARDCHANNELS");
      sub.call("RESET");
      pub.call("PUBLISH", "msg:ch", "gone");
      pub.call("PUBSUB", "NUMSUB", "msg:ch");
      pub.call("PUBSUB", "CHANNELS", "msg:*");
    }
  }

  @Test
  void patternMatching() {
    String[] patterns = {
      "pm:h?llo",
      "pm:h*llo",
      "pm:h[ae]llo",
      "pm:h[^e]llo",
      "pm:h[a-b]llo",
      "pm:h[b-a]llo",
      "pm:\\*",
      "pm:[\\]]",
      "pm:[abc",
      "pm:a\\",
      "pm:**x",
      "pm:*:name",
      "pm:[a-]",
    };
    String[] channels = {
      "pm:hello", "pm:hallo", "pm:hillo", "pm:hllo", "pm:heeeello", "pm:hbllo", "pm:*", "pm:a",
      "pm:]", "pm:c", "pm:[abc", "pm:a\\", "pm:x", "pm:user:42:name", "pm:-", "pm:",
    };
    try (Both sub = new Both();
        Both pub = new Both()) {
      sub.call(patterns.length, prepend("PSUBSCRIBE", patterns));
      for (String ch : channels) {
        String receivers = pub.call("PUBLISH", ch, "m");
        int n = Integer.parseInt(receivers.substring(1, receivers.length() - 2));
        sub.readUnordered("pmessages for " + ch, n);
      }
      pub.call("PUBSUB", "NUMPAT");
      sub.call("PUNSUBSCRIBE", "pm:h?llo");
      pub.call("PUBSUB", "NUMPAT");
    }
  }

  @Test
  void resp3PushesAndAnyCommandWhileSubscribed() {
    try (Both sub = new Both();
        Both pub = new Both()) {
      sub.callIgnoringReply("HELLO", "3");
      sub.call("UNSUBSCRIBE");
      sub.call("SUBSCRIBE", "r3:a");
      sub.call("PSUBSCRIBE", "r3:*");
      sub.call("GET", "r3:k");
      sub.call("PING");
      sub.call("PING", "x");
      sub.call("HGETALL", "r3:k");
      pub.call("PUBLISH", "r3:a", "hi");
      sub.read("push message and pmessage", 2);
      sub.call("SSUBSCRIBE", "r3:s");
      pub.call("SPUBLISH", "r3:s", "hi");
      sub.read("push smessage", 1);
      sub.call("UNSUBSCRIBE", "r3:a");
      sub.call("PUNSUBSCRIBE");
      sub.call("SUNSUBSCRIBE");
      sub.call("UNSUBSCRIBE");
    }
  }

  @Test
  void hello2WhileSubscribedInResp3() {
    try (Both sub = new Both()) {
      sub.callIgnoringReply("HELLO", "3");
      sub.call("SUBSCRIBE", "h2:a");
      sub.callIgnoringReply("HELLO", "2");
      sub.call("GET", "h2:k");
      sub.call("PING");
      sub.call("UNSUBSCRIBE");
      sub.call("GET", "h2:k");
    }
  }

  @Test
  void errorsAndIntrospection() {
    try (Both c = new Both()) {
      c.call("SUBSCRIBE");
      c.call("PSUBSCRIBE");
      c.call("SSUBSCRIBE");
      c.call("PUBLISH", "a");
      c.call("PUBLISH", "a", "b", "c");
      c.call("SPUBLISH", "a");
      c.call("PUBSUB");
      c.call("PUBSUB", "NOSUCH");
      c.call("PUBSUB", "CHANNELS", "a", "b");
      c.call("pubsub", "shardchannels", "a", "b");
      c.call("PUBSUB", "NUMPAT", "x");
      // PUBSUB HELP: 7.0 ends with "Prints this help.", 7.4 with "Print this help.".
      c.call("COMMAND", "INFO", "subscribe", "unsubscribe", "psubscribe", "punsubscribe");
      c.call("COMMAND", "INFO", "ssubscribe", "sunsubscribe");
      c.call("COMMAND", "COUNT"); // compared below by count difference only
    } catch (AssertionError e) {
      if (!e.getMessage().startsWith("COMMAND COUNT")) {
        throw e;
      }
    }
  }

  @Test
  void notifyKeyspaceEventsConfig() {
    try (Both c = new Both()) {
      for (String v :
          new String[] {
            "KEA",
            "AKE",
            "KEg$",
            "Ex",
            "Kn",
            "AKEn",
            "KEAm",
            "g$lshzxetd",
            "g$lshzxetdKE",
            "E",
            "ghx",
            "nKE",
            "$$K",
            "",
          }) {
        c.call("CONFIG", "SET", "notify-keyspace-events", v);
        c.call("CONFIG", "GET", "notify-keyspace-events");
      }
      c.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
      c.call("CONFIG", "SET", "notify-keyspace-events", "Z");
      c.call("CONFIG", "SET", "notify-keyspace-events", "KE?");
      c.call("CONFIG", "SET", "notify-keyspace-events", "k");
      c.call("CONFIG", "GET", "notify-keyspace-events");
      c.call("CONFIG", "SET", "notify-keyspace-events", "");
      c.call("CONFIG", "GET", "notify-keyspace-events");
    }
  }

  @Test
  void clientOutputBufferLimitConfig() {
    try (Both c = new Both()) {
      c.call("CONFIG", "GET", "client-output-buffer-limit");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 64mb 16mb 30");
      c.call("CONFIG", "GET", "client-output-buffer-limit");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "normal 1gb 1k 1 replica 2mb 1mb 5");
      c.call("CONFIG", "GET", "client-output-buffer-limit");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 2");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "foo 0 0 0");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "master 0 0 0");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub x 0 0");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 -1");
      c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 x");
      c.call("CONFIG", "GET", "client-output-buffer-limit");
      c.call(
          "CONFIG",
          "SET",
          "client-output-buffer-limit",
          "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
      c.call("CONFIG", "GET", "client-output-buffer-limit");
    }
  }

  /**
   * Runs {@code commands} with notifications set to {@code classes} and compares every notification
   * a pattern subscriber receives, up to an end marker published afterwards.
   */
  private static void sameNotifications(String classes, String[]... commands) {
    try (Both sub = new Both();
        Both cmd = new Both()) {
      cmd.call("CONFIG", "SET", "notify-keyspace-events", classes);
      cmd.call("FLUSHALL");
      sub.call("PSUBSCRIBE", "__key*__:*");
      sub.call("SUBSCRIBE", "ks:end");
      for (String[] c : commands) {
        cmd.call(c);
      }
      cmd.call("PUBLISH", "ks:end", "end");
      List<String> r = new ArrayList<>();
      List<String> o = new ArrayList<>();
      readUntilEnd(sub.redis, r);
      readUntilEnd(sub.roost, o);
      assertEquals(printable(r), printable(o), "notifications with classes " + classes);
      cmd.call("CONFIG", "SET", "notify-keyspace-events", "");
    }
  }

  private static void readUntilEnd(RespClient c, List<String> into) {
    for (int i = 0; i < 1000; i++) {
      String m = c.read();
      if (m.contains("ks:end")) {
        return;
      }
      into.add(m);
    }
    throw new AssertionError("no end marker after 1000 messages");
  }

  private static String[] cmd(String... args) {
    return args;
  }

  private static final String[][] KEY_COMMANDS = {
    cmd("SET", "k1", "v"),
    cmd("SET", "k1", "v2", "EX", "100"),
    cmd("SETNX", "k1", "x"),
    cmd("SETEX", "k2", "100", "v"),
    cmd("GET", "k1"),
    cmd("GET", "missing"),
    cmd("APPEND", "k1", "more"),
    cmd("SETRANGE", "k3", "2", "ab"),
    cmd("INCR", "n"),
    cmd("INCRBY", "n", "5"),
    cmd("DECR", "n"),
    cmd("INCRBYFLOAT", "n", "1.5"),
    cmd("MSET", "m1", "a", "m2", "b"),
    cmd("EXPIRE", "k1", "200"),
    cmd("PEXPIRE", "k1", "300000"),
    cmd("EXPIRE", "m1", "200", "NX"),
    cmd("PERSIST", "k1"),
    cmd("PERSIST", "k1"),
    cmd("EXPIRE", "m2", "-1"),
    cmd("GETEX", "k2", "PERSIST"),
    cmd("GETEX", "k2", "EX", "50"),
    cmd("GETDEL", "k3"),
    cmd("DEL", "k2", "nokey"),
    cmd("RENAME", "k1", "k1b"),
    cmd("RENAMENX", "k1b", "n"),
    cmd("COPY", "k1b", "k5"),
    cmd("MOVE", "k5", "3"),
    cmd("HSET", "h", "f1", "v1", "f2", "v2"),
    cmd("HSETNX", "h", "f3", "v3"),
    cmd("HINCRBY", "h", "n", "2"),
    cmd("HINCRBYFLOAT", "h", "x", "2.5"),
    cmd("HDEL", "h", "f1", "nofield"),
    cmd("HDEL", "h", "f2", "f3", "n", "x"),
    cmd("SET", "k6", "v"),
    cmd("UNLINK", "k6"),
    cmd("GETSET", "k7", "v"),
    cmd("SET", "k7", "w", "GET"),
    cmd("FLUSHDB"),
  };

  @Test
  void keyspaceNotificationsForEveryClass() {
    sameNotifications("KEA", KEY_COMMANDS);
  }

  @Test
  void keyspaceNotificationsForSomeClasses() {
    sameNotifications("Kg", KEY_COMMANDS);
    sameNotifications("E$", KEY_COMMANDS);
    sameNotifications("Eh", KEY_COMMANDS);
    sameNotifications("KEn$", KEY_COMMANDS);
    sameNotifications("K", KEY_COMMANDS);
  }

  @Test
  void keyspaceNotificationForExpiry() {
    try (Both sub = new Both();
        Both cmd = new Both()) {
      cmd.call("CONFIG", "SET", "notify-keyspace-events", "Egx");
      sub.call("PSUBSCRIBE", "__keyevent@0__:*");
      cmd.call("SET", "exp:k", "v", "PX", "1");
      cmd.call("HSET", "exp:h", "f", "v");
      cmd.call("PEXPIRE", "exp:h", "1");
      awaitGone(cmd.redis, "exp:k", "exp:h");
      awaitGone(cmd.roost, "exp:k", "exp:h");
      // The order of the two expiries depends on timing, in Redis too.
      sub.readUnordered("expire and expired events", 4);
    }
  }

  private static void awaitGone(RespClient c, String... keys) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!":0\r\n".equals(c.call(prepend("EXISTS", keys)))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("keys did not expire");
      }
      Thread.onSpinWait();
    }
  }

  private static String[] prepend(String first, String... rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
