package io.roost.server.command.hash;

import static io.roost.server.Replies.NIL;
import static io.roost.server.Replies.WRONGTYPE;
import static io.roost.server.Replies.bulk;
import static io.roost.server.Replies.bulks;
import static io.roost.server.Replies.err;
import static io.roost.server.Replies.integer;
import static io.roost.server.Replies.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import io.roost.store.ValueType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-field TTLs (HEXPIRE family, HTTL family, HPERSIST) and the Redis 8.0 HGETDEL, HGETEX and
 * HSETEX, over a real socket. Times in the past or far in the future keep the assertions exact;
 * real expiry is awaited with a deadline.
 */
class HashFieldTtlIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private static long nowMs() {
    return NODE.server().store().clock().epochMs();
  }

  private static ValueType type(String key) {
    UnsafeBuffer k = new UnsafeBuffer(key.getBytes(StandardCharsets.ISO_8859_1));
    return HashSupport.db0(NODE).type(k, 0, k.capacity());
  }

  @Test
  void hexpireCodesAndConditions() {
    try (RespClient c = NODE.connect()) {
      assertEquals(ints(-2, -2), c.call("HEXPIRE", "t1-missing", "100", "FIELDS", "2", "a", "b"));
      c.call("HSET", "t1", "a", "1", "b", "2", "c", "3");
      assertEquals(ints(1, -2), c.call("HEXPIRE", "t1", "100", "FIELDS", "2", "a", "zz"));
      assertEquals(ints(0, 1), c.call("HEXPIRE", "t1", "200", "NX", "FIELDS", "2", "a", "b"));
      assertEquals(ints(1, 0), c.call("hexpire", "t1", "300", "xx", "fields", "2", "a", "c"));
      // GT: a field without TTL counts as infinite, so GT never applies to it
      assertEquals(
          ints(0, 1, 0), c.call("HEXPIRE", "t1", "250", "GT", "FIELDS", "3", "a", "b", "c"));
      // LT: and always to it
      assertEquals(ints(1, 0), c.call("HEXPIRE", "t1", "260", "LT", "FIELDS", "2", "a", "b"));
      assertEquals(ints(1, 1), c.call("HEXPIRE", "t1", "100", "LT", "FIELDS", "2", "b", "c"));
      assertEquals(ints(260, 100, 100), c.call("HTTL", "t1", "FIELDS", "3", "a", "b", "c"));
      assertEquals(ints(1), c.call("HPEXPIRE", "t1", "50000", "FIELDS", "1", "a"));
      long pttl =
          Long.parseLong(c.call("HPTTL", "t1", "FIELDS", "1", "a").split("\r\n")[1].substring(1));
      assertTrue(pttl > 40_000 && pttl <= 50_000, "pttl=" + pttl);
    }
  }

  @Test
  void absoluteTimesAndTtlQueries() {
    long at = nowMs() + 3_600_000;
    long atSeconds = at / 1000 + 10;
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "t2", "a", "1", "b", "2", "c", "3");
      assertEquals(ints(1), c.call("HPEXPIREAT", "t2", Long.toString(at), "FIELDS", "1", "a"));
      assertEquals(
          ints(1), c.call("HEXPIREAT", "t2", Long.toString(atSeconds), "FIELDS", "1", "b"));
      assertEquals(
          ints(at, atSeconds * 1000, -1, -2),
          c.call("HPEXPIRETIME", "t2", "FIELDS", "4", "a", "b", "c", "zz"));
      assertEquals(
          ints((at + 999) / 1000, atSeconds, -1, -2),
          c.call("HEXPIRETIME", "t2", "FIELDS", "4", "a", "b", "c", "zz"));
      assertEquals(ints(-2), c.call("HTTL", "t2-missing", "FIELDS", "1", "a"));
      assertEquals(ints(-2, -2), c.call("HPEXPIRETIME", "t2-missing", "FIELDS", "2", "a", "b"));
      assertEquals(ints(1, -1, -2), c.call("HPERSIST", "t2", "FIELDS", "3", "a", "c", "zz"));
      assertEquals(ints(-1), c.call("HTTL", "t2", "FIELDS", "1", "a"));
      assertEquals(ints(-2), c.call("HPERSIST", "t2-missing", "FIELDS", "1", "a"));
      // HINCRBY keeps a field's TTL, HSET drops it (Redis 7.4)
      assertEquals(integer(3), c.call("HINCRBY", "t2", "b", "1"));
      assertEquals(ints(atSeconds * 1000), c.call("HPEXPIRETIME", "t2", "FIELDS", "1", "b"));
      assertEquals(integer(0), c.call("HSET", "t2", "b", "x"));
      assertEquals(ints(-1), c.call("HPEXPIRETIME", "t2", "FIELDS", "1", "b"));
    }
  }

  @Test
  void pastTimesDeleteFieldsAndTheLastOneTheKey() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "t3", "a", "1", "b", "2");
      assertEquals(ints(2, -2), c.call("HPEXPIREAT", "t3", "1", "FIELDS", "2", "a", "zz"));
      assertEquals(NIL, c.call("HGET", "t3", "a"));
      assertEquals(integer(1), c.call("HLEN", "t3"));
      assertEquals(ints(2), c.call("HEXPIRE", "t3", "0", "FIELDS", "1", "b"));
      assertEquals(ValueType.NONE, type("t3"));
      assertEquals(integer(0), c.call("HLEN", "t3"));
    }
  }

  @Test
  void fieldsExpireByThemselvesAndTheKeyGoesWithTheLast() {
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "t4", "gone", "1", "stays", "2");
      c.call("HSET", "t4b", "only", "1");
      assertEquals(ints(1), c.call("HPEXPIRE", "t4", "30", "FIELDS", "1", "gone"));
      assertEquals(ints(1), c.call("HPEXPIRE", "t4b", "30", "FIELDS", "1", "only"));
      // nobody reads t4b: the expiry wheel must reclaim the key on its own
      HashSupport.await(
          DEADLINE, "t4b reclaimed", () -> HashSupport.db0(NODE).dbSize() == countOthers() + 1);
      HashSupport.await(DEADLINE, "field expired", () -> NIL.equals(c.call("HGET", "t4", "gone")));
      assertEquals(bulks("stays", "2"), c.call("HGETALL", "t4"));
      assertEquals(integer(1), c.call("HLEN", "t4"));
      assertEquals(ints(-2), c.call("HTTL", "t4", "FIELDS", "1", "gone"));
      assertEquals(ValueType.NONE, type("t4b"));
    }
  }

  /** Keys of the other tests of this class that may still exist (t4 aside). */
  private static long countOthers() {
    long n = 0;
    for (String k : List.of("t1", "t2", "t3", "t5", "t6", "t7", "t8", "str")) {
      n += type(k) == ValueType.NONE ? 0 : 1;
    }
    return n;
  }

  @Test
  void expireErrors() {
    HashSupport.setString(NODE, "str", "x");
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "t5", "a", "1");
      assertEquals(
          err("ERR wrong number of arguments for 'hexpire' command"),
          c.call("HEXPIRE", "t5", "10", "FIELDS", "1"));
      assertEquals(
          err("ERR value is not an integer or out of range"),
          c.call("HEXPIRE", "t5", "ten", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR invalid expire time, must be >= 0"),
          c.call("HEXPIRE", "t5", "-1", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR invalid expire time in 'hexpire' command"),
          c.call("HEXPIRE", "t5", "70368744178", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR invalid expire time in 'hpexpire' command"),
          c.call("HPEXPIRE", "t5", "70368744177663", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR invalid expire time in 'hpexpireat' command"),
          c.call("HPEXPIREAT", "t5", "70368744177664", "FIELDS", "1", "a"));
      assertEquals(ints(1), c.call("HPEXPIREAT", "t5", "70368744177663", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR Mandatory argument FIELDS is missing or not at the right position"),
          c.call("HEXPIRE", "t5", "10", "FIELDZ", "1", "a"));
      assertEquals(
          err("ERR Mandatory argument FIELDS is missing or not at the right position"),
          c.call("HEXPIRE", "t5", "10", "NX", "XX", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR Parameter `numFields` should be greater than 0"),
          c.call("HEXPIRE", "t5", "10", "FIELDS", "0", "a"));
      assertEquals(
          err("ERR Parameter `numFields` should be greater than 0"),
          c.call("HEXPIRE", "t5", "10", "FIELDS", "x", "a"));
      assertEquals(
          err("ERR The `numfields` parameter must match the number of arguments"),
          c.call("HEXPIRE", "t5", "10", "FIELDS", "2", "a"));
      assertEquals(
          err("ERR The `numfields` parameter must match the number of arguments"),
          c.call("HEXPIRE", "t5", "10", "NX", "FIELDS", "1"));
      // the type is checked before the arguments, as in Redis
      assertEquals(WRONGTYPE, c.call("HEXPIRE", "str", "-1", "FIELDS", "1", "a"));
      assertEquals(WRONGTYPE, c.call("HEXPIRE", "str", "10", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR invalid expire time, must be >= 0"),
          c.call("HEXPIRE", "t5-missing", "-1", "FIELDS", "1", "a"));

      assertEquals(
          err("ERR wrong number of arguments for 'httl' command"),
          c.call("HTTL", "t5", "FIELDS", "1"));
      assertEquals(
          err("ERR Mandatory argument FIELDS is missing or not at the right position"),
          c.call("HTTL", "t5", "1", "a", "b"));
      assertEquals(
          err("ERR Number of fields must be a positive integer"),
          c.call("HPTTL", "t5", "FIELDS", "-1", "a"));
      assertEquals(
          err("ERR The `numfields` parameter must match the number of arguments"),
          c.call("HEXPIRETIME", "t5", "FIELDS", "3", "a", "b"));
      assertEquals(
          err("ERR Number of fields must be a positive integer"),
          c.call("HPERSIST", "t5", "FIELDS", "0", "a"));
      assertEquals(WRONGTYPE, c.call("HTTL", "str", "FIELDS", "1", "a"));
      assertEquals(WRONGTYPE, c.call("HPERSIST", "str", "FIELDS", "9", "a"));
      assertEquals(WRONGTYPE, c.call("HPEXPIRETIME", "str", "FIELDS", "1", "a"));
    }
  }

  @Test
  void hgetdel() {
    HashSupport.setString(NODE, "str", "x");
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "t6", "a", "1", "b", "2", "c", "3");
      assertEquals(bulks("1", null, "3"), c.call("HGETDEL", "t6", "FIELDS", "3", "a", "zz", "c"));
      assertEquals(bulks("b", "2"), c.call("HGETALL", "t6"));
      assertEquals(bulks(null, "2"), c.call("HGETDEL", "t6", "FIELDS", "2", "a", "b"));
      assertEquals(ValueType.NONE, type("t6"));
      assertEquals(bulks((String) null), c.call("HGETDEL", "t6", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR Mandatory argument FIELDS is missing or not at the right position"),
          c.call("HGETDEL", "t6", "FIELD", "1", "a"));
      assertEquals(
          err("ERR Number of fields must be a positive integer"),
          c.call("HGETDEL", "t6", "FIELDS", "0", "a"));
      assertEquals(
          err("ERR The `numfields` parameter must match the number of arguments"),
          c.call("HGETDEL", "t6", "FIELDS", "2", "a"));
      assertEquals(
          err("ERR wrong number of arguments for 'hgetdel' command"),
          c.call("HGETDEL", "t6", "FIELDS", "1"));
      assertEquals(WRONGTYPE, c.call("HGETDEL", "str", "FIELDS", "1", "a"));
      c.call("HELLO", "3");
      c.call("HSET", "t6", "a", "1");
      assertEquals(
          "*2\r\n" + bulk("1") + "_\r\n", c.call("HGETDEL", "t6", "FIELDS", "2", "a", "a"));
    }
  }

  @Test
  void hgetex() {
    HashSupport.setString(NODE, "str", "x");
    long at = nowMs() + 3_600_000;
    try (RespClient c = NODE.connect()) {
      c.call("HSET", "t7", "a", "1", "b", "2", "c", "3");
      assertEquals(bulks("1", "2"), c.call("HGETEX", "t7", "FIELDS", "2", "a", "b"));
      assertEquals(ints(-1), c.call("HTTL", "t7", "FIELDS", "1", "a"));
      assertEquals(
          bulks("1", null),
          c.call("HGETEX", "t7", "PXAT", Long.toString(at), "FIELDS", "2", "a", "zz"));
      assertEquals(ints(at), c.call("HPEXPIRETIME", "t7", "FIELDS", "1", "a"));
      assertEquals(bulks("2"), c.call("HGETEX", "t7", "EX", "100", "FIELDS", "1", "b"));
      assertEquals(ints(100), c.call("HTTL", "t7", "FIELDS", "1", "b"));
      assertEquals(
          bulks("3"), c.call("HGETEX", "t7", "EXAT", Long.toString(at / 1000), "FIELDS", "1", "c"));
      assertEquals(ints(at / 1000), c.call("HEXPIRETIME", "t7", "FIELDS", "1", "c"));
      assertEquals(bulks("1", "2"), c.call("hgetex", "t7", "persist", "fields", "2", "a", "b"));
      assertEquals(ints(-1, -1), c.call("HTTL", "t7", "FIELDS", "2", "a", "b"));
      assertEquals(bulks("1"), c.call("HGETEX", "t7", "PX", "0", "FIELDS", "1", "a"));
      assertEquals(NIL, c.call("HGET", "t7", "a"));
      assertEquals(bulks("2", "3"), c.call("HGETEX", "t7", "PXAT", "0", "FIELDS", "2", "b", "c"));
      assertEquals(ValueType.NONE, type("t7"));
      assertEquals(bulks((String) null), c.call("HGETEX", "t7", "EX", "10", "FIELDS", "1", "a"));

      assertEquals(
          err("ERR invalid expire time, must be >= 0"),
          c.call("HGETEX", "t7", "EX", "-1", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR value is not an integer or out of range"),
          c.call("HGETEX", "t7", "PX", "soon", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR invalid expire time in 'hgetex' command"),
          c.call("HGETEX", "t7", "EXAT", "70368744178", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR Mandatory argument FIELDS is missing or not at the right position"),
          c.call("HGETEX", "t7", "KEEPTTL", "FIELDS", "1", "a"));
      assertEquals(
          err("ERR Number of fields must be a positive integer"),
          c.call("HGETEX", "t7", "PERSIST", "FIELDS", "none", "a"));
      assertEquals(
          err("ERR The `numfields` parameter must match the number of arguments"),
          c.call("HGETEX", "t7", "FIELDS", "1", "a", "b"));
      assertEquals(WRONGTYPE, c.call("HGETEX", "str", "EX", "-1", "FIELDS", "1", "a"));
    }
  }

  @Test
  void hsetex() {
    HashSupport.setString(NODE, "str", "x");
    long at = nowMs() + 3_600_000;
    try (RespClient c = NODE.connect()) {
      assertEquals(integer(1), c.call("HSETEX", "t8", "FIELDS", "2", "a", "1", "b", "2"));
      assertEquals(ints(-1, -1), c.call("HTTL", "t8", "FIELDS", "2", "a", "b"));
      assertEquals(integer(0), c.call("HSETEX", "t8", "FNX", "FIELDS", "2", "c", "3", "a", "x"));
      assertEquals(bulks("1", null), c.call("HMGET", "t8", "a", "c"));
      assertEquals(integer(1), c.call("HSETEX", "t8", "FNX", "EX", "100", "FIELDS", "1", "c", "3"));
      assertEquals(ints(100), c.call("HTTL", "t8", "FIELDS", "1", "c"));
      assertEquals(integer(0), c.call("HSETEX", "t8", "FXX", "FIELDS", "2", "a", "x", "d", "4"));
      assertEquals(
          integer(1),
          c.call(
              "HSETEX", "t8", "FXX", "PXAT", Long.toString(at), "FIELDS", "2", "a", "y", "b", "z"));
      assertEquals(ints(at, at), c.call("HPEXPIRETIME", "t8", "FIELDS", "2", "a", "b"));
      assertEquals(integer(1), c.call("HSETEX", "t8", "KEEPTTL", "FIELDS", "1", "a", "kept"));
      assertEquals(ints(at), c.call("HPEXPIRETIME", "t8", "FIELDS", "1", "a"));
      assertEquals(integer(1), c.call("HSETEX", "t8", "FIELDS", "1", "a", "cleared"));
      assertEquals(ints(-1), c.call("HPEXPIRETIME", "t8", "FIELDS", "1", "a"));
      assertEquals(integer(1), c.call("HSETEX", "t8", "PX", "5000", "FIELDS", "1", "d", "4"));
      assertEquals(bulk("4"), c.call("HGET", "t8", "d"));
      assertEquals(integer(0), c.call("HSETEX", "t8-missing", "FXX", "FIELDS", "1", "a", "1"));
      assertEquals(ValueType.NONE, type("t8-missing"));
      // a time in the past sets and at once deletes
      assertEquals(integer(1), c.call("HSETEX", "t8", "PXAT", "0", "FIELDS", "1", "a", "gone"));
      assertEquals(NIL, c.call("HGET", "t8", "a"));
      assertEquals(
          integer(1), c.call("HSETEX", "t8-past", "EXAT", "1", "FIELDS", "1", "a", "gone"));
      assertEquals(ValueType.NONE, type("t8-past"));

      assertEquals(
          err("ERR Only one of FXX or FNX arguments can be specified"),
          c.call("HSETEX", "t8", "FNX", "FXX", "FIELDS", "1", "a", "1"));
      assertEquals(
          err("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"),
          c.call("HSETEX", "t8", "EX", "10", "KEEPTTL", "FIELDS", "1", "a", "1"));
      assertEquals(
          err("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"),
          c.call("HSETEX", "t8", "KEEPTTL", "PX", "10", "FIELDS", "1", "a", "1"));
      assertEquals(
          err("ERR unknown argument: NX"), c.call("HSETEX", "t8", "NX", "FIELDS", "1", "a", "1"));
      assertEquals(
          err("ERR invalid number of fields"),
          c.call("HSETEX", "t8", "FIELDS", "0", "a", "1", "b"));
      assertEquals(
          err("ERR wrong number of arguments for 'hsetex' command"),
          c.call("HSETEX", "t8", "FIELDS", "2", "a", "1"));
      assertEquals(
          err("ERR wrong number of arguments for 'hsetex' command"),
          c.call("HSETEX", "t8", "FIELDS", "1", "a", "1", "b"));
      assertEquals(
          err("ERR wrong number of arguments for 'hsetex' command"),
          c.call("HSETEX", "t8", "EX", "10", "FIELDS", "1"));
      assertEquals(
          err("ERR invalid expire time, must be >= 0"),
          c.call("HSETEX", "t8", "EX", "-5", "FIELDS", "1", "a", "1"));
      assertEquals(
          err("ERR value is not an integer or out of range"),
          c.call("HSETEX", "t8", "PX", "x", "FIELDS", "1", "a", "1"));
      assertEquals(
          err("ERR invalid expire time in 'hsetex' command"),
          c.call("HSETEX", "t8", "PXAT", "70368744177664", "FIELDS", "1", "a", "1"));
      assertEquals(WRONGTYPE, c.call("HSETEX", "str", "FIELDS", "1", "a", "1"));
    }
  }
}
