package io.roost.server.command.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RedisProcess;
import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hash commands against a real {@code redis-server} (Debian's 7.0): the same commands on both,
 * replies compared byte for byte. 7.0 has no field TTLs and no HSCAN NOVALUES, and accepts a
 * negative HSCAN cursor that 7.4 rejects: those are left out. Random replies are compared by shape
 * (their counts), or on a one-field hash where they are not random.
 */
class HashSideBySideIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();
  @RegisterExtension static final RedisProcess REDIS = new RedisProcess();

  private static String[] cmd(String... args) {
    return args;
  }

  /** Sends the commands on one fresh connection to each server; compares every reply. */
  private static void same(String[]... commands) {
    sameAfter(UnaryOperator.identity(), commands);
  }

  /** Like {@link #same}, comparing {@code view} of each reply. */
  private static void sameAfter(UnaryOperator<String> view, String[]... commands) {
    List<String> fromRedis = new ArrayList<>();
    List<String> fromRoost = new ArrayList<>();
    try (RespClient r = REDIS.connect();
        RespClient o = NODE.connect()) {
      for (String[] c : commands) {
        String redisReply = r.call(c);
        String roostReply = o.call(c);
        if (c[0].equalsIgnoreCase("HELLO")) {
          // differs in version and id; ConnectionCommandsIT checks it
          continue;
        }
        fromRedis.add(String.join(" ", c) + " -> " + view.apply(redisReply));
        fromRoost.add(String.join(" ", c) + " -> " + view.apply(roostReply));
      }
    }
    assertEquals(fromRedis, fromRoost);
  }

  /** The first line of a reply: an array's count, or the whole of a one-line reply. */
  private static String firstLine(String reply) {
    return reply.substring(0, reply.indexOf("\r\n"));
  }

  @Test
  void setAndRead() {
    same(
        cmd("HSET", "sb1", "a", "1", "b", "2", "c", "3"),
        cmd("HSET", "sb1", "a", "10", "d", "4"),
        cmd("HGETALL", "sb1"),
        cmd("HKEYS", "sb1"),
        cmd("HVALS", "sb1"),
        cmd("HMGET", "sb1", "a", "zz", "d"),
        cmd("HMGET", "sb1-missing", "a"),
        cmd("HGET", "sb1", "b"),
        cmd("HGET", "sb1", "zz"),
        cmd("HGET", "sb1-missing", "zz"),
        cmd("HLEN", "sb1"),
        cmd("HEXISTS", "sb1", "c"),
        cmd("HEXISTS", "sb1", "zz"),
        cmd("HSTRLEN", "sb1", "a"),
        cmd("HSETNX", "sb1", "a", "x"),
        cmd("HSETNX", "sb1", "e", "5"),
        cmd("HMSET", "sb1", "f", "6", "a", "11"),
        cmd("HDEL", "sb1", "a", "b", "zz"),
        cmd("HGETALL", "sb1"),
        cmd("HDEL", "sb1", "c", "d", "e", "f"),
        cmd("HGETALL", "sb1"),
        cmd("HLEN", "sb1"),
        cmd("HSET", "sb1", "a", "1", "b"),
        cmd("HSET", "sb1", "a"),
        cmd("HMSET", "sb1", "a", "1", "b"),
        cmd("HGET", "sb1"),
        cmd("HMGET", "sb1"),
        cmd("HDEL", "sb1"),
        cmd("HKEYS", "sb1", "x"),
        cmd("HSETNX", "sb1", "a"));
  }

  @Test
  void resp3() {
    same(
        cmd("HELLO", "3", "SETNAME", "x"),
        cmd("HSET", "sb2", "a", "1", "b", "2"),
        cmd("HGETALL", "sb2"),
        cmd("HGETALL", "sb2-missing"),
        cmd("HMGET", "sb2", "a", "zz"),
        cmd("HGET", "sb2", "zz"),
        cmd("HKEYS", "sb2"),
        cmd("HINCRBYFLOAT", "sb2", "a", "1.5"),
        cmd("HSCAN", "sb2", "0"),
        cmd("HSCAN", "sb2-missing", "0"));
  }

  @Test
  void wrongType() {
    same(
        cmd("SET", "sb3", "x"),
        cmd("HSET", "sb3", "a", "1"),
        cmd("HGET", "sb3", "a"),
        cmd("HGETALL", "sb3"),
        cmd("HMGET", "sb3", "a"),
        cmd("HLEN", "sb3"),
        cmd("HDEL", "sb3", "a"),
        cmd("HINCRBY", "sb3", "a", "1"),
        cmd("HINCRBYFLOAT", "sb3", "a", "1"),
        cmd("HRANDFIELD", "sb3"),
        cmd("HRANDFIELD", "sb3", "2"),
        cmd("HSCAN", "sb3", "0"),
        cmd("HSCAN", "sb3", "0", "COUNT", "0"));
  }

  @Test
  void incrementsAndTheirFormatting() {
    same(
        cmd("HINCRBY", "sb4", "n", "5"),
        cmd("HINCRBY", "sb4", "n", "-8"),
        cmd("HINCRBY", "sb4", "n", "x"),
        cmd("HINCRBY", "sb4", "n", "9223372036854775807"),
        cmd("HINCRBY", "sb4", "n", "9223372036854775807"),
        cmd("HSET", "sb4", "s", "abc", "sp", " 1"),
        cmd("HINCRBY", "sb4", "s", "1"),
        cmd("HINCRBY", "sb4", "sp", "1"),
        cmd("HINCRBYFLOAT", "sb4", "s", "1"),
        cmd("HINCRBYFLOAT", "sb4", "f", "10.5"),
        cmd("HINCRBYFLOAT", "sb4", "f", "0.1"),
        cmd("HINCRBYFLOAT", "sb4", "f", "5.0e3"),
        cmd("HINCRBYFLOAT", "sb4", "f", "-5010.6"),
        cmd("HINCRBYFLOAT", "sb4", "g", "3.0e3"),
        cmd("HINCRBYFLOAT", "sb4", "g", "1e-10"),
        cmd("HINCRBYFLOAT", "sb4", "i", "-0"),
        cmd("HINCRBYFLOAT", "sb4", "k", "123456789012345678901234567890"),
        cmd("HINCRBYFLOAT", "sb4", "l", ".5"),
        // values past 64 bytes turn the hash into a hashtable, whose order is Redis's own
        cmd("HINCRBYFLOAT", "sb4-big", "h", "1.7976931348623157e308"),
        cmd("HINCRBYFLOAT", "sb4-big", "m", "1e400"),
        cmd("HINCRBYFLOAT", "sb4-big", "m", "-1e400"),
        cmd("HINCRBYFLOAT", "sb4", "f", "abc"),
        cmd("HINCRBYFLOAT", "sb4", "f", ""),
        cmd("HINCRBYFLOAT", "sb4", "f", " 1"),
        cmd("HINCRBYFLOAT", "sb4", "f", "inf"),
        cmd("HINCRBYFLOAT", "sb4", "f", "-infinity"),
        cmd("HINCRBYFLOAT", "sb4", "f", "nan"),
        cmd("HGETALL", "sb4"));
  }

  @Test
  void randomFieldCounts() {
    same(
        cmd("HSET", "sb5", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"),
        cmd("HRANDFIELD", "sb5-missing"),
        cmd("HRANDFIELD", "sb5-missing", "3"),
        cmd("HRANDFIELD", "sb5-missing", "-3", "WITHVALUES"),
        cmd("HRANDFIELD", "sb5", "0"),
        cmd("HRANDFIELD", "sb5", "x"),
        cmd("HRANDFIELD", "sb5", "-9223372036854775808"),
        cmd("HRANDFIELD", "sb5", "1", "WITHSCORES"),
        cmd("HRANDFIELD", "sb5", "1", "WITHVALUES", "x"),
        cmd("HRANDFIELD", "sb5", "-9223372036854775807", "WITHVALUES"),
        cmd("HRANDFIELD", "sb5", "4611686018427387904", "WITHVALUES"));
    sameAfter(
        HashSideBySideIT::firstLine,
        cmd("HSET", "sb5", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"),
        cmd("HRANDFIELD", "sb5"),
        cmd("HRANDFIELD", "sb5", "3"),
        cmd("HRANDFIELD", "sb5", "5"),
        cmd("HRANDFIELD", "sb5", "50"),
        cmd("HRANDFIELD", "sb5", "-3"),
        cmd("HRANDFIELD", "sb5", "-50"),
        cmd("HRANDFIELD", "sb5", "3", "WITHVALUES"),
        cmd("HRANDFIELD", "sb5", "50", "WITHVALUES"),
        cmd("HRANDFIELD", "sb5", "-7", "WITHVALUES"),
        cmd("HELLO", "3"),
        cmd("HRANDFIELD", "sb5", "3", "WITHVALUES"),
        cmd("HRANDFIELD", "sb5", "-7", "WITHVALUES"),
        cmd("HRANDFIELD", "sb5", "50", "WITHVALUES"));
    // one field: nothing is random, so whole replies compare, RESP3 nesting included
    same(
        cmd("HSET", "sb6", "only", "v"),
        cmd("HRANDFIELD", "sb6"),
        cmd("HRANDFIELD", "sb6", "-3"),
        cmd("HRANDFIELD", "sb6", "2", "WITHVALUES"),
        cmd("HRANDFIELD", "sb6", "-2", "WITHVALUES"),
        cmd("HELLO", "3"),
        cmd("HRANDFIELD", "sb6", "2", "WITHVALUES"),
        cmd("HRANDFIELD", "sb6", "-2", "WITHVALUES"),
        cmd("HRANDFIELD", "sb6", "0", "WITHVALUES"),
        cmd("HRANDFIELD", "sb6-missing"));
  }

  @Test
  void scan() {
    same(
        cmd("HSET", "sb7", "name", "ann", "nick", "a", "age", "30"),
        cmd("HSCAN", "sb7", "0"),
        cmd("HSCAN", "sb7", "0", "MATCH", "n*"),
        cmd("HSCAN", "sb7", "0", "match", "*a*", "count", "1"),
        cmd("HSCAN", "sb7", "0", "COUNT", "100", "MATCH", "zz"),
        cmd("HSCAN", "sb7", "7"),
        cmd("HSCAN", "sb7-missing", "0"),
        cmd("HSCAN", "sb7-missing", "0", "COUNT", "0"),
        cmd("HSCAN", "sb7", "x"),
        cmd("HSCAN", "sb7", "18446744073709551616"),
        cmd("HSCAN", "sb7", "0", "COUNT", "0"),
        cmd("HSCAN", "sb7", "0", "COUNT", "x"),
        cmd("HSCAN", "sb7", "0", "MATCH"),
        cmd("HSCAN", "sb7", "0", "TYPE", "hash"),
        cmd("HSCAN", "sb7", "0", "BOGUS"),
        cmd("HSCAN", "sb7"));
  }
}
