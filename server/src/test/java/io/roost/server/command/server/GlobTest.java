package io.roost.server.command.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's stringmatch rules, as CONFIG GET and COMMAND LIST use them. */
class GlobTest {
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, '', true",
    "*, anything, true",
    "'', '', true",
    "'', a, false",
    "a, '', false",
    "max*, maxmemory, true",
    "max*, maxmemory-policy, true",
    "*policy, maxmemory-policy, true",
    "*memory*, maxmemory-samples, true",
    "*memory*, port, false",
    "port, port, true",
    "port, ports, false",
    "p?rt, port, true",
    "p?rt, prt, false",
    "??, ab, true",
    "??, abc, false",
    "[pq]ort, port, true",
    "[pq]ort, qort, true",
    "[pq]ort, rort, false",
    "[^p]ort, port, false",
    "[^p]ort, sort, true",
    "[a-c]x, bx, true",
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
    "h*llo, hell, false"
  })
  void matchesLikeRedis(String pattern, String text, boolean expected) {
    assertEquals(expected, Glob.matches(pattern, text));
  }

  @Test
  void pathologicalPatternsStayLinear() {
    String text = "a".repeat(2000);
    String pattern = "*a".repeat(50) + "b";
    assertFalse(Glob.matches(pattern, text));
    assertTrue(Glob.matches("*a".repeat(50), text));
  }
}
