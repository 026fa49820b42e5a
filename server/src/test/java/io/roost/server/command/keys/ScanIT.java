package io.roost.server.command.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import io.roost.server.command.string.StoreFixtures;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** KEYS and SCAN: full iterations with MATCH, COUNT and TYPE, and the argument errors. */
class ScanIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final int KEYS = 1000;

  private RespClient c;

  @BeforeEach
  void connect() {
    c = NODE.connect();
    assertEquals("+OK\r\n", c.call("FLUSHALL"));
  }

  @AfterEach
  void close() {
    c.close();
  }

  private void fill() {
    String[] args = new String[1 + 2 * KEYS];
    args[0] = "MSET";
    for (int i = 0; i < KEYS; i++) {
      args[1 + 2 * i] = "key:" + i;
      args[2 + 2 * i] = Integer.toString(i);
    }
    assertEquals("+OK\r\n", c.call(args));
    StoreFixtures.hash(NODE, 0, "hash:1");
    StoreFixtures.hash(NODE, 0, "hash:2");
  }

  /** Scans to the end with {@code options}; returns every key seen, failing on a bad reply. */
  private Set<String> scanAll(String... options) {
    Set<String> seen = new HashSet<>();
    try (Jedis jedis = new Jedis("127.0.0.1", NODE.port())) {
      ScanParams params = new ScanParams();
      String type = null;
      for (int i = 0; i < options.length; i += 2) {
        switch (options[i]) {
          case "MATCH" -> params.match(options[i + 1]);
          case "COUNT" -> params.count(Integer.parseInt(options[i + 1]));
          case "TYPE" -> type = options[i + 1];
          default -> throw new IllegalArgumentException(options[i]);
        }
      }
      String cursor = ScanParams.SCAN_POINTER_START;
      int calls = 0;
      do {
        ScanResult<String> r =
            type == null ? jedis.scan(cursor, params) : jedis.scan(cursor, params, type);
        seen.addAll(r.getResult());
        cursor = r.getCursor();
        assertTrue(++calls < 100_000, "scan does not terminate");
      } while (!cursor.equals("0"));
    }
    return seen;
  }

  @Test
  void scanVisitsEveryKey() {
    fill();
    Set<String> all = scanAll();
    assertEquals(KEYS + 2, all.size());
    assertEquals(KEYS + 2, scanAll("COUNT", "1").size());
    assertEquals(KEYS + 2, scanAll("COUNT", "1000000").size());
    Set<String> nines = scanAll("MATCH", "key:9*", "COUNT", "7");
    assertEquals(111, nines.size(), nines.toString());
    assertEquals(Set.of("hash:1", "hash:2"), scanAll("TYPE", "hash"));
    assertEquals(KEYS, scanAll("TYPE", "STRING").size());
    assertEquals(Set.of(), scanAll("TYPE", "stream"));
    assertEquals(Set.of(), scanAll("TYPE", "nosuchtype"));
    assertEquals(Set.of("hash:1"), scanAll("MATCH", "*:1", "TYPE", "hash"));
  }

  @Test
  void scanRepliesAndErrors() {
    assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", c.call("SCAN", "0"));
    assertEquals("+OK\r\n", c.call("SET", "k", "v"));
    assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n", c.call("SCAN", "0", "COUNT", "100"));
    assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n", c.call("scan", " +0", "match", "*"));
    for (String bad : new String[] {"abc", "-1", "1.5", "", "18446744073709551616", "0x1"}) {
      assertEquals("-ERR invalid cursor\r\n", c.call("SCAN", bad), bad);
    }
    assertTrue(c.call("SCAN", "18446744073709551615").startsWith("*2\r\n"));
    assertTrue(c.call("SCAN", " -1").startsWith("*2\r\n"), "strtoull wraps a non-canonical -1");
    assertEquals("-ERR syntax error\r\n", c.call("SCAN", "0", "COUNT", "0"));
    assertEquals(
        "-ERR value is not an integer or out of range\r\n", c.call("SCAN", "0", "COUNT", "x"));
    assertEquals("-ERR syntax error\r\n", c.call("SCAN", "0", "MATCH"));
    assertEquals("-ERR syntax error\r\n", c.call("SCAN", "0", "NOVALUES"));
    c.call("HELLO", "3");
    assertEquals("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n", c.call("SCAN", "0"));
  }

  @Test
  void keys() {
    assertEquals("*0\r\n", c.call("KEYS", "*"));
    fill();
    String reply = c.call("KEYS", "key:99?");
    assertTrue(reply.startsWith("*10\r\n"), reply);
    Set<String> got = new TreeSet<>();
    try (Jedis jedis = new Jedis("127.0.0.1", NODE.port())) {
      got.addAll(jedis.keys("*"));
      assertEquals(KEYS + 2, got.size());
      assertEquals(Set.of("hash:1", "hash:2"), jedis.keys("h[a]sh:*"));
      assertEquals(Set.of(), jedis.keys("nomatch*"));
    }
    assertEquals("+OK\r\n", c.call("SET", "", "empty key"));
    assertTrue(c.call("KEYS", "*").startsWith("*" + (KEYS + 3) + "\r\n"));
  }
}
