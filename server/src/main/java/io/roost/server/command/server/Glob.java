package io.roost.server.command.server;

/**
 * Redis glob matching for CONFIG GET names ({@code * ? [abc] [^a] [a-z] \x}), iterative: a mismatch
 * after a star restarts from the last star only, so no pattern takes more than O(pattern × text)
 * steps and no recursion is used.
 */
final class Glob {
  private Glob() {}

  static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int starP = -1;
    int starT = -1;
    while (t < text.length()) {
      if (p < pattern.length()) {
        char c = pattern.charAt(p);
        if (c == '*') {
          starP = ++p;
          starT = t;
          continue;
        }
        int next = single(pattern, p, text.charAt(t));
        if (next >= 0) {
          p = next;
          t++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      p = starP;
      t = ++starT;
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** Matches one pattern element at {@code p} against {@code c}; the next index, or -1. */
  private static int single(String pattern, int p, char c) {
    char pc = pattern.charAt(p);
    if (pc == '?') {
      return p + 1;
    }
    if (pc == '\\' && p + 1 < pattern.length()) {
      return pattern.charAt(p + 1) == c ? p + 2 : -1;
    }
    if (pc != '[') {
      return pc == c ? p + 1 : -1;
    }
    int i = p + 1;
    boolean not = i < pattern.length() && pattern.charAt(i) == '^';
    if (not) {
      i++;
    }
    boolean match = false;
    while (i < pattern.length() && pattern.charAt(i) != ']') {
      char a = pattern.charAt(i);
      if (a == '\\' && i + 1 < pattern.length()) {
        match |= pattern.charAt(++i) == c;
      } else if (i + 2 < pattern.length()
          && pattern.charAt(i + 1) == '-'
          && pattern.charAt(i + 2) != ']') {
        char lo = a;
        char hi = pattern.charAt(i + 2);
        if (lo > hi) {
          char x = lo;
          lo = hi;
          hi = x;
        }
        match |= c >= lo && c <= hi;
        i += 2;
      } else {
        match |= a == c;
      }
      i++;
    }
    // An unterminated class ends at the pattern's end, as Redis treats it.
    return match != not ? Math.min(i + 1, pattern.length()) : -1;
  }
}
