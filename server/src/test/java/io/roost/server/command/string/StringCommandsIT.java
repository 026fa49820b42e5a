package io.roost.server.command.string;

import static io.roost.server.Replies.NIL;
import static io.roost.server.Replies.NIL3;
import static io.roost.server.Replies.OK;
import static io.roost.server.Replies.WRONGTYPE;
import static io.roost.server.Replies.bulk;
import static io.roost.server.Replies.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The string commands over a real socket, byte for byte, in RESP2 and (where it differs) RESP3. */
class StringCommandsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
  private static final String SYNTAX = "-ERR syntax error\r\n";

  private RespClient c;

  @BeforeEach
  void connect() {
    c = StoreFixtures.connectFlushed(NODE);
  }

  @AfterEach
  void close() {
    c.close();
  }

  private static String invalidExpire(String cmd) {
    return "-ERR invalid expire time in '" + cmd + "' command\r\n";
  }

  @Test
  void getAndSet() {
    assertEquals(NIL, c.call("GET", "k"));
    assertEquals(OK, c.call("SET", "k", "v"));
    assertEquals(bulk("v"), c.call("GET", "k"));
    assertEquals(OK, c.call("SET", "k", ""));
    assertEquals(bulk(""), c.call("GET", "k"));
    String binary = "a\r\nb\0c\u00ff";
    assertEquals(OK, c.call("SET", binary, binary));
    assertEquals(bulk(binary), c.call("GET", binary));
    assertEquals(WRONGTYPE, c.call("GET", "h"));
    assertEquals(OK, c.call("SET", "h", "now a string"));
    assertEquals(bulk("now a string"), c.call("GET", "h"));
    assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET", "a", "b"));
    assertEquals("-ERR wrong number of arguments for 'set' command\r\n", c.call("SET", "a"));
  }

  @Test
  void setConditionsAndGet() {
    assertEquals(NIL, c.call("SET", "k", "1", "XX"));
    assertEquals(OK, c.call("SET", "k", "1", "NX"));
    assertEquals(NIL, c.call("SET", "k", "2", "NX"));
    assertEquals(OK, c.call("SET", "k", "3", "XX"));
    assertEquals(bulk("3"), c.call("SET", "k", "4", "GET"));
    assertEquals(bulk("4"), c.call("SET", "k", "5", "NX", "GET"));
    assertEquals(bulk("4"), c.call("GET", "k"));
    assertEquals(NIL, c.call("SET", "new", "x", "GET"));
    assertEquals(bulk("x"), c.call("GET", "new"));
    assertEquals(NIL, c.call("SET", "none", "x", "XX", "GET"));
    assertEquals(NIL, c.call("GET", "none"));
    assertEquals(WRONGTYPE, c.call("SET", "h", "x", "GET"));
    assertEquals(OK, c.call("SET", "h2", "x"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "NX", "XX"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "XX", "NX"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "EX", "1", "PX", "1"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "EX", "1", "KEEPTTL"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "KEEPTTL", "PXAT", "1"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "EXAT", "1", "EX", "1"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "PX"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "PERSIST"));
    assertEquals(SYNTAX, c.call("SET", "k", "v", "BOGUS"));
    assertEquals(SYNTAX, c.call("set", "k", "v", "nx", "get", "xx"));
    assertEquals(bulk("4"), c.call("set", "k", "6", "xx", "get", "keepttl"));
  }

  @Test
  void setExpiry() {
    long now = System.currentTimeMillis();
    assertEquals(OK, c.call("SET", "k", "v", "EX", "100"));
    long pttl = Long.parseLong(c.call("PTTL", "k").substring(1).trim());
    assertTrue(pttl > 90_000 && pttl <= 100_000, "pttl=" + pttl);
    assertEquals(OK, c.call("SET", "k", "v", "PX", "100000"));
    assertEquals(OK, c.call("SET", "k", "v", "EXAT", Long.toString(now / 1000 + 1000)));
    assertEquals(integer(now / 1000 + 1000), c.call("EXPIRETIME", "k"));
    assertEquals(OK, c.call("SET", "k", "v", "PXAT", Long.toString(now + 1_000_000)));
    assertEquals(integer(now + 1_000_000), c.call("PEXPIRETIME", "k"));
    assertEquals(OK, c.call("SET", "k", "w", "KEEPTTL"));
    assertEquals(integer(now + 1_000_000), c.call("PEXPIRETIME", "k"));
    assertEquals(OK, c.call("SET", "k", "w"));
    assertEquals(integer(-1), c.call("PEXPIRETIME", "k"));
    assertEquals(OK, c.call("SET", "k", "v", "PXAT", "1"));
    assertEquals(NIL, c.call("GET", "k"));
    assertEquals(OK, c.call("SET", "k", "v", "EX", "5", "EX", "1000"));
    assertTrue(Long.parseLong(c.call("TTL", "k").substring(1).trim()) > 900);
    for (String bad : new String[] {"0", "-1", "9223372036854775807", "9223372036854776"}) {
      assertEquals(invalidExpire("set"), c.call("SET", "k", "v", "EX", bad), bad);
    }
    assertEquals(invalidExpire("set"), c.call("SET", "k", "v", "PX", "9223372036854775807"));
    assertEquals(invalidExpire("set"), c.call("SET", "k", "v", "PXAT", "0"));
    assertEquals(NOT_INTEGER, c.call("SET", "k", "v", "EX", "1.5"));
    assertEquals(NOT_INTEGER, c.call("SET", "k", "v", "PX", " 1"));
    assertEquals(OK, c.call("SET", "k", "v", "PXAT", "9223372036854775807"));
    assertEquals(integer(Long.MAX_VALUE), c.call("PEXPIRETIME", "k"));
  }

  @Test
  void setNxSetExPSetEx() {
    assertEquals(integer(1), c.call("SETNX", "k", "1"));
    assertEquals(integer(0), c.call("SETNX", "k", "2"));
    assertEquals(integer(0), c.call("SETNX", "h", "2"));
    assertEquals(bulk("1"), c.call("GET", "k"));
    assertEquals(OK, c.call("SETEX", "k", "100", "v"));
    assertTrue(c.call("TTL", "k").matches(":(9[0-9]|100)\r\n"));
    assertEquals(OK, c.call("PSETEX", "k", "100000", "w"));
    assertEquals(bulk("w"), c.call("GET", "k"));
    assertEquals(invalidExpire("setex"), c.call("SETEX", "k", "0", "v"));
    assertEquals(invalidExpire("setex"), c.call("SETEX", "k", "-1", "v"));
    assertEquals(invalidExpire("psetex"), c.call("PSETEX", "k", "0", "v"));
    assertEquals(invalidExpire("psetex"), c.call("PSETEX", "k", "9223372036854775807", "v"));
    assertEquals(NOT_INTEGER, c.call("SETEX", "k", "x", "v"));
    assertEquals(OK, c.call("SETEX", "h", "10", "v"));
    assertEquals(bulk("v"), c.call("GET", "h"));
  }

  @Test
  void getExGetDelGetSet() {
    assertEquals(NIL, c.call("GETEX", "missing"));
    assertEquals(NIL, c.call("GETEX", "missing", "EX", "-1"));
    assertEquals(WRONGTYPE, c.call("GETEX", "h", "EX", "-1"));
    assertEquals(WRONGTYPE, c.call("GETEX", "h"));
    assertEquals(OK, c.call("SET", "k", "v"));
    assertEquals(invalidExpire("getex"), c.call("GETEX", "k", "EX", "0"));
    assertEquals(NOT_INTEGER, c.call("GETEX", "k", "PX", "x"));
    assertEquals(SYNTAX, c.call("GETEX", "k", "PERSIST", "EX", "1"));
    assertEquals(SYNTAX, c.call("GETEX", "k", "NX"));
    assertEquals(SYNTAX, c.call("GETEX", "k", "KEEPTTL"));
    assertEquals(SYNTAX, c.call("GETEX", "k", "EX"));
    assertEquals(bulk("v"), c.call("GETEX", "k", "EX", "100"));
    assertTrue(c.call("TTL", "k").matches(":(9[0-9]|100)\r\n"));
    assertEquals(bulk("v"), c.call("GETEX", "k", "PERSIST"));
    assertEquals(integer(-1), c.call("TTL", "k"));
    assertEquals(bulk("v"), c.call("GETEX", "k", "PXAT", "4102444800000"));
    assertEquals(integer(4102444800L), c.call("EXPIRETIME", "k"));
    assertEquals(bulk("v"), c.call("GETEX", "k", "EXAT", "1"));
    assertEquals(integer(0), c.call("EXISTS", "k"));

    assertEquals(OK, c.call("SET", "k", "v", "EX", "100"));
    assertEquals(bulk("v"), c.call("GETSET", "k", "w"));
    assertEquals(integer(-1), c.call("TTL", "k"));
    assertEquals(NIL, c.call("GETSET", "n", "x"));
    assertEquals(WRONGTYPE, c.call("GETSET", "h", "x"));
    assertEquals(bulk("w"), c.call("GETDEL", "k"));
    assertEquals(NIL, c.call("GETDEL", "k"));
    assertEquals(WRONGTYPE, c.call("GETDEL", "h"));
  }

  @Test
  void multiKey() {
    assertEquals(OK, c.call("MSET", "a", "1", "b", "2"));
    assertEquals("*4\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n$-1\r\n", c.call("MGET", "a", "x", "b", "h"));
    assertEquals(
        "-ERR wrong number of arguments for 'mset' command\r\n", c.call("MSET", "a", "1", "b"));
    assertEquals(
        "-ERR wrong number of arguments for 'msetnx' command\r\n", c.call("MSETNX", "a", "1", "b"));
    assertEquals(integer(0), c.call("MSETNX", "b", "3", "c", "4"));
    assertEquals(integer(0), c.call("EXISTS", "c"));
    assertEquals(integer(1), c.call("MSETNX", "c", "3", "d", "4"));
    assertEquals(OK, c.call("MSET", "h", "x"));
    assertEquals(bulk("x"), c.call("GET", "h"));
    c.call("HELLO", "3");
    assertEquals("*2\r\n$1\r\n3\r\n_\r\n", c.call("MGET", "c", "nope"));
    assertEquals(NIL3, c.call("GET", "nope"));
  }

  @Test
  void appendStrlenRanges() {
    assertEquals(integer(3), c.call("APPEND", "a", "foo"));
    assertEquals(integer(6), c.call("APPEND", "a", "bar"));
    assertEquals(bulk("foobar"), c.call("GET", "a"));
    assertEquals(integer(6), c.call("STRLEN", "a"));
    assertEquals(integer(0), c.call("STRLEN", "missing"));
    assertEquals(WRONGTYPE, c.call("STRLEN", "h"));
    assertEquals(WRONGTYPE, c.call("APPEND", "h", "x"));
    assertEquals(bulk("foo"), c.call("GETRANGE", "a", "0", "2"));
    assertEquals(bulk("bar"), c.call("GETRANGE", "a", "-3", "-1"));
    assertEquals(bulk(""), c.call("GETRANGE", "a", "-1", "-3"));
    assertEquals(bulk("foobar"), c.call("GETRANGE", "a", "-100", "100"));
    assertEquals(bulk(""), c.call("GETRANGE", "missing", "0", "-1"));
    assertEquals(bulk("oob"), c.call("SUBSTR", "a", "1", "3"));
    assertEquals(NOT_INTEGER, c.call("GETRANGE", "a", "x", "1"));
    assertEquals(WRONGTYPE, c.call("GETRANGE", "h", "0", "1"));
    assertEquals(integer(6), c.call("SETRANGE", "a", "0", ""));
    assertEquals(integer(6), c.call("SETRANGE", "a", "3", "BAR"));
    assertEquals(bulk("fooBAR"), c.call("GET", "a"));
    assertEquals(integer(10), c.call("SETRANGE", "a", "8", "!!"));
    assertEquals(bulk("fooBAR\0\0!!"), c.call("GET", "a"));
    assertEquals(integer(0), c.call("SETRANGE", "n", "10", ""));
    assertEquals(integer(0), c.call("EXISTS", "n"));
    assertEquals(integer(3), c.call("SETRANGE", "n", "1", "xy"));
    assertEquals(bulk("\0xy"), c.call("GET", "n"));
    assertEquals("-ERR offset is out of range\r\n", c.call("SETRANGE", "a", "-1", "x"));
    assertEquals(NOT_INTEGER, c.call("SETRANGE", "a", "x", "x"));
    String tooLong = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";
    assertEquals(tooLong, c.call("SETRANGE", "a", "536870912", "x"));
    assertEquals(tooLong, c.call("SETRANGE", "a", "9223372036854775807", "x"));
    assertEquals(WRONGTYPE, c.call("SETRANGE", "h", "0", "x"));
  }

  @Test
  void counters() {
    assertEquals(integer(1), c.call("INCR", "c"));
    assertEquals(integer(0), c.call("DECR", "c"));
    assertEquals(integer(10), c.call("INCRBY", "c", "10"));
    assertEquals(integer(7), c.call("DECRBY", "c", "3"));
    assertEquals(integer(-3), c.call("INCRBY", "c", "-10"));
    assertEquals(NOT_INTEGER, c.call("INCRBY", "c", "1.5"));
    assertEquals(
        "-ERR decrement would overflow\r\n", c.call("DECRBY", "c", "-9223372036854775808"));
    assertEquals(OK, c.call("SET", "c", "9223372036854775807"));
    assertEquals("-ERR increment or decrement would overflow\r\n", c.call("INCR", "c"));
    assertEquals(OK, c.call("SET", "c", "abc"));
    assertEquals(NOT_INTEGER, c.call("INCR", "c"));
    assertEquals(WRONGTYPE, c.call("INCR", "h"));
    assertEquals(OK, c.call("SET", "t", "5", "EX", "100"));
    assertEquals(integer(6), c.call("INCR", "t"));
    assertTrue(c.call("TTL", "t").matches(":(9[0-9]|100)\r\n"), "INCR keeps the TTL");

    assertEquals(bulk("10.5"), c.call("INCRBYFLOAT", "f", "10.5"));
    assertEquals(bulk("10.6"), c.call("INCRBYFLOAT", "f", "0.1"));
    assertEquals(bulk("5000"), c.call("INCRBYFLOAT", "g", "5.0e3"));
    assertEquals("-ERR value is not a valid float\r\n", c.call("INCRBYFLOAT", "g", "x"));
    assertEquals(
        "-ERR increment would produce NaN or Infinity\r\n", c.call("INCRBYFLOAT", "g", "inf"));
    assertEquals(WRONGTYPE, c.call("INCRBYFLOAT", "h", "1"));
    c.call("HELLO", "3");
    assertEquals(bulk("5001"), c.call("INCRBYFLOAT", "g", "1"), "a bulk string in RESP3 too");
  }

  @Test
  void lcs() {
    assertEquals(OK, c.call("MSET", "a", "ohmytext", "b", "mynewtext"));
    assertEquals(bulk("mytext"), c.call("LCS", "a", "b"));
    assertEquals(integer(6), c.call("LCS", "a", "b", "LEN"));
    String idx =
        "*4\r\n$7\r\nmatches\r\n*2\r\n"
            + "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
            + "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n"
            + "$3\r\nlen\r\n:6\r\n";
    assertEquals(idx, c.call("LCS", "a", "b", "IDX"));
    assertEquals(
        "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
            + "$3\r\nlen\r\n:6\r\n",
        c.call("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"));
    assertEquals(
        "-ERR If you want both the length and indexes, please just use IDX.\r\n",
        c.call("LCS", "a", "b", "LEN", "IDX"));
    assertEquals(SYNTAX, c.call("LCS", "a", "b", "MINMATCHLEN"));
    assertEquals(NOT_INTEGER, c.call("LCS", "a", "b", "MINMATCHLEN", "x"));
    assertEquals("-ERR The specified keys must contain string values\r\n", c.call("LCS", "a", "h"));
    assertEquals(bulk(""), c.call("LCS", "a", "missing"));
    c.call("HELLO", "3");
    assertEquals(idx.replace("*4\r\n$7", "%2\r\n$7"), c.call("LCS", "a", "b", "IDX"));
  }

  @Test
  void nullsInResp3() {
    c.call("HELLO", "3");
    assertEquals(NIL3, c.call("SET", "k", "v", "XX"));
    assertEquals(NIL3, c.call("GETDEL", "k"));
    assertEquals(NIL3, c.call("GETEX", "k"));
    assertEquals(NIL3, c.call("SET", "k", "v", "GET"));
  }
}
