package io.roost.server.command.hash;

import static io.roost.server.Replies.NIL;
import static io.roost.server.Replies.NIL3;
import static io.roost.server.Replies.OK;
import static io.roost.server.Replies.WRONGTYPE;
import static io.roost.server.Replies.bulk;
import static io.roost.server.Replies.bulks;
import static io.roost.server.Replies.err;
import static io.roost.server.Replies.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HSET to HINCRBYFLOAT and HRANDFIELD over a real socket, byte for byte, RESP2 and RESP3. */
class HashCommandsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  @Test
  void hsetHgetHmsetHsetnx() {
    try (RespClient c = NODE.connect()) {
      assertEquals(integer(2), c.call("HSET", "h1", "a", "1", "b", "2"));
      assertEquals(integer(1), c.call("hset", "h1", "a", "10", "c", "3"));
      assertEquals(bulk("10"), c.call("HGET", "h1", "a"));
      assertEquals(NIL, c.call("HGET", "h1", "nope"));
      assertEquals(NIL, c.call("HGET", "h1-missing", "a"));
      assertEquals(
          err("ERR wrong number of arguments for 'hset' command"),
          c.call("HSET", "h1", "a", "1", "b"));
      assertEquals(
          err("ERR wrong number of arguments for 'hset' command"), c.call("HSET", "h1", "a"));
      assertEquals(OK, c.call("HMSET", "h1", "d", "4", "a", "11"));
      assertEquals(
          err("ERR wrong number of arguments for 'hmset' command"),
          c.call("HMSET", "h1", "a", "1", "b"));
      assertEquals(integer(0), c.call("HSETNX", "h1", "a", "x"));
      assertEquals(integer(1), c.call("HSETNX", "h1", "e", "5"));
      assertEquals(integer(1), c.call("HSETNX", "h1-new", "e", "5"));
      assertEquals(
          err("ERR wrong number of arguments for 'hsetnx' command"), c.call("HSETNX", "h1", "a"));
      assertEquals(
          "*10\r\n"
              + bulk("a")
              + bulk("11")
              + bulk("b")
              + bulk("2")
              + bulk("c")
              + bulk("3")
              + bulk("d")
              + bulk("4")
              + bulk("e")
              + bulk("5"),
          c.call("HGETALL", "h1"));
      // binary-safe fields and values, empty ones included
      assertEquals(integer(2), c.call("HSET", "h1-bin", "\u0000\r\n", "\u00ff", "", ""));
      assertEquals(bulk("\u00ff"), c.call("HGET", "h1-bin", "\u0000\r\n"));
      assertEquals(bulk(""), c.call("HGET", "h1-bin", ""));
    }
  }

  @Test
  void readsOfWholeHashes() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "h2", "f1", "v1", "f2", "v2", "f3", "v3");
      assertEquals(bulks("f1", "v1", "f2", "v2", "f3", "v3"), c.call("HGETALL", "h2"));
      assertEquals(bulks("f1", "f2", "f3"), c.call("HKEYS", "h2"));
      assertEquals(bulks("v1", "v2", "v3"), c.call("HVALS", "h2"));
      assertEquals(bulks("v2", null, "v1"), c.call("HMGET", "h2", "f2", "x", "f1"));
      assertEquals(bulks(null, null), c.call("HMGET", "h2-missing", "a", "b"));
      assertEquals("*0\r\n", c.call("HGETALL", "h2-missing"));
      assertEquals("*0\r\n", c.call("HKEYS", "h2-missing"));
      assertEquals("*0\r\n", c.call("HVALS", "h2-missing"));
      assertEquals(integer(3), c.call("HLEN", "h2"));
      assertEquals(integer(0), c.call("HLEN", "h2-missing"));
      assertEquals(integer(1), c.call("HEXISTS", "h2", "f1"));
      assertEquals(integer(0), c.call("HEXISTS", "h2", "zz"));
      assertEquals(integer(0), c.call("HEXISTS", "h2-missing", "f1"));
      assertEquals(integer(2), c.call("HSTRLEN", "h2", "f3"));
      assertEquals(integer(0), c.call("HSTRLEN", "h2", "zz"));
      assertEquals(integer(0), c.call("HSTRLEN", "h2-missing", "zz"));
      assertEquals(
          err("ERR wrong number of arguments for 'hgetall' command"), c.call("HGETALL", "h2", "x"));
      assertEquals(err("ERR wrong number of arguments for 'hmget' command"), c.call("HMGET", "h2"));
    }
  }

  @Test
  void resp3Replies() {
    try (RespClient c = NODE.connect()) {
      c.call("HELLO", "3");
      c.call("HSET", "h3", "a", "1", "b", "2");
      assertEquals(
          "%2\r\n" + bulk("a") + bulk("1") + bulk("b") + bulk("2"), c.call("HGETALL", "h3"));
      assertEquals("%0\r\n", c.call("HGETALL", "h3-missing"));
      assertEquals("*2\r\n" + bulk("a") + bulk("b"), c.call("HKEYS", "h3"));
      assertEquals(NIL3, c.call("HGET", "h3", "x"));
      assertEquals("*2\r\n" + NIL3 + bulk("2"), c.call("HMGET", "h3", "x", "b"));
      assertEquals(bulk("1.5"), c.call("HINCRBYFLOAT", "h3", "a", "0.5"));
      assertEquals(NIL3, c.call("HRANDFIELD", "h3-missing"));
    }
  }

  @Test
  void hdelRemovesTheKeyWithItsLastField() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "h4", "a", "1", "b", "2", "c", "3");
      assertEquals(integer(2), c.call("HDEL", "h4", "a", "x", "b", "a"));
      assertEquals(integer(0), c.call("HDEL", "h4", "zz"));
      assertEquals(integer(0), c.call("HDEL", "h4-missing", "zz"));
      assertEquals(integer(1), c.call("HDEL", "h4", "c"));
      assertEquals(integer(0), c.call("HLEN", "h4"));
      assertEquals(io.roost.store.ValueType.NONE, type("h4"));
    }
  }

  @Test
  void wrongType() {
    HashSupport.setString(NODE, "str", "x");
    try (RespClient c = NODE.connect()) {
      for (String[] cmd :
          List.of(
              new String[] {"HSET", "str", "a", "1"},
              new String[] {"HMSET", "str", "a", "1"},
              new String[] {"HSETNX", "str", "a", "1"},
              new String[] {"HGET", "str", "a"},
              new String[] {"HMGET", "str", "a"},
              new String[] {"HGETALL", "str"},
              new String[] {"HKEYS", "str"},
              new String[] {"HVALS", "str"},
              new String[] {"HLEN", "str"},
              new String[] {"HEXISTS", "str", "a"},
              new String[] {"HSTRLEN", "str", "a"},
              new String[] {"HDEL", "str", "a"},
              new String[] {"HINCRBY", "str", "a", "1"},
              new String[] {"HINCRBYFLOAT", "str", "a", "1"},
              new String[] {"HRANDFIELD", "str"},
              new String[] {"HRANDFIELD", "str", "2", "WITHVALUES"},
              new String[] {"HSCAN", "str", "0"})) {
        assertEquals(WRONGTYPE, c.call(cmd), String.join(" ", cmd));
      }
    }
  }

  @Test
  void hincrby() {
    try (RespClient c = NODE.connect()) {
      assertEquals(integer(5), c.call("HINCRBY", "h5", "n", "5"));
      assertEquals(integer(-3), c.call("HINCRBY", "h5", "n", "-8"));
      assertEquals(
          err("ERR value is not an integer or out of range"), c.call("HINCRBY", "h5", "n", "x"));
      assertEquals(
          err("ERR value is not an integer or out of range"), c.call("HINCRBY", "h5", "n", "1.5"));
      c.call("HSET", "h5", "s", "abc", "big", "9223372036854775807");
      assertEquals(err("ERR hash value is not an integer"), c.call("HINCRBY", "h5", "s", "1"));
      assertEquals(
          err("ERR increment or decrement would overflow"), c.call("HINCRBY", "h5", "big", "1"));
      assertEquals(integer(Long.MIN_VALUE), c.call("HINCRBY", "h5", "min", "-9223372036854775808"));
    }
  }

  @Test
  void hincrbyfloat() {
    try (RespClient c = NODE.connect()) {
      assertEquals(bulk("10.5"), c.call("HINCRBYFLOAT", "h6", "f", "10.5"));
      assertEquals(bulk("10.6"), c.call("HINCRBYFLOAT", "h6", "f", "0.1"));
      // long double arithmetic, printed with %.17Lf as Redis does
      assertEquals(bulk("5210.60000000000000009"), c.call("HINCRBYFLOAT", "h6", "f", "5.2e3"));
      assertEquals(bulk("-1"), c.call("HINCRBYFLOAT", "h6", "g", "-1.0"));
      assertEquals(bulk("5210.60000000000000009"), c.call("HGET", "h6", "f"));
      assertEquals(err("ERR value is not a valid float"), c.call("HINCRBYFLOAT", "h6", "f", "abc"));
      assertEquals(err("ERR value is not a valid float"), c.call("HINCRBYFLOAT", "h6", "f", ""));
      assertEquals(err("ERR value is NaN or Infinity"), c.call("HINCRBYFLOAT", "h6", "f", "inf"));
      assertEquals(err("ERR value is not a valid float"), c.call("HINCRBYFLOAT", "h6", "f", "nan"));
      c.call("HSET", "h6", "s", "abc");
      assertEquals(err("ERR hash value is not a float"), c.call("HINCRBYFLOAT", "h6", "s", "1"));
    }
  }

  /**
   * Store bug: {@code Numbers.parseLongDouble} rejects hexadecimal input, which Redis's {@code
   * string2ld} (strtold) accepts, for the increment and for a stored value alike.
   */
  @Test
  void hincrbyfloatParsesHexadecimalLikeStrtold() {
    try (RespClient c = NODE.connect()) {
      assertEquals(bulk("16"), c.call("HINCRBYFLOAT", "h6-hex", "f", "0x10"));
      assertEquals(bulk("24"), c.call("HINCRBYFLOAT", "h6-hex", "f", "0x1p3"));
      c.call("HSET", "h6-hex", "g", "0xA");
      assertEquals(bulk("11"), c.call("HINCRBYFLOAT", "h6-hex", "g", "1"));
    }
  }

  @Test
  void hrandfieldCounts() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "h7", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
      Set<String> fields = Set.of("a", "b", "c", "d", "e");
      assertTrue(fields.contains(RespClient.payload(c.call("HRANDFIELD", "h7"))));
      assertEquals(NIL, c.call("HRANDFIELD", "h7-missing"));
      assertEquals("*0\r\n", c.call("HRANDFIELD", "h7-missing", "3"));
      assertEquals("*0\r\n", c.call("HRANDFIELD", "h7", "0"));

      List<String> three = elements(c.call("HRANDFIELD", "h7", "3"));
      assertEquals(3, three.size());
      assertEquals(3, new HashSet<>(three).size(), "distinct: " + three);
      assertTrue(fields.containsAll(three));

      List<String> all = elements(c.call("HRANDFIELD", "h7", "10"));
      assertEquals(fields, new HashSet<>(all));
      assertEquals(5, all.size());

      List<String> repeated = elements(c.call("HRANDFIELD", "h7", "-12"));
      assertEquals(12, repeated.size());
      assertTrue(fields.containsAll(repeated));

      List<String> pairs = elements(c.call("HRANDFIELD", "h7", "-4", "withvalues"));
      assertEquals(8, pairs.size());
      for (int i = 0; i < pairs.size(); i += 2) {
        assertEquals(String.valueOf((char) ('1' + pairs.get(i).charAt(0) - 'a')), pairs.get(i + 1));
      }
      List<String> distinctPairs = elements(c.call("HRANDFIELD", "h7", "2", "WITHVALUES"));
      assertEquals(4, distinctPairs.size());
      assertEquals(10, elements(c.call("HRANDFIELD", "h7", "5", "WITHVALUES")).size());
    }
  }

  @Test
  void hrandfieldResp3NestsPairs() {
    try (RespClient c = NODE.connect()) {
      c.call("HELLO", "3");
      c.call("HSET", "h8", "only", "v");
      assertEquals(
          "*1\r\n*2\r\n" + bulk("only") + bulk("v"), c.call("HRANDFIELD", "h8", "1", "WITHVALUES"));
      assertEquals(
          "*2\r\n*2\r\n" + bulk("only") + bulk("v") + "*2\r\n" + bulk("only") + bulk("v"),
          c.call("HRANDFIELD", "h8", "-2", "WITHVALUES"));
      assertEquals("*2\r\n" + bulk("only") + bulk("only"), c.call("HRANDFIELD", "h8", "-2"));
      assertEquals("*0\r\n", c.call("HRANDFIELD", "h8", "0", "WITHVALUES"));
    }
  }

  @Test
  void hrandfieldErrors() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "h9", "a", "1");
      assertEquals(
          err("ERR value is not an integer or out of range"), c.call("HRANDFIELD", "h9", "x"));
      assertEquals(
          err(
              "ERR value is out of range, value must between -9223372036854775807 and"
                  + " 9223372036854775807"),
          c.call("HRANDFIELD", "h9", "-9223372036854775808"));
      assertEquals(err("ERR syntax error"), c.call("HRANDFIELD", "h9", "1", "WITHSCORES"));
      assertEquals(err("ERR syntax error"), c.call("HRANDFIELD", "h9", "1", "WITHVALUES", "x"));
      assertEquals(
          err("ERR value is out of range"),
          c.call("HRANDFIELD", "h9", "-9223372036854775807", "WITHVALUES"));
      assertEquals(
          err("ERR value is out of range"),
          c.call("HRANDFIELD", "h9", "4611686018427387904", "WITHVALUES"));
    }
  }

  private static io.roost.store.ValueType type(String key) {
    org.agrona.concurrent.UnsafeBuffer k =
        new org.agrona.concurrent.UnsafeBuffer(
            key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    return HashSupport.db0(NODE).type(k, 0, k.capacity());
  }

  /** The bulk payloads of a flat array reply. */
  static List<String> elements(String reply) {
    List<String> out = new java.util.ArrayList<>();
    String[] lines = reply.split("\r\n", -1);
    for (int i = 1; i < lines.length - 1; i++) {
      if (lines[i].startsWith("$")) {
        out.add(lines[++i]);
      }
    }
    return out;
  }
}
