package io.roost.server.command.keys;

import static io.roost.server.Replies.NIL;
import static io.roost.server.Replies.OK;
import static io.roost.server.Replies.bulk;
import static io.roost.server.Replies.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import io.roost.server.command.string.StoreFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Generic key commands, OBJECT and MEMORY over a real socket, byte for byte. */
class KeyCommandsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  @RegisterExtension
  static final RoostExtension LFU = new RoostExtension(s -> s.maxMemoryPolicy = "allkeys-lfu");

  private RespClient c;

  @BeforeEach
  void connect() {
    c = StoreFixtures.connectFlushed(NODE);
  }

  @AfterEach
  void close() {
    c.close();
  }

  @Test
  void delUnlinkExistsTouchType() {
    assertEquals(OK, c.call("MSET", "a", "1", "b", "2", "c", "3"));
    assertEquals(integer(3), c.call("EXISTS", "a", "a", "h", "missing"));
    assertEquals(integer(2), c.call("TOUCH", "a", "b", "missing"));
    assertEquals("+string\r\n", c.call("TYPE", "a"));
    assertEquals("+hash\r\n", c.call("TYPE", "h"));
    assertEquals("+none\r\n", c.call("TYPE", "missing"));
    assertEquals(integer(2), c.call("DEL", "a", "a", "h", "missing"));
    assertEquals(integer(2), c.call("UNLINK", "b", "c"));
    assertEquals(integer(0), c.call("EXISTS", "a", "b", "c", "h"));
    assertEquals("-ERR wrong number of arguments for 'del' command\r\n", c.call("DEL"));
  }

  @Test
  void renameAndRenameNx() {
    assertEquals("-ERR no such key\r\n", c.call("RENAME", "missing", "x"));
    assertEquals("-ERR no such key\r\n", c.call("RENAMENX", "missing", "x"));
    assertEquals(OK, c.call("SET", "a", "1", "EX", "100"));
    assertEquals(OK, c.call("RENAME", "a", "a"));
    assertEquals(integer(0), c.call("RENAMENX", "a", "a"));
    assertEquals(OK, c.call("RENAME", "a", "b"));
    assertEquals(integer(0), c.call("EXISTS", "a"));
    assertTrue(c.call("TTL", "b").matches(":(9[0-9]|100)\r\n"), "RENAME keeps the TTL");
    assertEquals(OK, c.call("SET", "a", "2"));
    assertEquals(integer(0), c.call("RENAMENX", "a", "b"));
    assertEquals(integer(1), c.call("RENAMENX", "a", "c"));
    assertEquals(OK, c.call("RENAME", "c", "h"));
    assertEquals("+string\r\n", c.call("TYPE", "h"));
  }

  @Test
  void copyAndMove() {
    assertEquals(OK, c.call("SET", "a", "1"));
    assertEquals(integer(1), c.call("COPY", "a", "b"));
    assertEquals(integer(0), c.call("COPY", "a", "b"));
    assertEquals(integer(0), c.call("COPY", "missing", "x"));
    assertEquals(OK, c.call("SET", "a", "2"));
    assertEquals(integer(1), c.call("COPY", "a", "b", "REPLACE"));
    assertEquals(bulk("2"), c.call("GET", "b"));
    assertEquals(integer(1), c.call("COPY", "h", "h2"));
    assertEquals("+hash\r\n", c.call("TYPE", "h2"));
    assertEquals("-ERR source and destination objects are the same\r\n", c.call("COPY", "a", "a"));
    assertEquals("-ERR DB index is out of range\r\n", c.call("COPY", "a", "b", "DB", "16"));
    assertEquals(
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n",
        c.call("COPY", "a", "b", "DB", "2147483648"));
    assertEquals("-ERR syntax error\r\n", c.call("COPY", "a", "b", "DB"));
    assertEquals(integer(1), c.call("COPY", "a", "a", "DB", "3"));
    assertEquals("-ERR source and destination objects are the same\r\n", c.call("MOVE", "a", "0"));
    assertEquals("-ERR DB index is out of range\r\n", c.call("MOVE", "a", "-1"));
    assertEquals(integer(0), c.call("MOVE", "a", "3"));
    assertEquals(integer(1), c.call("MOVE", "b", "3"));
    assertEquals(integer(0), c.call("MOVE", "missing", "3"));
    assertEquals(OK, c.call("SELECT", "3"));
    assertEquals("*2\r\n$1\r\n2\r\n$1\r\n2\r\n", c.call("MGET", "a", "b"));
  }

  @Test
  void randomKey() {
    assertEquals(integer(1), c.call("DEL", "h"));
    assertEquals(NIL, c.call("RANDOMKEY"));
    assertEquals(OK, c.call("MSET", "a", "1", "b", "2"));
    for (int i = 0; i < 20; i++) {
      String k = c.call("RANDOMKEY");
      assertTrue(k.equals(bulk("a")) || k.equals(bulk("b")), k);
    }
    c.call("HELLO", "3");
    assertEquals(integer(2), c.call("DEL", "a", "b"));
    assertEquals("_\r\n", c.call("RANDOMKEY"));
  }

  @Test
  void object() {
    assertEquals(OK, c.call("MSET", "i", "123", "big", "100000", "s", "abc", "r", "x".repeat(45)));
    assertEquals(bulk("int"), c.call("OBJECT", "ENCODING", "i"));
    assertEquals(bulk("embstr"), c.call("OBJECT", "ENCODING", "s"));
    assertEquals(bulk("raw"), c.call("OBJECT", "ENCODING", "r"));
    assertEquals(bulk("listpack"), c.call("OBJECT", "ENCODING", "h"));
    assertEquals(NIL, c.call("OBJECT", "ENCODING", "missing"));
    assertEquals(integer(Integer.MAX_VALUE), c.call("OBJECT", "REFCOUNT", "i"));
    assertEquals(integer(1), c.call("OBJECT", "REFCOUNT", "big"));
    assertEquals(integer(1), c.call("OBJECT", "REFCOUNT", "s"));
    assertEquals(NIL, c.call("OBJECT", "REFCOUNT", "missing"));
    assertTrue(c.call("OBJECT", "IDLETIME", "s").matches(":[0-9]+\r\n"));
    assertTrue(c.call("OBJECT", "FREQ", "s").startsWith("-ERR An LFU maxmemory policy is not"));
    assertEquals(NIL, c.call("OBJECT", "FREQ", "missing"));
    assertEquals(
        "-ERR unknown subcommand 'nope'. Try OBJECT HELP.\r\n", c.call("OBJECT", "nope", "x"));
    assertEquals(
        "-ERR wrong number of arguments for 'object|encoding' command\r\n",
        c.call("OBJECT", "ENCODING"));
    assertTrue(c.call("OBJECT", "HELP").startsWith("*15\r\n+OBJECT <subcommand>"));
    try (RespClient lfu = LFU.connect()) {
      assertEquals(OK, lfu.call("SET", "k", "v"));
      assertTrue(lfu.call("OBJECT", "FREQ", "k").matches(":[0-9]+\r\n"));
      assertTrue(lfu.call("OBJECT", "IDLETIME", "k").startsWith("-ERR An LFU maxmemory policy is"));
      assertEquals(NIL, lfu.call("OBJECT", "IDLETIME", "missing"));
      assertEquals(OK, lfu.call("SET", "n", "5"));
      assertEquals(integer(1), lfu.call("OBJECT", "REFCOUNT", "n"), "no shared integers");
    }
  }

  @Test
  void memory() {
    assertEquals(OK, c.call("SET", "k", "v"));
    assertTrue(c.call("MEMORY", "USAGE", "k").matches(":[1-9][0-9]*\r\n"));
    assertTrue(c.call("MEMORY", "USAGE", "k", "SAMPLES", "0").matches(":[1-9][0-9]*\r\n"));
    assertEquals(NIL, c.call("MEMORY", "USAGE", "missing"));
    assertEquals("-ERR syntax error\r\n", c.call("MEMORY", "USAGE", "k", "SAMPLES", "-1"));
    String stats = c.call("MEMORY", "STATS");
    assertTrue(stats.startsWith("*64\r\n$14\r\npeak.allocated\r\n:"), stats);
    for (String f :
        new String[] {
          "keys.count\r\n:2\r\n", "db.0\r\n*4\r\n", "dataset.percentage\r\n$", "fragmentation.bytes"
        }) {
      assertTrue(stats.contains(f), f + " in " + stats);
    }
    assertTrue(RespClient.payload(c.call("MEMORY", "DOCTOR")).startsWith("Hi Sam"));
    assertEquals(OK, c.call("MEMORY", "PURGE"));
    assertTrue(c.call("MEMORY", "HELP").startsWith("*14\r\n+MEMORY <subcommand>"));
    c.call("HELLO", "3");
    stats = c.call("MEMORY", "STATS");
    assertTrue(stats.startsWith("%32\r\n$14\r\npeak.allocated\r\n:"), stats);
    assertTrue(stats.contains("db.0\r\n%2\r\n"), stats);
    assertTrue(stats.contains("dataset.percentage\r\n,"), stats);
    String doctor = c.call("MEMORY", "DOCTOR");
    assertTrue(doctor.startsWith("="), doctor); // verbatim
  }
}
