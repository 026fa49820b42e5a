package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** requirepass, AUTH and HELLO AUTH, as tests/unit/auth.tcl and src/acl.c of Redis 7.4. */
class AuthIT {
  static final String PASS = "s3cret pass";

  @RegisterExtension
  static final RoostExtension NODE = new RoostExtension(s -> s.requirePass = PASS);

  @RegisterExtension static final RoostExtension OPEN = new RoostExtension();

  static final String NOAUTH = "-NOAUTH Authentication required.\r\n";
  static final String WRONGPASS =
      "-WRONGPASS invalid username-password pair or user is disabled.\r\n";

  @Test
  void commandsNeedAuthenticationFirst() {
    try (RespClient c = NODE.connect()) {
      assertEquals(NOAUTH, c.call("PING"));
      assertEquals(NOAUTH, c.call("ECHO", "x"));
      assertEquals(NOAUTH, c.call("CLIENT", "ID"));
      assertEquals(NOAUTH, c.call("CONFIG", "GET", "*"));
      assertEquals(NOAUTH, c.inline("INFO"));
      // Existence and arity are checked before authentication, as Redis does.
      assertEquals("-ERR unknown command 'nope', with args beginning with: \r\n", c.call("nope"));
      assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", c.call("ECHO"));
      assertEquals(WRONGPASS, c.call("AUTH", "wrong"));
      assertEquals(NOAUTH, c.call("PING"));
      assertEquals("+OK\r\n", c.call("AUTH", PASS));
      assertEquals("+PONG\r\n", c.call("PING"));
    }
  }

  @Test
  void authWithUsername() {
    try (RespClient c = NODE.connect()) {
      assertEquals(WRONGPASS, c.call("AUTH", "other", PASS));
      assertEquals(WRONGPASS, c.call("AUTH", "default", "wrong"));
      assertEquals("+OK\r\n", c.call("AUTH", "default", PASS));
      assertEquals("+PONG\r\n", c.call("PING"));
      assertEquals("-ERR syntax error\r\n", c.call("AUTH", "a", "b", "c"));
      assertEquals("-ERR wrong number of arguments for 'auth' command\r\n", c.call("AUTH"));
    }
  }

  @Test
  void helloNeedsAuthOrAuthenticates() {
    try (RespClient c = NODE.connect()) {
      assertEquals(
          "-NOAUTH HELLO must be called with the client already authenticated, otherwise the"
              + " HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client"
              + " and select the RESP protocol version at the same time\r\n",
          c.call("HELLO", "3"));
      assertEquals(WRONGPASS, c.call("HELLO", "3", "AUTH", "default", "wrong"));
      assertEquals(NOAUTH, c.call("PING"));
      String hello = c.call("HELLO", "3", "AUTH", "default", PASS, "SETNAME", "n1");
      assertTrue(hello.startsWith("%7\r\n"), hello);
      assertEquals("$2\r\nn1\r\n", c.call("CLIENT", "GETNAME"));
    }
  }

  @Test
  void resetDeauthenticates() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", c.call("AUTH", PASS));
      assertEquals("+RESET\r\n", c.call("RESET"));
      assertEquals(NOAUTH, c.call("PING"));
    }
  }

  @Test
  void authWithoutPasswordConfigured() {
    try (RespClient c = OPEN.connect()) {
      assertEquals(
          "-ERR AUTH <password> called without any password configured for the default user."
              + " Are you sure your configuration is correct?\r\n",
          c.call("AUTH", "x"));
      assertEquals("+OK\r\n", c.call("AUTH", "default", "anything"));
      assertEquals(WRONGPASS, c.call("AUTH", "nobody", "x"));
    }
  }

  @Test
  void unauthenticatedClientsHaveTighterProtocolLimits() {
    try (RespClient c = NODE.connect()) {
      c.send("*11\r\n");
      assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", c.read());
      assertTrue(c.awaitClosed());
    }
    try (RespClient c = NODE.connect()) {
      c.send("*2\r\n$4\r\nECHO\r\n$16385\r\n");
      assertEquals("-ERR Protocol error: unauthenticated bulk length\r\n", c.read());
      assertTrue(c.awaitClosed());
    }
    try (RespClient c = NODE.connect()) {
      // The limits lift once authenticated.
      assertEquals("+OK\r\n", c.call("AUTH", PASS));
      String big = "x".repeat(20_000);
      assertEquals("$20000\r\n" + big + "\r\n", c.call("ECHO", big));
      String[] many = new String[12];
      many[0] = "PING";
      for (int i = 1; i < many.length; i++) {
        many[i] = "a";
      }
      assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", c.call(many));
    }
  }

  @Test
  void configSetRequirepassTakesEffectForNewConnections() {
    try (RespClient admin = OPEN.connect();
        RespClient other = OPEN.connect()) {
      assertEquals("+PONG\r\n", other.call("PING"));
      assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", "p2"));
      try (RespClient fresh = OPEN.connect()) {
        assertEquals(NOAUTH, fresh.call("PING"));
        assertEquals("+OK\r\n", fresh.call("AUTH", "p2"));
      }
      // Connections that were already authenticated stay so, as in Redis.
      assertEquals("+PONG\r\n", other.call("PING"));
      assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "requirepass", ""));
    }
  }
}
