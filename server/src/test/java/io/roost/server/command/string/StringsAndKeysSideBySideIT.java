package io.roost.server.command.string;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roost.server.RedisProcess;
import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends the same commands to Roost and to a real {@code redis-server} and asserts byte-identical
 * replies for the subtle string and key cases. The installed server is Debian's 7.0; cases where
 * 7.0 and 7.4 differ are left out (see the comments). Every test starts from empty databases on
 * both sides; replies that depend on the clock or on hash-table order are not compared here.
 */
class StringsAndKeysSideBySideIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();
  @RegisterExtension static final RedisProcess REDIS = new RedisProcess();

  private static String[] cmd(String... args) {
    return args;
  }

  /** FLUSHALL on both, then the commands pipelined on one connection each; replies compared. */
  private static void same(boolean resp3, String[]... commands) {
    List<String> fromRedis = run(REDIS.connect(), resp3, commands);
    List<String> fromRoost = run(NODE.connect(), resp3, commands);
    for (int i = 0; i < commands.length; i++) {
      assertEquals(
          RespClient.printable(fromRedis.get(i)),
          RespClient.printable(fromRoost.get(i)),
          "reply to " + String.join(" ", commands[i]) + " (command " + i + ")");
    }
  }

  private static void same(String[]... commands) {
    same(false, commands);
  }

  private static List<String> run(RespClient c, boolean resp3, String[]... commands) {
    try (c) {
      c.call("FLUSHALL");
      if (resp3) {
        c.call("HELLO", "3");
      }
      StringBuilder raw = new StringBuilder();
      for (String[] command : commands) {
        raw.append(RespClient.multibulk(command));
      }
      c.send(raw.toString());
      List<String> replies = new ArrayList<>();
      for (int i = 0; i < commands.length; i++) {
        replies.add(c.read());
      }
      return replies;
    }
  }

  @Test
  void setOptionCombinationsAndErrors() {
    same(
        cmd("SET", "k", "v", "NX", "XX"),
        cmd("SET", "k", "v", "XX", "NX"),
        cmd("SET", "k", "v", "EX", "10", "PX", "100"),
        cmd("SET", "k", "v", "EX", "10", "KEEPTTL"),
        cmd("SET", "k", "v", "KEEPTTL", "EX", "10"),
        cmd("SET", "k", "v", "EXAT", "10", "PXAT", "100"),
        cmd("SET", "k", "v", "EX"),
        cmd("SET", "k", "v", "EX", "0"),
        cmd("SET", "k", "v", "EX", "-1"),
        cmd("SET", "k", "v", "PX", "0"),
        cmd("SET", "k", "v", "EX", "abc"),
        cmd("SET", "k", "v", "EX", "1.5"),
        cmd("SET", "k", "v", "EX", "9223372036854775807"),
        cmd("SET", "k", "v", "EX", "9223372036854776"),
        cmd("SET", "k", "v", "PX", "9223372036854775807"),
        cmd("SET", "k", "v", "EXAT", "9223372036854775807"),
        cmd("SET", "k", "v", "FOO"),
        cmd("SET", "k", "v", "GETT"),
        cmd("SET", "k", "v", "PERSIST"),
        cmd("EXISTS", "k"),
        cmd("SET", "k", "v", "NX", "GET"),
        cmd("SET", "k", "v2", "NX", "GET"),
        cmd("SET", "k", "v3", "XX", "GET"),
        cmd("SET", "k", "v4", "GET", "GET"),
        cmd("set", "k", "v5", "nx"),
        cmd("set", "k", "v5", "xx", "keepttl", "get"),
        cmd("SET", "k", "v6", "EX", "10", "EX", "20"),
        cmd("SET", "k", "v7", "PXAT", "9223372036854775807"),
        cmd("PEXPIRETIME", "k"),
        cmd("SET", "k", "v8", "KEEPTTL"),
        cmd("PEXPIRETIME", "k"),
        cmd("SET", "k", "v9"),
        cmd("PEXPIRETIME", "k"),
        cmd("SET", "gone", "v", "PXAT", "1"),
        cmd("GET", "gone"),
        cmd("SET", "gone", "v", "EXAT", "1"),
        cmd("EXISTS", "gone"),
        cmd("SET", "missing", "v", "XX"),
        cmd("SET", "missing", "v", "XX", "GET"),
        cmd("EXISTS", "missing"),
        cmd("SET", "k"),
        cmd("GET"),
        cmd("GET", "k", "x"));
  }

  @Test
  void setVariants() {
    same(
        cmd("SETNX", "n", "1"),
        cmd("SETNX", "n", "2"),
        cmd("GET", "n"),
        cmd("SETEX", "e", "0", "v"),
        cmd("SETEX", "e", "-5", "v"),
        cmd("SETEX", "e", "abc", "v"),
        cmd("SETEX", "e", "9223372036854775807", "v"),
        cmd("PSETEX", "e", "0", "v"),
        cmd("PSETEX", "e", "9223372036854775807", "v"),
        cmd("SETEX", "e", "100", "v"),
        cmd("PSETEX", "e", "100000", "v"),
        cmd("GET", "e"),
        cmd("GETSET", "e", "w"),
        cmd("TTL", "e"),
        cmd("GETSET", "fresh", "w"),
        cmd("GETDEL", "fresh"),
        cmd("GETDEL", "fresh"),
        cmd("MSET", "a", "1", "b"),
        cmd("MSETNX", "a", "1", "b"),
        cmd("MSET", "a", "1", "b", "2"),
        cmd("MGET", "a", "nope", "b"),
        cmd("MSETNX", "b", "3", "c", "4"),
        cmd("MSETNX", "c", "3", "d", "4", "c", "5"),
        cmd("MGET", "c", "d"));
  }

  @Test
  void getEx() {
    same(
        cmd("GETEX", "missing", "EX", "-1"),
        cmd("GETEX", "missing", "EX", "abc"),
        cmd("SET", "k", "v"),
        cmd("GETEX", "k", "EX", "-1"),
        cmd("GETEX", "k", "EX", "abc"),
        cmd("GETEX", "k", "PX", "0"),
        cmd("GETEX", "k", "PERSIST", "EX", "10"),
        cmd("GETEX", "k", "EX", "10", "PERSIST"),
        cmd("GETEX", "k", "KEEPTTL"),
        cmd("GETEX", "k", "NX"),
        cmd("GETEX", "k", "GET"),
        cmd("GETEX", "k", "EX"),
        cmd("GETEX", "k", "EXAT", "4102444800"),
        cmd("EXPIRETIME", "k"),
        cmd("GETEX", "k", "PERSIST"),
        cmd("TTL", "k"),
        cmd("GETEX", "k"),
        cmd("GETEX", "k", "PXAT", "1"),
        cmd("EXISTS", "k"));
  }

  @Test
  void incrByFloatFormatting() {
    same(
        cmd("SET", "f", "10.5"),
        cmd("INCRBYFLOAT", "f", "0.1"),
        cmd("SET", "g", "3.0e3"),
        cmd("INCRBYFLOAT", "g", "1"),
        cmd("INCRBYFLOAT", "h", "5.0e3"),
        cmd("INCRBYFLOAT", "h", "-5000"),
        cmd("INCRBYFLOAT", "h", "1.1e-5"),
        cmd("INCRBYFLOAT", "i", " 1"),
        cmd("INCRBYFLOAT", "i", "abc"),
        cmd("INCRBYFLOAT", "i", "inf"),
        cmd("INCRBYFLOAT", "i", "-infinity"),
        cmd("INCRBYFLOAT", "i", "nan"),
        cmd("SET", "big", "1e308"),
        cmd("INCRBYFLOAT", "big", "1e308"),
        cmd("SET", "big", "1e308"),
        cmd("INCRBYFLOAT", "big", "9e308"),
        cmd("SET", "z", "abc"),
        cmd("INCRBYFLOAT", "z", "1"),
        cmd("SET", "w", "1 "),
        cmd("INCRBYFLOAT", "w", "1"),
        cmd("SET", "p", "0.1"),
        cmd("INCRBYFLOAT", "p", "0.2"),
        cmd("INCRBYFLOAT", "q", "-0.0"),
        cmd("INCRBYFLOAT", "r", "1.23456789012345678"),
        cmd("INCRBYFLOAT", "s", "100"),
        cmd("OBJECT", "ENCODING", "s"),
        cmd("INCRBYFLOAT", "r"));
  }

  /**
   * Store bug: Redis parses INCRBYFLOAT's operands with strtold, which reads hexadecimal floats;
   * the store's long-double parser rejects them with "value is not a valid float".
   */
  @Test
  void incrByFloatHexadecimal() {
    same(
        cmd("INCRBYFLOAT", "i", "0x10"),
        cmd("SET", "j", "0x1p4"),
        cmd("INCRBYFLOAT", "j", "0x.8"),
        cmd("INCRBYFLOAT", "j", "1"));
  }

  @Test
  void counters() {
    same(
        cmd("SET", "c", "10"),
        cmd("INCR", "c"),
        cmd("DECR", "c"),
        cmd("INCRBY", "c", "5"),
        cmd("DECRBY", "c", "3"),
        cmd("INCRBY", "c", "abc"),
        cmd("INCRBY", "c", "1.0"),
        cmd("DECRBY", "c", "-9223372036854775808"),
        cmd("SET", "c", "9223372036854775807"),
        cmd("INCR", "c"),
        cmd("SET", "c", "-9223372036854775808"),
        cmd("DECR", "c"),
        cmd("INCRBY", "c", "9223372036854775807"),
        cmd("SET", "c", " 1"),
        cmd("INCR", "c"),
        cmd("SET", "c", "01"),
        cmd("INCR", "c"),
        cmd("INCR", "new"),
        cmd("DECRBY", "new2", "9223372036854775807"),
        cmd("DECR", "new2"),
        cmd("DECR", "new2"));
  }

  @Test
  void rangesAndLengths() {
    same(
        cmd("SET", "s", "Hello World"),
        cmd("GETRANGE", "s", "0", "4"),
        cmd("GETRANGE", "s", "-5", "-1"),
        cmd("GETRANGE", "s", "-1", "-5"),
        cmd("GETRANGE", "s", "5", "3"),
        cmd("GETRANGE", "s", "0", "100"),
        cmd("GETRANGE", "s", "-100", "-50"),
        cmd("GETRANGE", "s", "-100", "-200"),
        cmd("GETRANGE", "s", "-100", "2"),
        cmd("GETRANGE", "s", "11", "20"),
        cmd("GETRANGE", "s", "0", "9223372036854775807"),
        cmd("GETRANGE", "s", "-9223372036854775808", "-1"),
        cmd("GETRANGE", "s", "a", "1"),
        cmd("GETRANGE", "s", "1", "b"),
        cmd("GETRANGE", "missing", "0", "-1"),
        cmd("SUBSTR", "s", "6", "-1"),
        cmd("SET", "n", "12345"),
        cmd("GETRANGE", "n", "1", "2"),
        cmd("SET", "e", ""),
        cmd("GETRANGE", "e", "0", "-1"),
        cmd("SETRANGE", "s", "-1", "x"),
        cmd("SETRANGE", "s", "abc", "x"),
        cmd("SETRANGE", "new", "5", ""),
        cmd("EXISTS", "new"),
        cmd("SETRANGE", "new", "3", "abc"),
        cmd("GET", "new"),
        cmd("SETRANGE", "s", "0", ""),
        cmd("SETRANGE", "s", "6", "Redis"),
        cmd("GET", "s"),
        cmd("SETRANGE", "s", "13", "!"),
        cmd("GET", "s"),
        cmd("SETRANGE", "s", "536870912", "x"),
        cmd("SETRANGE", "s", "536870911", "xy"),
        cmd("SETRANGE", "s", "9223372036854775807", "x"),
        cmd("SETRANGE", "missing", "536870912", ""),
        cmd("SETRANGE", "missing", "536870912", "x"),
        cmd("SETRANGE", "n", "0", "9"),
        cmd("GET", "n"),
        cmd("APPEND", "a", "foo"),
        cmd("APPEND", "a", "bar"),
        cmd("STRLEN", "a"),
        cmd("STRLEN", "missing"),
        cmd("STRLEN", "n"));
  }

  @Test
  void lcs() {
    String[][] cases = {
      cmd("SET", "a", "ohmytext"),
      cmd("SET", "b", "mynewtext"),
      cmd("LCS", "a", "b"),
      cmd("LCS", "a", "b", "LEN"),
      cmd("LCS", "a", "b", "IDX"),
      cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "4"),
      cmd("LCS", "a", "b", "IDX", "WITHMATCHLEN"),
      cmd("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"),
      cmd("LCS", "a", "b", "idx", "minmatchlen", "-3", "withmatchlen"),
      cmd("LCS", "a", "b", "LEN", "IDX"),
      cmd("LCS", "a", "b", "FOO"),
      cmd("LCS", "a", "b", "MINMATCHLEN"),
      cmd("LCS", "a", "b", "MINMATCHLEN", "x"),
      cmd("LCS", "a", "missing"),
      cmd("LCS", "missing", "missing", "IDX"),
      cmd("SET", "x", "aaaabbbbaaaa"),
      cmd("SET", "y", "baaaab"),
      cmd("LCS", "x", "y", "IDX", "WITHMATCHLEN"),
      cmd("LCS", "y", "x", "IDX", "WITHMATCHLEN"),
      cmd("SET", "n1", "12345"),
      cmd("SET", "n2", "2345"),
      cmd("LCS", "n1", "n2", "IDX")
    };
    same(false, cases);
    same(true, cases);
  }

  @Test
  void typesAndEncodings() {
    // 7.0 and 7.4 agree on string encodings; OBJECT FREQ's error text is the same in both.
    same(
        cmd("SET", "i", "12345"),
        cmd("SET", "neg", "-5"),
        cmd("SET", "huge", "12345678901234567890"),
        cmd("SET", "lead", "0123"),
        cmd("SET", "s44", "x".repeat(44)),
        cmd("SET", "s45", "x".repeat(45)),
        cmd("SET", "e", ""),
        cmd("SET", "small", "5"),
        cmd("TYPE", "i"),
        cmd("TYPE", "missing"),
        cmd("OBJECT", "ENCODING", "i"),
        cmd("OBJECT", "ENCODING", "neg"),
        cmd("OBJECT", "ENCODING", "huge"),
        cmd("OBJECT", "ENCODING", "lead"),
        cmd("OBJECT", "ENCODING", "s44"),
        cmd("OBJECT", "ENCODING", "s45"),
        cmd("OBJECT", "ENCODING", "e"),
        cmd("OBJECT", "ENCODING", "missing"),
        cmd("OBJECT", "REFCOUNT", "i"),
        cmd("OBJECT", "REFCOUNT", "small"),
        cmd("OBJECT", "REFCOUNT", "s45"),
        cmd("OBJECT", "REFCOUNT", "missing"),
        cmd("OBJECT", "FREQ", "i"),
        cmd("OBJECT", "FREQ", "missing"),
        cmd("OBJECT", "IDLETIME", "missing"),
        cmd("OBJECT", "FOO", "i"),
        cmd("OBJECT", "ENCODING"),
        cmd("OBJECT", "ENCODING", "i", "j"),
        cmd("OBJECT"),
        // OBJECT HELP is left out: 7.0 ends with "Prints this help.", 7.4 with "Print".
        cmd("APPEND", "i", "6"),
        cmd("OBJECT", "ENCODING", "i"),
        cmd("INCR", "lead"),
        cmd("OBJECT", "ENCODING", "lead"),
        cmd("SETRANGE", "s44", "0", "y"),
        cmd("OBJECT", "ENCODING", "s44"),
        cmd("INCRBYFLOAT", "neg", "1.5"),
        cmd("OBJECT", "ENCODING", "neg"));
  }

  @Test
  void expireOptionCombinations() {
    same(
        cmd("SET", "k", "v"),
        cmd("EXPIRE", "k", "100", "NX", "XX"),
        cmd("EXPIRE", "k", "100", "NX", "GT"),
        cmd("EXPIRE", "k", "100", "GT", "LT"),
        cmd("EXPIRE", "k", "100", "lt", "gt"),
        cmd("EXPIRE", "k", "100", "FOO"),
        cmd("EXPIRE", "k", "100", "XX", "FOO"),
        cmd("EXPIRE", "k", "abc"),
        cmd("EXPIRE", "k", "abc", "NX", "XX"),
        cmd("EXPIRE", "k", "9223372036854775807"),
        cmd("EXPIRE", "k", "-9223372036854775808"),
        cmd("PEXPIRE", "k", "9223372036854775807"),
        cmd("EXPIREAT", "k", "9223372036854776"),
        cmd("EXPIRE", "missing", "100"),
        cmd("EXPIRE", "k", "100", "XX"),
        cmd("EXPIRE", "k", "100", "GT"),
        cmd("TTL", "k"),
        cmd("EXPIREAT", "k", "4102444800", "NX"),
        cmd("EXPIREAT", "k", "4102444900", "NX"),
        cmd("EXPIREAT", "k", "4102444700", "GT"),
        cmd("EXPIREAT", "k", "4102444900", "GT"),
        cmd("EXPIRETIME", "k"),
        cmd("EXPIREAT", "k", "4102445000", "LT"),
        cmd("EXPIREAT", "k", "4102444800", "lt", "xx"),
        cmd("PEXPIRETIME", "k"),
        cmd("PEXPIREAT", "k", "4102444800123"),
        cmd("EXPIRETIME", "k"),
        cmd("PEXPIREAT", "k", "4102444800600"),
        cmd("EXPIRETIME", "k"),
        cmd("PERSIST", "k"),
        cmd("PERSIST", "k"),
        cmd("PERSIST", "missing"),
        cmd("TTL", "k"),
        cmd("PTTL", "k"),
        cmd("EXPIRETIME", "k"),
        cmd("TTL", "missing"),
        cmd("PEXPIRETIME", "missing"),
        cmd("EXPIRE", "k", "100", "LT"),
        cmd("EXPIREAT", "k", "9223372036854775", "XX"),
        cmd("PEXPIRETIME", "k"),
        cmd("EXPIRE", "k", "-1", "GT"),
        cmd("EXPIRE", "k", "-1", "LT"),
        cmd("EXISTS", "k"),
        cmd("SET", "k", "v"),
        cmd("PEXPIREAT", "k", "0"),
        cmd("EXISTS", "k"),
        cmd("SET", "k", "v"),
        cmd("EXPIREAT", "k", "-9223372036854775"),
        cmd("EXISTS", "k"));
  }

  @Test
  void renameCopyMove() {
    same(
        cmd("RENAME", "missing", "x"),
        cmd("RENAME", "missing", "missing"),
        cmd("RENAMENX", "missing", "x"),
        cmd("SET", "a", "1"),
        cmd("SET", "b", "2"),
        cmd("RENAME", "a", "a"),
        cmd("RENAMENX", "a", "a"),
        cmd("RENAMENX", "a", "b"),
        cmd("EXPIREAT", "a", "4102444800"),
        cmd("RENAME", "a", "c"),
        cmd("EXPIRETIME", "c"),
        cmd("MGET", "a", "b", "c"),
        cmd("RENAMENX", "c", "a"),
        cmd("COPY", "a", "b"),
        cmd("COPY", "a", "b", "REPLACE"),
        cmd("COPY", "a", "d"),
        cmd("EXPIRETIME", "d"),
        cmd("COPY", "a", "a"),
        cmd("COPY", "a", "a", "DB", "0"),
        cmd("COPY", "a", "b", "DB", "16"),
        cmd("COPY", "a", "b", "DB", "-1"),
        cmd("COPY", "a", "b", "DB", "x"),
        cmd("COPY", "a", "b", "DB", "99999999999"),
        cmd("COPY", "a", "b", "FOO"),
        cmd("COPY", "a", "b", "DB"),
        cmd("COPY", "missing", "b", "DB", "1"),
        cmd("COPY", "a", "b", "DB", "1"),
        cmd("COPY", "a", "b", "db", "1", "replace"),
        cmd("MOVE", "a", "0"),
        cmd("MOVE", "a", "16"),
        cmd("MOVE", "a", "x"),
        cmd("MOVE", "a", "4294967296"),
        cmd("MOVE", "missing", "1"),
        cmd("MOVE", "a", "2"),
        cmd("MOVE", "b", "1"),
        cmd("EXISTS", "a", "b"),
        cmd("SELECT", "2"),
        cmd("GET", "a"),
        cmd("SELECT", "1"),
        cmd("GET", "b"),
        cmd("SELECT", "0"));
  }

  @Test
  void genericKeyCommands() {
    same(
        cmd("RANDOMKEY"),
        cmd("KEYS", "*"),
        cmd("SCAN", "0"),
        cmd("SET", "k", "v"),
        cmd("RANDOMKEY"),
        cmd("KEYS", "*"),
        cmd("KEYS", "k?"),
        cmd("KEYS", "[a-z]"),
        cmd("SCAN", "0"),
        cmd("SCAN", "0", "MATCH", "x*"),
        cmd("SCAN", "0", "TYPE", "string"),
        cmd("SCAN", "0", "TYPE", "hash"),
        cmd("SCAN", "0", "TYPE", "nosuchtype"),
        cmd("SCAN", "0", "COUNT", "1000", "MATCH", "*", "TYPE", "STRING"),
        cmd("SCAN", "abc"),
        // "-1", "" and " 0" are left out: 7.0 parses cursors with strtoul (accepts "-1" and "",
        // rejects leading space), 7.4 with string2ull (the other way round); ScanIT checks 7.4.
        cmd("SCAN", "1.5"),
        cmd("SCAN", "18446744073709551616"),
        cmd("SCAN", "0", "COUNT", "0"),
        cmd("SCAN", "0", "COUNT", "x"),
        cmd("SCAN", "0", "MATCH"),
        cmd("SCAN", "0", "FOO", "bar"),
        cmd("SCAN", "0", "NOVALUES"),
        cmd("EXISTS", "k", "k", "missing"),
        cmd("TOUCH", "k", "k", "missing"),
        cmd("DEL", "k", "k", "missing"),
        cmd("SET", "k", "v"),
        cmd("UNLINK", "k", "missing"),
        cmd("DEL"),
        cmd("TYPE", "k"));
  }

  @Test
  void memory() {
    // MEMORY USAGE's figures and MEMORY STATS are Roost's own; only shapes and errors compare.
    same(
        cmd("MEMORY", "USAGE", "missing"),
        cmd("SET", "k", "v"),
        cmd("MEMORY", "USAGE", "k", "SAMPLES", "-1"),
        cmd("MEMORY", "USAGE", "k", "SAMPLES", "x"),
        cmd("MEMORY", "USAGE", "k", "FOO"),
        cmd("MEMORY", "USAGE", "k", "SAMPLES"),
        cmd("MEMORY", "USAGE", "missing", "SAMPLES", "0"),
        cmd("MEMORY", "USAGE"),
        cmd("MEMORY", "FOO"),
        cmd("MEMORY"),
        // MEMORY HELP is left out: 7.0 ends with "Prints this help.", 7.4 with "Print".
        cmd("MEMORY", "DOCTOR"));
  }
}
