package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class GlobMatcherTest {
  private static boolean m(final String pattern, final String s) {
    final UnsafeBuffer p = buf(pattern);
    final UnsafeBuffer x = buf(s);
    return GlobMatcher.matches(p, 0, p.capacity(), x, 0, x.capacity(), false);
  }

  @Test
  void redisSemantics() {
    assertTrue(m("*", "anything"));
    assertTrue(m("a*", "abc"));
    assertTrue(m("*c", "abc"));
    assertTrue(m("a*c", "ac"));
    assertTrue(m("a?c", "abc"));
    assertEquals(false, m("a?c", "ac"));
    assertTrue(m("h[ae]llo", "hallo"));
    assertTrue(m("h[ae]llo", "hello"));
    assertEquals(false, m("h[ae]llo", "hillo"));
    assertTrue(m("h[^e]llo", "hallo"));
    assertEquals(false, m("h[^e]llo", "hello"));
    assertTrue(m("h[a-b]llo", "hbllo"));
    assertTrue(m("h[b-a]llo", "hallo"));
    assertEquals(false, m("h[a-b]llo", "hcllo"));
    assertTrue(m("\\*", "*"));
    assertEquals(false, m("\\*", "a"));
    assertTrue(m("[\\]]", "]"));
    assertTrue(m("[abc", "c"));
    assertEquals(false, m("[", "["));
    assertTrue(m("a\\", "a\\"));
    assertTrue(m("user:*:name", "user:42:name"));
    assertEquals(false, m("user:*:name", "user:42:nam"));
    assertTrue(m("**", "x"));
    assertTrue(m("*a*", "bab"));
    assertEquals(false, m("*", ""));
    assertTrue(m("", ""));
    assertEquals(false, m("", "a"));
    assertTrue(m("a*b*c", "aXbYc"));
    assertEquals(false, m("a*b*c", "aXbY"));
  }

  @Test
  void nocase() {
    final UnsafeBuffer p = buf("HeL[L-M]o*");
    final UnsafeBuffer x = buf("hellO world");
    assertTrue(GlobMatcher.matches(p, 0, p.capacity(), x, 0, x.capacity(), true));
  }

  @Test
  void hostilePatternIsPolynomial() {
    final String pattern = "a*".repeat(40) + "b";
    final String subject = "a".repeat(60);
    final UnsafeBuffer p = buf(pattern);
    final UnsafeBuffer x = buf(subject);
    assertEquals(false, GlobMatcher.matches(p, 0, p.capacity(), x, 0, x.capacity(), false));
    final long steps = GlobMatcher.steps(p, 0, p.capacity(), x, 0, x.capacity());
    assertTrue(steps <= (long) (pattern.length() + 1) * (subject.length() + 1), "steps=" + steps);
  }
}
