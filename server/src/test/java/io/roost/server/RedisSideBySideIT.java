package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends the same bytes to Roost and to a real {@code redis-server} and asserts identical replies
 * for the subtle cases. The installed redis-server is Debian's 7.0; where 7.0 and 7.4 differ, Roost
 * follows 7.4 and the case is left out here (see the comments).
 */
class RedisSideBySideIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();
  @RegisterExtension static final RedisProcess REDIS = new RedisProcess();

  /**
   * Sends {@code raw} on fresh connections to both servers and compares the first {@code replies}
   * replies, then whether each closed the connection.
   */
  private static void same(String raw, int replies, boolean expectClose) {
    List<String> fromRedis = new ArrayList<>();
    List<String> fromRoost = new ArrayList<>();
    boolean redisClosed;
    boolean roostClosed;
    try (RespClient r = REDIS.connect();
        RespClient o = NODE.connect()) {
      r.send(raw);
      o.send(raw);
      for (int i = 0; i < replies; i++) {
        fromRedis.add(r.read());
        fromRoost.add(o.read());
      }
      if (expectClose) {
        redisClosed = r.awaitClosed();
        roostClosed = o.awaitClosed();
      } else {
        redisClosed = !"+PONG\r\n".equals(r.call("PING"));
        roostClosed = !"+PONG\r\n".equals(o.call("PING"));
      }
    }
    assertEquals(fromRedis, fromRoost, "replies to " + RespClient.printable(raw));
    assertEquals(redisClosed, roostClosed, "connection closed after " + RespClient.printable(raw));
    assertEquals(expectClose, redisClosed, "redis closed after " + RespClient.printable(raw));
  }

  /** {@link #same} for a sequence of multibulk commands that all get replies, no close. */
  private static void sameCommands(String[]... commands) {
    StringBuilder raw = new StringBuilder();
    for (String[] c : commands) {
      raw.append(RespClient.multibulk(c));
    }
    same(raw.toString(), commands.length, false);
  }

  private static String[] cmd(String... args) {
    return args;
  }

  @Test
  void protocolErrors() {
    same("*3000000000\r\n", 1, true);
    same("*abc\r\n", 1, true);
    same("*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", 1, true);
    same("*1\r\nfoo\r\n", 1, true);
    same("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", 1, true);
    same("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n", 1, true);
    same("*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", 1, true);
    same("PING\r\n*1\r\nfoo\r\n", 2, true);
    same("*-10\r\n*0\r\n\r\nPING\r\n", 1, false);
    same("PING " + "x".repeat(70 * 1024), 1, true);
  }

  @Test
  void inlineQuoting() {
    same("ECHO \"a b\"\r\n", 1, false);
    same("ECHO 'it\\'s'\r\n", 1, false);
    same("ECHO \"\\x41\\n\\t\\a\\b\\\\\"\r\n", 1, false);
    same("ECHO '\\n'\r\n", 1, false);
    same("ECHO \"\"\r\n", 1, false);
    same("  echo\tx  \r\n", 1, false);
    same("PING\n", 1, false);
    same("ECHO \"a\"b\r\n", 1, true);
    same("ECHO 'a'b\r\n", 1, true);
    same("ECHO \"open\r\n", 1, true);
    same("set \"\"\"test-key\"\"\" test-value\r\nping\r\n", 1, true);
  }

  @Test
  void unknownCommandAndSubcommandTexts() {
    sameCommands(
        cmd("FOO"),
        cmd("foo", "a", "b c"),
        cmd("x", "a\r\nb"),
        cmd("n".repeat(200), "y".repeat(200), "z"),
        cmd("f", "a".repeat(100), "b".repeat(100), "c"),
        cmd("CLIENT", "FOO"),
        cmd("config", "foo", "x"),
        cmd("COMMAND", "nope"),
        cmd("SLOWLOG", "nope"));
    same("nosuch a 'b c'\r\n", 1, false);
  }

  @Test
  void arityTexts() {
    sameCommands(
        cmd("PING", "a", "b"),
        cmd("ECHO"),
        cmd("ECHO", "a", "b"),
        cmd("CLIENT"),
        cmd("CLIENT", "SETNAME"),
        cmd("client", "setname", "a", "b"),
        cmd("CLIENT", "ID", "x"),
        cmd("CONFIG"),
        cmd("CONFIG", "GET"),
        cmd("CONFIG", "SET", "timeout"),
        cmd("SELECT"),
        cmd("TIME", "x"),
        cmd("CLUSTER"),
        cmd("AUTH"));
  }

  @Test
  void helloErrors() {
    sameCommands(
        cmd("HELLO", "4"),
        cmd("HELLO", "1"),
        cmd("HELLO", "abc"),
        cmd("HELLO", "3.0"),
        cmd("HELLO", "3", "FOO"),
        cmd("HELLO", "3", "AUTH", "default"),
        cmd("HELLO", "3", "setname"),
        cmd("HELLO", "3", "SETNAME", "a b"),
        cmd("HELLO", "3", "AUTH", "nobody", "x"),
        cmd("CLIENT", "GETNAME"));
    // The success reply differs only in version and id, which are checked in
    // ConnectionCommandsIT; Redis 7.0 and 7.4 agree on its shape.
  }

  @Test
  void selectAndAuthWithoutPassword() {
    sameCommands(
        cmd("SELECT", "16"),
        cmd("SELECT", "-1"),
        cmd("SELECT", "x"),
        cmd("SELECT", "99999999999"),
        cmd("SELECT", "15"),
        cmd("AUTH", "x"),
        cmd("AUTH", "default", "anything"),
        cmd("AUTH", "nobody", "x"),
        cmd("AUTH", "a", "b", "c"));
  }

  @Test
  void clientReply() {
    same(
        RespClient.multibulk("CLIENT", "REPLY", "OFF")
            + RespClient.multibulk("PING")
            + RespClient.multibulk("NOSUCH")
            + RespClient.multibulk("CLIENT", "REPLY", "ON")
            + RespClient.multibulk("CLIENT", "REPLY", "SKIP")
            + RespClient.multibulk("ECHO", "skipped")
            + RespClient.multibulk("ECHO", "seen")
            + RespClient.multibulk("CLIENT", "REPLY", "OFF")
            + RespClient.multibulk("CLIENT", "REPLY", "SKIP")
            + RespClient.multibulk("ECHO", "a")
            + RespClient.multibulk("CLIENT", "REPLY", "ON")
            + RespClient.multibulk("CLIENT", "REPLY", "MAYBE"),
        4,
        false);
  }

  @Test
  void clientErrors() {
    // SETINFO and NO-TOUCH are 7.2+ and left out; KILL MAXAGE is 7.4 only.
    sameCommands(
        cmd("CLIENT", "SETNAME", "a b"),
        cmd("CLIENT", "SETNAME", "ok-name"),
        cmd("CLIENT", "GETNAME"),
        cmd("CLIENT", "LIST", "TYPE", "bogus"),
        cmd("CLIENT", "LIST", "ID", "x"),
        cmd("CLIENT", "LIST", "foo"),
        cmd("CLIENT", "KILL", "1.2.3.4:5"),
        cmd("CLIENT", "KILL", "ID", "0"),
        cmd("CLIENT", "KILL", "ID", "x"),
        cmd("CLIENT", "KILL", "TYPE", "bogus"),
        cmd("CLIENT", "KILL", "USER", "bob"),
        cmd("CLIENT", "KILL", "SKIPME", "maybe"),
        cmd("CLIENT", "KILL", "FOO", "bar"),
        cmd("CLIENT", "KILL", "ID", "999999", "SKIPME", "yes"),
        cmd("CLIENT", "PAUSE", "x"),
        cmd("CLIENT", "PAUSE", "-1"),
        cmd("CLIENT", "PAUSE", "10", "READ"),
        cmd("CLIENT", "NO-EVICT", "maybe"),
        cmd("CLIENT", "UNPAUSE"));
  }

  @Test
  void configSetErrors() {
    sameCommands(
        // maxmemory-samples is 1..64 in 7.4 but 1..INT_MAX in 7.0: left out.
        cmd("CONFIG", "SET", "timeout", "-1"),
        cmd("CONFIG", "SET", "maxmemory", "5", "TIMEOUT", "-5"),
        cmd("CONFIG", "SET", "maxmemory-policy", "lru"),
        // loglevel 'nothing' is new in 7.2, so its error text differs from 7.0's: left out.
        cmd("CONFIG", "SET", "protected-mode", "maybe"),
        cmd("CONFIG", "SET", "maxmemory", "lots"),
        cmd("CONFIG", "SET", "maxmemory", "1.5mb"),
        cmd("CONFIG", "SET", "timeout", "soon"),
        cmd("CONFIG", "SET", "timeout", "+5"),
        cmd("CONFIG", "SET", "databases", "4"),
        cmd("CONFIG", "SET", "logfile", "x"),
        cmd("CONFIG", "SET", "nope", "1"),
        cmd("CONFIG", "SET", "timeout", "x", "nope", "1"),
        cmd("CONFIG", "SET", "timeout", "1", "timeout", "2"),
        cmd("CONFIG", "SET", "timeout", "1", "hz"),
        cmd("CONFIG", "SET", "slowlog-log-slower-than", "-2"),
        cmd("CONFIG", "GET", "timeout"),
        cmd("CONFIG", "GET", "no-such-*"),
        cmd("CONFIG", "GET", "MAXMEMORY-POLICY"),
        // Several matches come back in Redis's hash order: only single matches are compared.
        cmd("CONFIG", "GET", "Timeout"),
        cmd("CONFIG", "GET", "hash-max-zip*-value"),
        cmd("CONFIG", "GET", "appendonly"),
        cmd("CONFIG", "GET", "save"));
  }

  @Test
  void miscellaneous() {
    sameCommands(
        cmd("PING"),
        cmd("PING", "x"),
        cmd("ECHO", "\u0000\r\n\u00ff"),
        cmd("CLUSTER", "INFO"),
        cmd("SHUTDOWN", "ABORT"),
        cmd("SHUTDOWN", "BOGUS"),
        cmd("SLOWLOG", "GET", "-2"),
        cmd("SLOWLOG", "GET", "x"),
        cmd("COMMAND", "INFO", "nosuch"),
        // COMMAND GETKEYS has arity -4 in 7.0 and -3 in 7.4: only 4+ word forms compared.
        cmd("COMMAND", "GETKEYS", "nosuch", "k"),
        cmd("COMMAND", "GETKEYS", "PING", "x"),
        cmd("RESET"));
  }
}
