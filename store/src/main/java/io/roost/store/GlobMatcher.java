package io.roost.store;

import org.agrona.DirectBuffer;

/**
 * Redis glob matching (util.c stringmatchlen): {@code *}, {@code ?}, {@code [abc]}, {@code [^a]},
 * {@code [a-z]} (reversed ranges swapped, signed-char comparison), {@code \x} escapes, unterminated
 * classes running to the end of the pattern. Stateless; any thread.
 *
 * <p>Iterative two-pointer matching that backtracks only to the most recent {@code *}: every other
 * pattern element consumes exactly one byte, so an earlier star never needs revisiting. Work is
 * O(pattern × string) in the worst case and the stack is constant, so hostile patterns such as
 * {@code a*a*a*a*...b} cannot blow up. As in Redis, an empty string only matches an empty pattern
 * (callers special-case the pattern {@code *}).
 */
public final class GlobMatcher {
  private GlobMatcher() {}

  /**
   * @return true if the string matches the pattern.
   */
  public static boolean matches(
      final DirectBuffer pattern,
      final int patternOffset,
      final int patternLength,
      final DirectBuffer string,
      final int stringOffset,
      final int stringLength,
      final boolean nocase) {
    return (run(pattern, patternOffset, patternLength, string, stringOffset, stringLength, nocase)
            & 1)
        != 0;
  }

  /**
   * @return number of elementary steps the match takes (tests bound it).
   */
  public static long steps(
      final DirectBuffer pattern,
      final int patternOffset,
      final int patternLength,
      final DirectBuffer string,
      final int stringOffset,
      final int stringLength) {
    return run(pattern, patternOffset, patternLength, string, stringOffset, stringLength, false)
        >>> 1;
  }

  /** Result: steps << 1 | matched. */
  private static long run(
      final DirectBuffer pat,
      final int po,
      final int plen,
      final DirectBuffer str,
      final int so,
      final int slen,
      final boolean nocase) {
    if (slen == 0) {
      return plen == 0 ? 1 : 0;
    }
    long steps = 0;
    int p = 0;
    int s = 0;
    int starP = -1;
    int starS = -1;
    while (true) {
      steps++;
      if (s == slen) {
        while (p < plen && pat.getByte(po + p) == '*') {
          p++;
        }
        return (steps << 1) | (p == plen ? 1 : 0);
      }
      if (p < plen && pat.getByte(po + p) == '*') {
        while (p < plen && pat.getByte(po + p) == '*') {
          p++;
        }
        if (p == plen) {
          return (steps << 1) | 1;
        }
        starP = p;
        starS = s;
        continue;
      }
      final int next = p < plen ? matchOne(pat, po, plen, p, str.getByte(so + s), nocase) : -1;
      if (next >= 0) {
        p = next;
        s++;
        continue;
      }
      if (starP < 0) {
        return steps << 1;
      }
      starS++;
      s = starS;
      p = starP;
    }
  }

  private static int lower(final int c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  /**
   * Matches one non-star pattern element at p against byte c.
   *
   * @return pattern index after the element, or -1 on mismatch.
   */
  private static int matchOne(
      final DirectBuffer pat,
      final int po,
      final int plen,
      final int start,
      final byte c,
      final boolean nocase) {
    int p = start;
    final byte pc = pat.getByte(po + p);
    if (pc == '?') {
      return p + 1;
    }
    if (pc == '[') {
      p++;
      final boolean not = p < plen && pat.getByte(po + p) == '^';
      if (not) {
        p++;
      }
      boolean match = false;
      while (true) {
        if (p >= plen) {
          // unterminated: Redis steps back onto the last byte, then past it
          p = plen - 1;
          break;
        }
        final byte x = pat.getByte(po + p);
        if (x == '\\' && plen - p >= 2) {
          p++;
          if (pat.getByte(po + p) == c) {
            match = true;
          }
        } else if (x == ']') {
          break;
        } else if (plen - p >= 3 && pat.getByte(po + p + 1) == '-') {
          int lo = pat.getByte(po + p);
          int hi = pat.getByte(po + p + 2);
          int cc = c;
          if (lo > hi) {
            final int t = lo;
            lo = hi;
            hi = t;
          }
          if (nocase) {
            lo = lower(lo);
            hi = lower(hi);
            cc = lower(cc);
          }
          p += 2;
          if (cc >= lo && cc <= hi) {
            match = true;
          }
        } else if (nocase ? lower(x) == lower(c) : x == c) {
          match = true;
        }
        p++;
      }
      if (not) {
        match = !match;
      }
      return match ? p + 1 : -1;
    }
    if (pc == '\\' && plen - p >= 2) {
      p++;
    }
    final byte lit = pat.getByte(po + p);
    final boolean eq = nocase ? lower(lit) == lower(c) : lit == c;
    return eq ? p + 1 : -1;
  }
}
