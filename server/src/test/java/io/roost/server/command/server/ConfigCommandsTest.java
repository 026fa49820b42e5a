package io.roost.server.command.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Redis's stringmatch rules over names, as CONFIG GET and COMMAND LIST use them (the store's
 * GlobMatcherTest covers the matcher itself).
 */
class ConfigCommandsTest {
  private static boolean matches(String pattern, String name) {
    byte[] p = pattern.getBytes(StandardCharsets.ISO_8859_1);
    // an offset, as in a request frame
    UnsafeBuffer frame = new UnsafeBuffer(new byte[p.length + 3]);
    frame.putBytes(3, p);
    return ConfigCommands.nameMatches(frame, 3, p.length, name);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, anything, true",
    "'', a, false",
    "max*, maxmemory, true",
    "max*, maxmemory-policy, true",
    "MAX*, maxmemory-policy, true",
    "*policy, maxmemory-policy, true",
    "*memory*, maxmemory-samples, true",
    "*memory*, port, false",
    "port, port, true",
    "PoRt, port, true",
    "port, ports, false",
    "p?rt, port, true",
    "p?rt, prt, false",
    "??, ab, true",
    "??, abc, false",
    "[pq]ort, port, true",
    "[PQ]ort, qort, true",
    "[pq]ort, rort, false",
    "[^p]ort, port, false",
    "[^p]ort, sort, true",
    "[a-c]x, bx, true",
    "[A-C]x, bx, true",
    "[a-c]x, dx, false",
    "[c-a]x, bx, true",
    "a\\*b, a*b, true",
    "a\\*b, axb, false",
    "[\\]], ], true",
    "*a*b*c*, xxaxxbxxcxx, true",
    "*a*b*c*, xxaxxcxxbxx, false",
    "a*, a, true",
    "*a, a, true",
    "a**b, ab, true",
    "h*llo, hello, true",
    "h*llo, hllo, true",
    "h*llo, hell, false",
    "client|*, client|list, true",
    "cl*, config|get, false"
  })
  void matchesLikeRedis(String pattern, String name, boolean expected) {
    assertEquals(expected, matches(pattern, name));
  }

  @Test
  void pathologicalPatternsStayLinear() {
    String name = "a".repeat(2000);
    assertFalse(matches("*a".repeat(50) + "b", name));
    assertTrue(matches("*a".repeat(50), name));
  }
}
