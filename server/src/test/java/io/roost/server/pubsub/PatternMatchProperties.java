package io.roost.server.pubsub;

import io.roost.store.GlobMatcher;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assertions;

/**
 * PSUBSCRIBE's matcher (the store's {@link GlobMatcher}) against a plain recursive reference
 * written from Redis's stringmatchlen rules: {@code *}, {@code ?}, classes with {@code ^}, ranges
 * (reversed ones swapped), {@code \} escapes inside and outside classes, an unterminated class
 * running to the end, trailing stars matched once the string is used up, and an empty channel
 * matching only an empty pattern.
 */
class PatternMatchProperties {
  @Property(tries = 20_000)
  void matcherAgreesWithTheReference(
      @ForAll @StringLength(max = 7) @Chars({'a', 'b', '*', '?', '[', ']', '^', '-', '\\'})
          String pattern,
      @ForAll @StringLength(max = 6) @Chars({'a', 'b', '-', ']', '[', '^', '\\', '*'})
          String channel) {
    byte[] p = pattern.getBytes(StandardCharsets.ISO_8859_1);
    byte[] s = channel.getBytes(StandardCharsets.ISO_8859_1);
    Assertions.assertEquals(
        reference(p, s),
        GlobMatcher.matches(
            new UnsafeBuffer(p), 0, p.length, new UnsafeBuffer(s), 0, s.length, false),
        () -> "pattern=" + pattern + " channel=" + channel);
  }

  @Example
  void knownCases() {
    Assertions.assertTrue(reference(b("h[^e]llo"), b("hallo")));
    Assertions.assertFalse(reference(b("*"), b("")));
    Assertions.assertTrue(reference(b("a*"), b("a")));
    Assertions.assertTrue(reference(b("[^"), b("x")));
    Assertions.assertFalse(reference(b("["), b("[")));
    Assertions.assertTrue(reference(b("[b-a]"), b("a")));
    Assertions.assertTrue(reference(b("\\*"), b("*")));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** True when {@code s} matches {@code p}; an empty string matches only an empty pattern. */
  static boolean reference(byte[] p, byte[] s) {
    return match(p, 0, s, 0);
  }

  private static boolean match(byte[] p, int pi, byte[] s, int si) {
    while (pi < p.length && si < s.length) {
      byte c = p[pi];
      if (c == '*') {
        while (pi + 1 < p.length && p[pi + 1] == '*') {
          pi++;
        }
        if (pi == p.length - 1) {
          return true;
        }
        for (int k = si; k < s.length; k++) {
          if (match(p, pi + 1, s, k)) {
            return true;
          }
        }
        return false;
      } else if (c == '?') {
        si++;
      } else if (c == '[') {
        int end = classEnd(p, pi);
        if (!classMatches(p, pi, s[si])) {
          return false;
        }
        pi = end;
        si++;
      } else {
        if (c == '\\' && p.length - pi >= 2) {
          pi++;
        }
        if (p[pi] != s[si]) {
          return false;
        }
        si++;
      }
      pi++;
      if (si == s.length) {
        while (pi < p.length && p[pi] == '*') {
          pi++;
        }
        break;
      }
    }
    return pi == p.length && si == s.length;
  }

  /**
   * Index of the last byte of the class starting at {@code at}: its {@code ]}, or the pattern's
   * last byte when it is not closed.
   */
  private static int classEnd(byte[] p, int at) {
    int i = at + 1;
    if (i < p.length && p[i] == '^') {
      i++;
    }
    while (true) {
      if (i >= p.length) {
        return p.length - 1;
      }
      if (p[i] == '\\' && p.length - i >= 2) {
        i += 2;
      } else if (p[i] == ']') {
        return i;
      } else if (p.length - i >= 3 && p[i + 1] == '-') {
        i += 3;
      } else {
        i++;
      }
    }
  }

  private static boolean classMatches(byte[] p, int at, byte c) {
    int i = at + 1;
    boolean not = i < p.length && p[i] == '^';
    if (not) {
      i++;
    }
    boolean match = false;
    while (i < p.length && p[i] != ']') {
      if (p[i] == '\\' && p.length - i >= 2) {
        match |= p[i + 1] == c;
        i += 2;
      } else if (p.length - i >= 3 && p[i + 1] == '-') {
        int lo = Math.min(p[i], p[i + 2]);
        int hi = Math.max(p[i], p[i + 2]);
        match |= c >= lo && c <= hi;
        i += 3;
      } else {
        match |= p[i] == c;
        i++;
      }
    }
    return not != match;
  }
}
