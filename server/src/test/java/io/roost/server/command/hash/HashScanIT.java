package io.roost.server.command.hash;

import static io.roost.server.Replies.WRONGTYPE;
import static io.roost.server.Replies.bulk;
import static io.roost.server.Replies.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HSCAN's options, errors and reply shape, and the listpack → hashtable encoding switch. */
class HashScanIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final String EMPTY_SCAN = "*2\r\n$1\r\n0\r\n*0\r\n";

  private static String scanReply(String... elements) {
    StringBuilder sb =
        new StringBuilder("*2\r\n$1\r\n0\r\n*").append(elements.length).append("\r\n");
    for (String e : elements) {
      sb.append(bulk(e));
    }
    return sb.toString();
  }

  @Test
  void optionsAndShape() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "s1", "name", "ann", "nick", "a", "age", "30");
      assertEquals(scanReply("name", "ann", "nick", "a", "age", "30"), c.call("HSCAN", "s1", "0"));
      assertEquals(
          scanReply("name", "ann", "nick", "a"), c.call("HSCAN", "s1", "0", "MATCH", "n*"));
      assertEquals(
          scanReply("name", "nick"), c.call("hscan", "s1", "0", "match", "n*", "novalues"));
      assertEquals(
          scanReply("name", "nick", "age"), c.call("HSCAN", "s1", "0", "NOVALUES", "COUNT", "1"));
      assertEquals(scanReply(), c.call("HSCAN", "s1", "0", "MATCH", "zz*"));
      assertEquals(EMPTY_SCAN, c.call("HSCAN", "s1-missing", "0"));
      // the whole hash comes back at once, whatever the cursor
      assertEquals(
          scanReply("name", "ann", "nick", "a", "age", "30"),
          c.call("HSCAN", "s1", "18446744073709551615", "COUNT", "100"));
      c.call("HELLO", "3");
      assertEquals(scanReply("age", "30"), c.call("HSCAN", "s1", "0", "MATCH", "a?e"));
    }
  }

  @Test
  void errors() {
    HashSupport.setString(NODE, "scan-str", "x");
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "s2", "a", "1");
      assertEquals(err("ERR invalid cursor"), c.call("HSCAN", "s2", "x"));
      assertEquals(err("ERR invalid cursor"), c.call("HSCAN", "s2", "-1"));
      assertEquals(err("ERR invalid cursor"), c.call("HSCAN", "s2", "18446744073709551616"));
      assertEquals(err("ERR invalid cursor"), c.call("HSCAN", "s2-missing", "x"));
      assertEquals(err("ERR syntax error"), c.call("HSCAN", "s2", "0", "COUNT", "0"));
      assertEquals(
          err("ERR value is not an integer or out of range"),
          c.call("HSCAN", "s2", "0", "COUNT", "many"));
      assertEquals(err("ERR syntax error"), c.call("HSCAN", "s2", "0", "MATCH"));
      assertEquals(err("ERR syntax error"), c.call("HSCAN", "s2", "0", "TYPE", "hash"));
      assertEquals(err("ERR syntax error"), c.call("HSCAN", "s2", "0", "NOVALUES", "x"));
      assertEquals(err("ERR wrong number of arguments for 'hscan' command"), c.call("HSCAN", "s2"));
      // Redis looks the key up before it reads the options
      assertEquals(EMPTY_SCAN, c.call("HSCAN", "s2-missing", "0", "COUNT", "0"));
      assertEquals(WRONGTYPE, c.call("HSCAN", "scan-str", "0", "COUNT", "0"));
    }
  }

  @Test
  void encodingSwitchesPastTheListpackLimits() {
    try (RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "hash-max-listpack-entries", "4"));
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "hash-max-listpack-value", "8"));
      try {
        c.call("HSET", "e1", "a", "1", "b", "2", "c", "3", "d", "4");
        assertEquals("listpack", HashSupport.encoding(NODE, c, "e1"));
        c.call("HSET", "e1", "e", "5");
        assertEquals("hashtable", HashSupport.encoding(NODE, c, "e1"));
        c.call("HDEL", "e1", "a", "b", "c", "d");
        // as in Redis, a hash never converts back
        assertEquals("hashtable", HashSupport.encoding(NODE, c, "e1"));

        c.call("HSET", "e2", "a", "12345678");
        assertEquals("listpack", HashSupport.encoding(NODE, c, "e2"));
        c.call("HSET", "e2", "b", "123456789");
        assertEquals("hashtable", HashSupport.encoding(NODE, c, "e2"));

        c.call("HSET", "e3", "a", "1");
        c.call("HPEXPIRE", "e3", "100000", "FIELDS", "1", "a");
        assertEquals("listpackex", HashSupport.encoding(NODE, c, "e3"));

        // a big (indexed) hash pages with a cursor: every field comes back, about COUNT per call
        List<String> args = new ArrayList<>(List.of("HSET", "big"));
        for (int i = 0; i < 300; i++) {
          args.add("f" + i);
          args.add("v" + i);
        }
        assertEquals(":300\r\n", c.call(args.toArray(String[]::new)));
        assertEquals("hashtable", HashSupport.encoding(NODE, c, "big"));
        Map<String, String> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
          String reply = c.call("HSCAN", "big", cursor, "COUNT", "10");
          int afterCursor = reply.indexOf("\r\n", reply.indexOf("\r\n", 4) + 2) + 2;
          cursor = reply.substring(reply.indexOf("\r\n", 4) + 2, afterCursor - 2);
          List<String> kv = HashCommandsIT.elements(reply.substring(afterCursor));
          for (int i = 0; i < kv.size(); i += 2) {
            seen.put(kv.get(i), kv.get(i + 1));
          }
          calls++;
        } while (!cursor.equals("0") && calls < 1000);
        assertEquals("0", cursor);
        assertTrue(calls > 1, "an indexed hash pages: calls=" + calls);
        assertEquals(300, seen.size());
        assertEquals("v299", seen.get("f299"));
        assertEquals(":300\r\n", c.call("HLEN", "big"));
      } finally {
        c.call("CONFIG", "SET", "hash-max-listpack-entries", "128");
        c.call("CONFIG", "SET", "hash-max-listpack-value", "64");
      }
    }
  }
}
