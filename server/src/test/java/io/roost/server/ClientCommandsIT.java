package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.roost.server.net.Client;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLIENT family over real sockets, with Redis 7.4's replies and texts. */
class ClientCommandsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  static long id(RespClient c) {
    String r = c.call("CLIENT", "ID");
    assertEquals(':', r.charAt(0), r);
    return Long.parseLong(r.substring(1, r.length() - 2));
  }

  /** Awaits {@code condition} for at most ten seconds, yielding between checks. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  @Test
  void idsAreUniqueAndIncreasing() {
    // Ids are taken when the server accepts a connection; each connection is known to the server
    // (it answered) before the next one is opened.
    try (RespClient a = NODE.connect()) {
      long ia = id(a);
      try (RespClient b = NODE.connect()) {
        long ib = id(b);
        assertTrue(ia > 0 && ib > ia, ia + " " + ib);
        assertEquals(ia, id(a));
      }
    }
  }

  @Test
  void setnameAndGetname() {
    try (RespClient c = NODE.connect()) {
      assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
      assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", "my-app"));
      assertEquals("$6\r\nmy-app\r\n", c.call("client", "getname"));
      String bad = "-ERR Client names cannot contain spaces, newlines or special characters.\r\n";
      assertEquals(bad, c.call("CLIENT", "SETNAME", "a b"));
      assertEquals(bad, c.call("CLIENT", "SETNAME", "a\nb"));
      assertEquals(bad, c.call("CLIENT", "SETNAME", "\u00e9"));
      assertEquals("$6\r\nmy-app\r\n", c.call("CLIENT", "GETNAME"));
      assertEquals("+OK\r\n", c.call("CLIENT", "SETNAME", ""));
      assertEquals("$-1\r\n", c.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void setinfoAcceptsAttributeNamesInAnyCase() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", c.call("CLIENT", "SETINFO", "LIB-NAME", "jedis"));
      assertEquals("+OK\r\n", c.call("client", "setinfo", "Lib-Ver", "7.1.0"));
      String info = RespClient.payload(c.call("CLIENT", "INFO"));
      assertTrue(info.contains(" lib-name=jedis lib-ver=7.1.0\n"), info);
      assertEquals(
          "-ERR Unrecognized option 'lib-foo'\r\n", c.call("CLIENT", "SETINFO", "lib-foo", "x"));
      assertEquals(
          "-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n",
          c.call("CLIENT", "SETINFO", "LIB-NAME", "a b"));
      assertEquals(
          "-ERR wrong number of arguments for 'client|setinfo' command\r\n",
          c.call("CLIENT", "SETINFO", "lib-name"));
      assertEquals("+OK\r\n", c.call("CLIENT", "SETINFO", "lib-name", ""));
      info = RespClient.payload(c.call("CLIENT", "INFO"));
      assertTrue(info.contains(" lib-name= lib-ver=7.1.0\n"), info);
    }
  }

  @Test
  void infoAndListDescribeClients() {
    try (RespClient a = NODE.connect();
        RespClient b = NODE.connect()) {
      long ia = id(a);
      long ib = id(b);
      b.call("CLIENT", "SETNAME", "bee");
      String info = a.call("CLIENT", "INFO");
      assertTrue(info.startsWith("$"), info);
      String line = RespClient.payload(info);
      assertTrue(line.startsWith("id=" + ia + " addr=127.0.0.1:"), line);
      assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
      for (String field :
          new String[] {
            " laddr=127.0.0.1:" + NODE.port(),
            " name= ",
            " db=0 ",
            " cmd=client|info ",
            " user=default ",
            " resp=2 "
          }) {
        assertTrue(line.contains(field), field + " in " + line);
      }
      String list = RespClient.payload(a.call("CLIENT", "LIST"));
      assertTrue(list.contains("id=" + ia + " "), list);
      assertTrue(list.contains("id=" + ib + " "), list);
      assertTrue(list.contains(" name=bee "), list);
      String only = RespClient.payload(a.call("CLIENT", "LIST", "ID", Long.toString(ib)));
      assertTrue(only.startsWith("id=" + ib + " ") && only.split("\n").length == 1, only);
      String normal = RespClient.payload(a.call("CLIENT", "LIST", "TYPE", "normal"));
      assertTrue(normal.contains("id=" + ia + " "), normal);
      assertEquals("$0\r\n\r\n", a.call("CLIENT", "LIST", "TYPE", "pubsub"));
      assertEquals(
          "-ERR Unknown client type 'bogus'\r\n", a.call("CLIENT", "LIST", "TYPE", "bogus"));
      assertEquals("-ERR Invalid client ID\r\n", a.call("CLIENT", "LIST", "ID", "x"));
      assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "LIST", "foo"));
      a.call("HELLO", "3");
      String verbatim = a.call("CLIENT", "INFO");
      assertTrue(verbatim.startsWith("=") && verbatim.contains("\r\ntxt:id="), verbatim);
    }
  }

  @Test
  void killOldFormByAddress() {
    try (RespClient a = NODE.connect();
        RespClient b = NODE.connect()) {
      assertEquals("+PONG\r\n", b.call("PING"));
      String addr = "127.0.0.1:" + b.socket().getLocalPort();
      assertEquals("+OK\r\n", a.call("CLIENT", "KILL", addr));
      assertTrue(b.awaitClosed());
      assertEquals("-ERR No such client\r\n", a.call("CLIENT", "KILL", addr));
      assertEquals("-ERR No such client\r\n", a.call("CLIENT", "KILL", "1.2.3.4:5"));
    }
  }

  @Test
  void killOldFormMayKillItself() {
    try (RespClient a = NODE.connect()) {
      String addr = "127.0.0.1:" + a.socket().getLocalPort();
      assertEquals("+OK\r\n", a.call("CLIENT", "KILL", addr));
      assertTrue(a.awaitClosed());
    }
  }

  @Test
  void killNewFormWithFilters() {
    try (RespClient a = NODE.connect();
        RespClient b = NODE.connect();
        RespClient c = NODE.connect()) {
      long ib = id(b);
      assertEquals("+PONG\r\n", c.call("PING"));
      assertEquals(":1\r\n", a.call("CLIENT", "KILL", "ID", Long.toString(ib)));
      assertTrue(b.awaitClosed());
      assertEquals(":0\r\n", a.call("CLIENT", "KILL", "ID", Long.toString(ib)));
      String caddr = "127.0.0.1:" + c.socket().getLocalPort();
      assertEquals(":0\r\n", a.call("CLIENT", "KILL", "ADDR", caddr, "TYPE", "pubsub"));
      assertEquals(":1\r\n", a.call("client", "kill", "addr", caddr, "skipme", "yes"));
      assertTrue(c.awaitClosed());
      long ia = id(a);
      assertEquals(":0\r\n", a.call("CLIENT", "KILL", "ID", Long.toString(ia)));
      assertEquals(
          "-ERR client-id should be greater than 0\r\n", a.call("CLIENT", "KILL", "ID", "0"));
      assertEquals(
          "-ERR client-id should be greater than 0\r\n", a.call("CLIENT", "KILL", "ID", "x"));
      assertEquals(
          "-ERR Unknown client type 'bogus'\r\n", a.call("CLIENT", "KILL", "TYPE", "bogus"));
      assertEquals("-ERR No such user 'bob'\r\n", a.call("CLIENT", "KILL", "USER", "bob"));
      assertEquals(
          "-ERR maxage is not an integer or out of range\r\n",
          a.call("CLIENT", "KILL", "MAXAGE", "x"));
      assertEquals(
          "-ERR maxage should be greater than 0\r\n", a.call("CLIENT", "KILL", "MAXAGE", "0"));
      assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "KILL", "SKIPME", "maybe"));
      assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "KILL", "ID", "1", "ADDR"));
      assertEquals("-ERR syntax error\r\n", a.call("CLIENT", "KILL", "FOO", "bar"));
      assertEquals(":1\r\n", a.call("CLIENT", "KILL", "ID", Long.toString(ia), "SKIPME", "no"));
      assertTrue(a.awaitClosed());
    }
  }

  @Test
  void replyOffSkipOn() {
    try (RespClient c = NODE.connect()) {
      // OFF: no reply to OFF itself nor to what follows; ON replies OK. Ordering proves it.
      c.sendCommand("CLIENT", "REPLY", "OFF");
      c.sendCommand("PING");
      c.sendCommand("ECHO", "hidden");
      assertEquals("+OK\r\n", c.call("CLIENT", "REPLY", "ON"));
      // SKIP: no reply to SKIP nor to the next command only.
      c.sendCommand("CLIENT", "REPLY", "SKIP");
      c.sendCommand("ECHO", "skipped");
      assertEquals("$4\r\nseen\r\n", c.call("ECHO", "seen"));
      // SKIP while OFF stays OFF.
      c.sendCommand("CLIENT", "REPLY", "OFF");
      c.sendCommand("CLIENT", "REPLY", "SKIP");
      c.sendCommand("ECHO", "a");
      c.sendCommand("ECHO", "b");
      assertEquals("+OK\r\n", c.call("CLIENT", "REPLY", "ON"));
      // Errors are silenced too.
      c.sendCommand("CLIENT", "REPLY", "OFF");
      c.sendCommand("NOSUCH");
      assertEquals("+OK\r\n", c.call("CLIENT", "REPLY", "ON"));
      assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "REPLY", "MAYBE"));
    }
  }

  @Test
  void noEvictAndNoTouch() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "on"));
      assertTrue(RespClient.payload(c.call("CLIENT", "INFO")).contains(" flags=e "));
      assertEquals("+OK\r\n", c.call("CLIENT", "NO-TOUCH", "ON"));
      assertTrue(RespClient.payload(c.call("CLIENT", "INFO")).contains(" flags=eT "));
      assertEquals("+OK\r\n", c.call("CLIENT", "NO-EVICT", "OFF"));
      assertEquals("+OK\r\n", c.call("CLIENT", "NO-TOUCH", "off"));
      assertTrue(RespClient.payload(c.call("CLIENT", "INFO")).contains(" flags=N "));
      assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "NO-EVICT", "maybe"));
      assertEquals("-ERR syntax error\r\n", c.call("CLIENT", "NO-TOUCH", "maybe"));
    }
  }

  @Test
  void helpListsSubcommands() {
    try (RespClient c = NODE.connect()) {
      String help = c.call("CLIENT", "HELP");
      assertTrue(help.startsWith("*"), help);
      assertTrue(
          help.contains("+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"));
      assertTrue(help.contains("+SETINFO <option> <value>\r\n"), help);
    }
  }

  @Test
  void pauseErrors() {
    try (RespClient c = NODE.connect()) {
      assertEquals(
          "-ERR timeout is not an integer or out of range\r\n", c.call("CLIENT", "PAUSE", "x"));
      assertEquals("-ERR timeout is negative\r\n", c.call("CLIENT", "PAUSE", "-1"));
      assertEquals(
          "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n",
          c.call("CLIENT", "PAUSE", "10", "READ"));
      assertEquals(
          "-ERR wrong number of arguments for 'client|pause' command\r\n",
          c.call("CLIENT", "PAUSE"));
      assertEquals(
          "-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n",
          c.call("CLIENT", "pause", "10", "ALL", "x"));
      assertEquals("+OK\r\n", c.call("CLIENT", "UNPAUSE"));
    }
  }

  private static Client serverSide(long id) {
    Client c = NODE.server().clients().get(id);
    assertTrue(c != null, "no client id=" + id);
    return c;
  }

  @Test
  void pauseAllHoldsEveryCommandUntilUnpaused() {
    try (RespClient a = NODE.connect();
        RespClient b = NODE.connect()) {
      long ib = id(b);
      assertEquals("+OK\r\n", a.call("CLIENT", "PAUSE", "600000", "ALL"));
      try {
        b.sendCommand("ECHO", "held");
        // The command arrived and waits undecoded in b's query buffer.
        await("b's command to be held", () -> serverSide(ib).queryBufferBytes > 0);
        assertNotEquals("echo", serverSide(ib).lastCommand);
      } finally {
        // CLIENT UNPAUSE itself would be held under ALL, as in Redis; unpause in-process.
        NODE.server().unpause();
      }
      assertEquals("$4\r\nheld\r\n", b.read());
      assertEquals("+PONG\r\n", a.call("PING"));
    }
  }

  @Test
  void pauseWriteLetsReadsThrough() {
    try (RespClient a = NODE.connect();
        RespClient b = NODE.connect()) {
      assertEquals("+OK\r\n", a.call("CLIENT", "PAUSE", "600000", "WRITE"));
      try {
        assertEquals("+PONG\r\n", b.call("PING"));
        assertTrue(RespClient.payload(b.call("CLIENT", "LIST")).contains("id="));
        assertTrue(RespClient.payload(b.call("INFO", "server")).contains("redis_version"));
      } finally {
        assertEquals("+OK\r\n", a.call("CLIENT", "UNPAUSE"));
      }
    }
  }

  @Test
  void pauseWriteHoldsAWriteUntilUnpause() {
    assumeTrue(
        NODE.server().commands().find("set") != null
            && NODE.server().commands().find("get") != null,
        "SET/GET are not in the command table yet (store integration pending)");
    try (RespClient a = NODE.connect();
        RespClient b = NODE.connect()) {
      long ib = id(b);
      a.call("DEL", "pause-key");
      assertEquals("+OK\r\n", a.call("CLIENT", "PAUSE", "600000", "WRITE"));
      try {
        b.sendCommand("SET", "pause-key", "v");
        await("b's SET to be held", () -> serverSide(ib).queryBufferBytes > 0);
        // The held write has not run: a read still sees no value.
        assertEquals("$-1\r\n", a.call("GET", "pause-key"));
      } finally {
        assertEquals("+OK\r\n", a.call("CLIENT", "UNPAUSE"));
      }
      assertEquals("+OK\r\n", b.read());
      assertEquals("$1\r\nv\r\n", a.call("GET", "pause-key"));
      assertFalse(NODE.server().paused(true, System.currentTimeMillis()));
    }
  }
}
