package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection commands, error texts and the wire protocol over real sockets, byte for byte as Redis
 * 7.4 answers (texts from src/networking.c, src/server.c, src/db.c, tests/unit/protocol.tcl).
 */
class ConnectionCommandsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final Pattern ID = Pattern.compile("\\$2\r\nid\r\n:(\\d+)\r\n");

  @Test
  void ping() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+PONG\r\n", c.call("PING"));
      assertEquals("+PONG\r\n", c.call("ping"));
      assertEquals("$5\r\nhello\r\n", c.call("PING", "hello"));
      assertEquals("$0\r\n\r\n", c.call("PING", ""));
      assertEquals(
          "-ERR wrong number of arguments for 'ping' command\r\n", c.call("PING", "a", "b"));
      assertEquals(
          "-ERR wrong number of arguments for 'ping' command\r\n", c.call("PING", "x", "y", "z"));
      assertEquals("+PONG\r\n", c.inline("PING"));
    }
  }

  @Test
  void echo() {
    try (RespClient c = NODE.connect()) {
      assertEquals("$3\r\nabc\r\n", c.call("ECHO", "abc"));
      assertEquals("$4\r\n\u0000\r\n\u00ff\r\n", c.call("ECHO", "\u0000\r\n\u00ff"));
      assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.call("ECHO"));
      assertEquals(
          "-ERR wrong number of arguments for 'echo' command\r\n", c.call("ECHO", "a", "b"));
    }
  }

  private static String helloMap(int proto, long id) {
    return (proto == 3 ? "%7\r\n" : "*14\r\n")
        + "$6\r\nserver\r\n$5\r\nredis\r\n"
        + "$7\r\nversion\r\n$5\r\n"
        + Version.REDIS_COMPAT
        + "\r\n"
        + "$5\r\nproto\r\n:"
        + proto
        + "\r\n"
        + "$2\r\nid\r\n:"
        + id
        + "\r\n"
        + "$4\r\nmode\r\n$10\r\nstandalone\r\n"
        + "$4\r\nrole\r\n$6\r\nmaster\r\n"
        + "$7\r\nmodules\r\n*0\r\n";
  }

  private static long id(RespClient c) {
    String r = c.call("CLIENT", "ID");
    return Long.parseLong(r.substring(1, r.length() - 2));
  }

  @Test
  void helloRepliesWithAMapOfBulkKeysAndIntegerProtoAndId() {
    try (RespClient c = NODE.connect()) {
      long id = id(c);
      assertEquals(helloMap(2, id), c.call("HELLO"));
      assertEquals(helloMap(3, id), c.call("HELLO", "3"));
      // Without a version the protocol stays what it is.
      assertEquals(helloMap(3, id), c.call("HELLO"));
      assertEquals("_\r\n", c.call("CLIENT", "GETNAME"));
      assertEquals(helloMap(2, id), c.call("hello", "2"));
      assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
      Matcher m = ID.matcher(c.call("HELLO", "3"));
      assertTrue(m.find());
      assertEquals(id, Long.parseLong(m.group(1)));
    }
  }

  @Test
  void helloErrors() {
    try (RespClient c = NODE.connect()) {
      assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "4"));
      assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "1"));
      assertEquals("-NOPROTO unsupported protocol version\r\n", c.call("HELLO", "-3"));
      assertEquals(
          "-ERR Protocol version is not an integer or out of range\r\n", c.call("HELLO", "abc"));
      assertEquals(
          "-ERR Protocol version is not an integer or out of range\r\n", c.call("HELLO", "3.0"));
      assertEquals("-ERR Syntax error in HELLO option 'FOO'\r\n", c.call("HELLO", "3", "FOO"));
      assertEquals(
          "-ERR Syntax error in HELLO option 'AUTH'\r\n", c.call("HELLO", "3", "AUTH", "default"));
      assertEquals(
          "-ERR Syntax error in HELLO option 'setname'\r\n", c.call("HELLO", "3", "setname"));
      assertEquals(
          "-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
          c.call("HELLO", "3", "SETNAME", "a b"));
      // None of the failed HELLOs changed the protocol.
      assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void helloSetnameAndAuthWithoutPassword() {
    try (RespClient c = NODE.connect()) {
      long id = id(c);
      assertEquals(
          helloMap(3, id), c.call("HELLO", "3", "AUTH", "default", "anything", "SETNAME", "app-1"));
      assertEquals("$5\r\napp-1\r\n", c.call("CLIENT", "GETNAME"));
      assertEquals(
          "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
          c.call("HELLO", "3", "AUTH", "nobody", "x"));
    }
  }

  @Test
  void select() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", c.call("SELECT", "15"));
      assertTrue(RespClient.payload(c.call("CLIENT", "INFO")).contains(" db=15 "));
      assertEquals("+OK\r\n", c.call("SELECT", "0"));
      assertEquals("-ERR DB index is out of range\r\n", c.call("SELECT", "16"));
      assertEquals("-ERR DB index is out of range\r\n", c.call("SELECT", "-1"));
      assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SELECT", "x"));
      assertEquals("-ERR value is not an integer or out of range\r\n", c.call("SELECT", "1.5"));
      assertEquals(
          "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
          c.call("SELECT", "99999999999"));
      assertEquals("-ERR wrong number of arguments for 'select' command\r\n", c.call("SELECT"));
    }
  }

  @Test
  void quitRepliesOkThenCloses() {
    try (RespClient c = NODE.connect()) {
      c.send(RespClient.multibulk("QUIT") + RespClient.multibulk("PING"));
      assertEquals("+OK\r\n", c.read());
      assertTrue(c.awaitClosed());
    }
    try (RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", c.inline("quit"));
      assertTrue(c.awaitClosed());
    }
  }

  @Test
  void resetRestoresAFreshConnection() {
    try (RespClient c = NODE.connect()) {
      long id = id(c);
      c.call("HELLO", "3", "SETNAME", "before");
      c.call("SELECT", "3");
      c.call("CLIENT", "NO-EVICT", "ON");
      assertEquals("+RESET\r\n", c.call("RESET"));
      assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
      String info = RespClient.payload(c.call("CLIENT", "INFO"));
      assertTrue(info.contains(" db=0 "), info);
      assertTrue(info.contains(" resp=2 "), info);
      assertTrue(info.contains(" flags=N "), info);
      assertEquals(id, id(c));
      assertEquals("-ERR wrong number of arguments for 'reset' command\r\n", c.call("RESET", "x"));
    }
  }

  @Test
  void clusterIsDisabled() {
    try (RespClient c = NODE.connect()) {
      assertEquals(
          "-ERR This instance has cluster support disabled\r\n", c.call("CLUSTER", "INFO"));
      assertEquals(
          "-ERR This instance has cluster support disabled\r\n", c.call("cluster", "slots"));
      assertEquals("-ERR wrong number of arguments for 'cluster' command\r\n", c.call("CLUSTER"));
      assertEquals("-ERR This instance has cluster support disabled\r\n", c.call("ASKING"));
      assertEquals(
          "-ERR wrong number of arguments for 'asking' command\r\n", c.call("ASKING", "x"));
    }
  }

  @Test
  void unknownCommandTexts() {
    try (RespClient c = NODE.connect()) {
      assertEquals("-ERR unknown command 'FOO', with args beginning with: \r\n", c.call("FOO"));
      assertEquals(
          "-ERR unknown command 'foo', with args beginning with: 'a' 'b c' \r\n",
          c.call("foo", "a", "b c"));
      assertEquals(
          "-ERR unknown command 'x', with args beginning with: 'a  b' \r\n", c.call("x", "a\r\nb"));
      String longArg = "y".repeat(200);
      assertEquals(
          "-ERR unknown command '"
              + "n".repeat(128)
              + "', with args beginning with: '"
              + "y".repeat(128)
              + "' \r\n",
          c.call("n".repeat(200), longArg, "z"));
      assertEquals(
          "-ERR unknown command 'f', with args beginning with: '"
              + "a".repeat(100)
              + "' '"
              + "b".repeat(25)
              + "' \r\n",
          c.call("f", "a".repeat(100), "b".repeat(100), "c"));
      assertEquals("+PONG\r\n", c.call("PING"));
    }
  }

  @Test
  void unknownSubcommandAndArityTexts() {
    try (RespClient c = NODE.connect()) {
      assertEquals("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n", c.call("CLIENT", "FOO"));
      assertEquals(
          "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n", c.call("config", "foo", "x"));
      assertEquals(
          "-ERR unknown subcommand 'nope'. Try COMMAND HELP.\r\n", c.call("COMMAND", "nope"));
      assertEquals(
          "-ERR unknown subcommand 'nope'. Try SLOWLOG HELP.\r\n", c.call("SLOWLOG", "nope"));
      assertEquals(
          "-ERR wrong number of arguments for 'client|setname' command\r\n",
          c.call("CLIENT", "SETNAME"));
      assertEquals(
          "-ERR wrong number of arguments for 'client|setname' command\r\n",
          c.call("client", "setname", "a", "b"));
      assertEquals("-ERR wrong number of arguments for 'client' command\r\n", c.call("CLIENT"));
      assertEquals("-ERR wrong number of arguments for 'config' command\r\n", c.call("CONFIG"));
      assertEquals(
          "-ERR wrong number of arguments for 'config|get' command\r\n", c.call("CONFIG", "GET"));
      assertEquals(
          "-ERR wrong number of arguments for 'client|id' command\r\n",
          c.call("CLIENT", "ID", "x"));
    }
  }

  @Test
  void inlineCommandsAndQuoting() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+PONG\r\n", c.inline("   PING   "));
      assertEquals("$3\r\na b\r\n", c.inline("ECHO \"a b\""));
      assertEquals("$4\r\nit's\r\n", c.inline("ECHO 'it\\'s'"));
      assertEquals("$3\r\nA\n\t\r\n", c.inline("ECHO \"\\x41\\n\\t\""));
      assertEquals("$2\r\n\\n\r\n", c.inline("ECHO '\\n'"));
      assertEquals("$0\r\n\r\n", c.inline("ECHO \"\""));
      assertEquals("$5\r\nhello\r\n", c.inline("echo\thello"));
      // An empty line is skipped; LF alone ends a line.
      c.send("\r\n\n");
      assertEquals("+PONG\r\n", c.inline("PING"));
      c.send("PING\n");
      assertEquals("+PONG\r\n", c.read());
      assertEquals(
          "-ERR unknown command 'nosuch', with args beginning with: 'a' \r\n",
          c.inline("nosuch a"));
    }
  }

  @Test
  void unbalancedQuotesAreAProtocolError() {
    try (RespClient c = NODE.connect()) {
      c.send("set \"\"\"test-key\"\"\" test-value\r\nping\r\n");
      assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", c.read());
      assertTrue(c.awaitClosed());
    }
    try (RespClient c = NODE.connect()) {
      assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", c.inline("ECHO \"a"));
      assertTrue(c.awaitClosed());
    }
  }

  private static void protocolError(String bytes, String expectedReply) {
    try (RespClient c = NODE.connect()) {
      c.send(bytes);
      assertEquals(expectedReply, c.read(), bytes);
      assertTrue(c.awaitClosed(), "connection stays open after " + bytes);
    }
  }

  @Test
  void protocolErrorsReplyThenClose() {
    protocolError("*3000000000\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    protocolError("*abc\r\n", "-ERR Protocol error: invalid multibulk length\r\n");
    protocolError(
        "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n");
    protocolError("*1\r\nfoo\r\n", "-ERR Protocol error: expected '$', got 'f'\r\n");
    protocolError(
        "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "-ERR Protocol error: invalid bulk length\r\n");
    protocolError(
        "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n",
        "-ERR Protocol error: invalid bulk length\r\n");
    protocolError(
        "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n",
        "-ERR Protocol error: invalid bulk length\r\n");
    protocolError("PING\r\n*1\r\nfoo\r\n", "+PONG\r\n");
    protocolError("*1\r\n$4\r\nPING\r\n*1\r\nfoo\r\n", "+PONG\r\n");
  }

  @Test
  void repliesBeforeAProtocolErrorComeFirst() {
    try (RespClient c = NODE.connect()) {
      c.send("PING\r\n*1\r\nfoo\r\n");
      assertEquals("+PONG\r\n", c.read());
      assertEquals("-ERR Protocol error: expected '$', got 'f'\r\n", c.read());
      assertTrue(c.awaitClosed());
    }
  }

  @Test
  void tooBigInlineRequestIsAProtocolError() {
    try (RespClient c = NODE.connect()) {
      c.send("PING " + "x".repeat(70 * 1024));
      assertEquals("-ERR Protocol error: too big inline request\r\n", c.read());
      assertTrue(c.awaitClosed());
    }
  }

  @Test
  void emptyAndNegativeMultibulkAreSkipped() {
    try (RespClient c = NODE.connect()) {
      c.send("*-10\r\n*0\r\n");
      assertEquals("+PONG\r\n", c.call("PING"));
    }
  }

  @Test
  void commandsSplitAcrossWritesAreReassembled() {
    try (RespClient c = NODE.connect()) {
      String cmd = RespClient.multibulk("ECHO", "split-me");
      for (int i = 0; i < cmd.length(); i++) {
        c.send(cmd.substring(i, i + 1));
      }
      assertEquals("$8\r\nsplit-me\r\n", c.read());
    }
  }

  @Test
  void tenThousandPipelinedCommandsReplyInOrder() throws Exception {
    int n = 10_000;
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      all.append(i % 2 == 0 ? RespClient.multibulk("ECHO", "v" + i) : "ECHO v" + i + "\r\n");
    }
    try (RespClient c = NODE.connect()) {
      Thread writer = Thread.ofPlatform().start(() -> c.send(all.toString()));
      for (int i = 0; i < n; i++) {
        String v = "v" + i;
        assertEquals("$" + v.length() + "\r\n" + v + "\r\n", c.read(), "reply " + i);
      }
      writer.join(RespClient.DEFAULT_TIMEOUT_MS);
      assertEquals("+PONG\r\n", c.call("PING"));
    }
  }
}
