package io.roost.server.command.keys;

import static io.roost.server.Replies.OK;
import static io.roost.server.Replies.integer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.server.RespClient;
import io.roost.server.RoostExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EXPIRE family, TTL family and PERSIST. The node runs on the system clock (the fixture has no
 * clock injection), so nothing sleeps to assert: times in the past or far future are exact, and
 * expiry within a few milliseconds is awaited with a deadline.
 */
class ExpireIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private RespClient c;

  @BeforeEach
  void connect() {
    c = NODE.connect();
    assertEquals(OK, c.call("FLUSHALL"));
  }

  @AfterEach
  void close() {
    c.close();
  }

  private long number(String reply) {
    assertEquals(':', reply.charAt(0), reply);
    return Long.parseLong(reply.substring(1, reply.length() - 2));
  }

  private static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  @Test
  void relativeAndAbsoluteTimes() {
    assertEquals(OK, c.call("SET", "k", "v"));
    long before = System.currentTimeMillis();
    assertEquals(integer(1), c.call("EXPIRE", "k", "100"));
    long after = System.currentTimeMillis();
    long at = number(c.call("PEXPIRETIME", "k"));
    assertTrue(at >= before + 100_000 && at <= after + 100_000, "at=" + at);
    assertTrue(number(c.call("TTL", "k")) >= 99);
    assertEquals(integer(1), c.call("PEXPIRE", "k", "5000"));
    long pttl = number(c.call("PTTL", "k"));
    assertTrue(pttl > 4000 && pttl <= 5000, "pttl=" + pttl);
    assertEquals(integer(1), c.call("EXPIREAT", "k", "4102444800"));
    assertEquals(integer(4102444800L), c.call("EXPIRETIME", "k"));
    assertEquals(integer(4102444800000L), c.call("PEXPIRETIME", "k"));
    assertEquals(integer(1), c.call("PEXPIREAT", "k", "4102444800499"));
    assertEquals(integer(4102444800L), c.call("EXPIRETIME", "k"));
    assertEquals(integer(1), c.call("PEXPIREAT", "k", "4102444800500"));
    assertEquals(integer(4102444801L), c.call("EXPIRETIME", "k"), "rounded as Redis does");
    assertEquals(integer(1), c.call("PERSIST", "k"));
    assertEquals(integer(0), c.call("PERSIST", "k"));
    assertEquals(integer(-1), c.call("TTL", "k"));
    assertEquals(integer(-1), c.call("PTTL", "k"));
    assertEquals(integer(-1), c.call("EXPIRETIME", "k"));
    assertEquals(integer(-1), c.call("PEXPIRETIME", "k"));
    for (String cmd : new String[] {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}) {
      assertEquals(integer(-2), c.call(cmd, "missing"), cmd);
    }
    assertEquals(integer(0), c.call("PERSIST", "missing"));
    assertEquals(integer(0), c.call("EXPIRE", "missing", "10"));
  }

  @Test
  void timesNotInTheFutureDelete() {
    String[][] cases = {
      {"EXPIRE", "-1"}, {"PEXPIRE", "0"}, {"EXPIREAT", "1"}, {"PEXPIREAT", "-5"}, {"EXPIREAT", "0"}
    };
    for (String[] cmd : cases) {
      assertEquals(OK, c.call("SET", "k", "v"));
      assertEquals(integer(1), c.call(cmd[0], "k", cmd[1]), String.join(" ", cmd));
      assertEquals(integer(0), c.call("EXISTS", "k"), String.join(" ", cmd));
    }
  }

  @Test
  void conditions() {
    assertEquals(OK, c.call("SET", "k", "v"));
    assertEquals(integer(0), c.call("EXPIRE", "k", "100", "XX"));
    assertEquals(integer(0), c.call("EXPIRE", "k", "100", "GT"), "no TTL is infinite for GT");
    assertEquals(integer(1), c.call("EXPIRE", "k", "100", "NX"));
    assertEquals(integer(0), c.call("EXPIRE", "k", "200", "NX"));
    assertEquals(integer(1), c.call("EXPIRE", "k", "200", "XX"));
    assertEquals(integer(0), c.call("EXPIRE", "k", "100", "GT"));
    assertEquals(integer(1), c.call("EXPIRE", "k", "300", "gt"));
    assertEquals(integer(0), c.call("EXPIRE", "k", "400", "LT"));
    assertEquals(integer(1), c.call("EXPIRE", "k", "50", "LT", "XX"));
    assertEquals(integer(1), c.call("PERSIST", "k"));
    assertEquals(integer(1), c.call("EXPIRE", "k", "50", "LT"), "no TTL is infinite for LT");
    assertEquals(integer(1), c.call("EXPIRE", "k", "-1", "LT"));
    assertEquals(integer(0), c.call("EXISTS", "k"));
  }

  @Test
  void errors() {
    assertEquals(OK, c.call("SET", "k", "v"));
    String nxAnd = "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n";
    assertEquals(nxAnd, c.call("EXPIRE", "k", "1", "NX", "XX"));
    assertEquals(nxAnd, c.call("PEXPIRE", "k", "1", "GT", "NX"));
    assertEquals(nxAnd, c.call("EXPIREAT", "k", "1", "NX", "LT"));
    assertEquals(
        "-ERR GT and LT options at the same time are not compatible\r\n",
        c.call("PEXPIREAT", "k", "1", "GT", "LT"));
    assertEquals("-ERR Unsupported option FOO\r\n", c.call("EXPIRE", "k", "1", "FOO"));
    assertEquals("-ERR value is not an integer or out of range\r\n", c.call("EXPIRE", "k", "1.5"));
    for (String[] cmd :
        new String[][] {
          {"EXPIRE", "9223372036854775807"},
          {"EXPIRE", "-9223372036854775808"},
          {"EXPIREAT", "9223372036854776"},
          {"PEXPIRE", "9223372036854775807"},
        }) {
      assertEquals(
          "-ERR invalid expire time in '" + cmd[0].toLowerCase() + "' command\r\n",
          c.call(cmd[0], "k", cmd[1]),
          String.join(" ", cmd));
    }
    assertEquals(integer(1), c.call("PEXPIREAT", "k", "9223372036854775807"));
    assertEquals(integer(Long.MAX_VALUE), c.call("PEXPIRETIME", "k"));
    assertEquals("-ERR wrong number of arguments for 'expire' command\r\n", c.call("EXPIRE", "k"));
  }

  @Test
  void keysExpireLazilyAndActively() {
    assertEquals(OK, c.call("SET", "lazy", "v", "PX", "20"));
    assertEquals(OK, c.call("SET", "active", "v"));
    assertEquals(integer(1), c.call("PEXPIRE", "active", "20"));
    assertEquals(OK, c.call("SET", "kept", "v", "EX", "1000"));
    await("lazy expiry", () -> c.call("GET", "lazy").equals("$-1\r\n"));
    // Nobody reads "active": the store's timer wheel must reclaim it.
    await("active expiry", () -> c.call("DBSIZE").equals(integer(1)));
    assertEquals(integer(1), c.call("EXISTS", "kept"));
  }

  @Test
  void getExAndSetTtlsExpire() {
    assertEquals(OK, c.call("SET", "a", "v"));
    assertEquals("$1\r\nv\r\n", c.call("GETEX", "a", "PX", "20"));
    assertEquals(OK, c.call("PSETEX", "b", "20", "v"));
    await("GETEX PX expiry", () -> c.call("EXISTS", "a", "b").equals(integer(0)));
  }
}
