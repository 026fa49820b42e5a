package io.roost.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Number parsing and formatting with Redis 7.4's exact rules; stateless and thread-safe.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>{@link #parseLong} follows {@code string2ll} (util.c): no sign other than a leading {@code
 *       '-'}, no {@code '+'}, no spaces, no leading zeros except {@code "0"} itself, so {@code
 *       "-0"} is rejected; at most 20 characters; the range of a Java {@code long}.
 *   <li>{@link #parseDouble} follows {@code string2d} (util.c, used by {@code
 *       getDoubleFromObject}): the syntax of C {@code strtod} (decimal with optional exponent,
 *       hexadecimal {@code 0x...[p...]}, {@code inf}/{@code infinity} in any case, with an optional
 *       sign), the whole argument consumed, no leading space, NaN rejected, overflow to infinity
 *       rejected, underflow to zero rejected (subnormal results are accepted, as glibc does).
 *       Redis's {@code getLongDoubleFromObject} parses 80-bit long doubles, whose range is wider;
 *       Roost has no long double, so values beyond the double range are rejected there too. Common
 *       short decimals are parsed without allocation (exact fast path); everything else goes
 *       through {@link Double#parseDouble} on a validated Latin-1 string.
 *   <li>{@link #formatDouble(double)} follows {@code d2string} (util.c) as used by {@code
 *       addReplyDouble} in both RESP2 and RESP3: {@code nan}, {@code inf}, {@code -inf}, {@code
 *       -0}, integral values in [-2^62, 2^62] as integers, others as the shortest round-trip digits
 *       laid out like Redis's {@code fpconv_dtoa} ({@code emit_digits}). Redis's Grisu2 produces
 *       the shortest digits for all but a tiny fraction of doubles; for those Roost prints the
 *       shortest digits where Redis may print one more (both parse back to the same double).
 * </ul>
 */
public final class RespNumbers {
  /** Upper bound on the bytes {@link #formatDouble(double, byte[], int)} writes. */
  public static final int MAX_DOUBLE_CHARS = 32;

  /** Redis {@code LONG_STR_SIZE}: a string of this length or longer is not a long. */
  private static final int LONG_STR_SIZE = 21;

  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private static final double TWO_POW_62 = 0x1p62;

  private RespNumbers() {}

  // ---------------------------------------------------------------------------------- parsing

  /** Parses {@code len} bytes at {@code index} with Redis's {@code string2ll} rules. */
  public static long parseLong(ByteBuf buf, int index, int len) throws RespNumberException {
    if (len == 0 || len >= LONG_STR_SIZE) {
      throw RespNumberException.INSTANCE;
    }
    int p = index;
    int end = index + len;
    byte first = buf.getByte(p);
    if (len == 1 && first == '0') {
      return 0;
    }
    boolean negative = false;
    if (first == '-') {
      negative = true;
      p++;
      if (p == end) {
        throw RespNumberException.INSTANCE;
      }
    }
    byte b = buf.getByte(p);
    if (b < '1' || b > '9') {
      throw RespNumberException.INSTANCE;
    }
    // Accumulate negatively so that Long.MIN_VALUE fits.
    long v = -(b - '0');
    p++;
    while (p < end) {
      b = buf.getByte(p);
      if (b < '0' || b > '9') {
        throw RespNumberException.INSTANCE;
      }
      if (v < Long.MIN_VALUE / 10) {
        throw RespNumberException.INSTANCE;
      }
      v *= 10;
      int digit = b - '0';
      if (v < Long.MIN_VALUE + digit) {
        throw RespNumberException.INSTANCE;
      }
      v -= digit;
      p++;
    }
    if (negative) {
      return v;
    }
    if (v == Long.MIN_VALUE) {
      throw RespNumberException.INSTANCE;
    }
    return -v;
  }

  /** Parses {@code len} bytes at {@code index} with Redis's {@code string2d} rules. */
  public static double parseDouble(ByteBuf buf, int index, int len) throws RespNumberException {
    if (len == 0) {
      throw RespNumberException.INSTANCE;
    }
    int end = index + len;
    int p = index;
    boolean negative = false;
    byte b = buf.getByte(p);
    if (b == '+' || b == '-') {
      negative = b == '-';
      p++;
      if (p == end) {
        throw RespNumberException.INSTANCE;
      }
      b = buf.getByte(p);
    }
    if (b == 'i' || b == 'I') {
      int rest = end - p;
      if ((rest == 3 && matchesIgnoreCase(buf, p, "INF"))
          || (rest == 8 && matchesIgnoreCase(buf, p, "INFINITY"))) {
        return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      throw RespNumberException.INSTANCE;
    }
    if (b == '0' && p + 1 < end && (buf.getByte(p + 1) | 0x20) == 'x') {
      return parseHexDouble(buf, index, p + 2, end);
    }
    // Decimal: digits [ '.' digits ] [ ('e'|'E') [sign] digits ], at least one mantissa digit.
    long mantissa = 0;
    int significant = 0; // digits accumulated into mantissa (after leading zeros), at most 18
    boolean nonZero = false;
    int digits = 0;
    int dropped = 0; // integer digits not accumulated (beyond 18 significant digits)
    int fractionDigits = 0; // fraction digits accumulated into mantissa
    boolean exact = true;
    while (p < end && (b = buf.getByte(p)) >= '0' && b <= '9') {
      digits++;
      if (b != '0' || nonZero) {
        nonZero |= b != '0';
        if (significant < 18) {
          mantissa = mantissa * 10 + (b - '0');
          significant++;
        } else {
          dropped++;
          exact = false;
        }
      }
      p++;
    }
    if (p < end && buf.getByte(p) == '.') {
      p++;
      while (p < end && (b = buf.getByte(p)) >= '0' && b <= '9') {
        digits++;
        if (b != '0' || nonZero) {
          nonZero |= b != '0';
          if (significant < 18) {
            mantissa = mantissa * 10 + (b - '0');
            significant++;
            fractionDigits++;
          } else {
            exact = false;
          }
        } else {
          fractionDigits++;
        }
        p++;
      }
    }
    if (digits == 0) {
      throw RespNumberException.INSTANCE;
    }
    long exponent = 0;
    if (p < end && (buf.getByte(p) | 0x20) == 'e') {
      p++;
      boolean expNegative = false;
      if (p < end && (buf.getByte(p) == '+' || buf.getByte(p) == '-')) {
        expNegative = buf.getByte(p) == '-';
        p++;
      }
      int expDigits = 0;
      while (p < end && (b = buf.getByte(p)) >= '0' && b <= '9') {
        if (exponent < 1_000_000) {
          exponent = exponent * 10 + (b - '0');
        }
        expDigits++;
        p++;
      }
      if (expDigits == 0) {
        throw RespNumberException.INSTANCE; // strtod would stop before the 'e'
      }
      if (expNegative) {
        exponent = -exponent;
      }
    }
    if (p != end) {
      throw RespNumberException.INSTANCE;
    }
    if (!nonZero) {
      return negative ? -0.0 : 0.0;
    }
    long scale = exponent - fractionDigits + dropped;
    double value;
    if (exact && mantissa < (1L << 53) && scale >= -22 && scale <= 22) {
      // Both operands are exact doubles, so one IEEE operation rounds correctly.
      value =
          scale >= 0
              ? (double) mantissa * POWERS_OF_TEN[(int) scale]
              : (double) mantissa / POWERS_OF_TEN[(int) -scale];
      if (Double.isInfinite(value)) {
        throw RespNumberException.INSTANCE;
      }
      return negative ? -value : value;
    }
    value = Double.parseDouble(buf.toString(index, len, StandardCharsets.ISO_8859_1));
    return checkRange(value);
  }

  private static double parseHexDouble(ByteBuf buf, int index, int p, int end)
      throws RespNumberException {
    int hexDigits = 0;
    boolean nonZero = false;
    byte b;
    while (p < end && isHexDigit(b = buf.getByte(p))) {
      nonZero |= b != '0';
      hexDigits++;
      p++;
    }
    if (p < end && buf.getByte(p) == '.') {
      p++;
      while (p < end && isHexDigit(b = buf.getByte(p))) {
        nonZero |= b != '0';
        hexDigits++;
        p++;
      }
    }
    if (hexDigits == 0) {
      throw RespNumberException.INSTANCE; // strtod parses just the "0"
    }
    boolean hasExponent = false;
    if (p < end && (buf.getByte(p) | 0x20) == 'p') {
      p++;
      if (p < end && (buf.getByte(p) == '+' || buf.getByte(p) == '-')) {
        p++;
      }
      int expDigits = 0;
      while (p < end && (b = buf.getByte(p)) >= '0' && b <= '9') {
        expDigits++;
        p++;
      }
      if (expDigits == 0) {
        throw RespNumberException.INSTANCE;
      }
      hasExponent = true;
    }
    if (p != end) {
      throw RespNumberException.INSTANCE;
    }
    String text = buf.toString(index, end - index, StandardCharsets.ISO_8859_1);
    double value = Double.parseDouble(hasExponent ? text : text + "p0");
    if (!nonZero) {
      return value;
    }
    return checkRange(value);
  }

  private static double checkRange(double value) throws RespNumberException {
    // strtod reports ERANGE with HUGE_VAL on overflow and with zero on total underflow.
    if (Double.isInfinite(value) || Double.isNaN(value) || value == 0) {
      throw RespNumberException.INSTANCE;
    }
    return value;
  }

  private static boolean isHexDigit(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }

  private static boolean matchesIgnoreCase(ByteBuf buf, int index, String upper) {
    for (int i = 0; i < upper.length(); i++) {
      int b = buf.getByte(index + i);
      if (b >= 'a' && b <= 'z') {
        b -= 'a' - 'A';
      }
      if (b != upper.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------------------- formatting

  /** Number of characters of {@code v} in decimal, including a minus sign. */
  public static int stringLength(long v) {
    if (v < 0) {
      return v == Long.MIN_VALUE ? 20 : 1 + stringLength(-v);
    }
    int n = 1;
    long limit = 10;
    while (n < 19 && v >= limit) {
      n++;
      limit *= 10;
    }
    return n;
  }

  /** Writes {@code v} in decimal into {@code dst} at {@code off}; returns the length. */
  public static int formatLong(long v, byte[] dst, int off) {
    int len = stringLength(v);
    int p = off + len;
    if (v < 0) {
      dst[off] = '-';
      // Work with negative values so that Long.MIN_VALUE needs no special case.
      do {
        dst[--p] = (byte) ('0' - (v % 10));
        v /= 10;
      } while (v != 0);
    } else {
      do {
        dst[--p] = (byte) ('0' + (v % 10));
        v /= 10;
      } while (v != 0);
    }
    return len;
  }

  /** Formats {@code d} exactly as Redis 7.4's {@code d2string} does. */
  public static String formatDouble(double d) {
    byte[] buf = new byte[MAX_DOUBLE_CHARS];
    int len = formatDouble(d, buf, 0);
    return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
  }

  /**
   * Formats {@code d} as Redis 7.4's {@code d2string} into {@code dst} at {@code off} (room for
   * {@link #MAX_DOUBLE_CHARS} bytes needed); returns the length. Integral values allocate nothing.
   */
  public static int formatDouble(double d, byte[] dst, int off) {
    if (Double.isNaN(d)) {
      return put(dst, off, "nan");
    }
    if (Double.isInfinite(d)) {
      return put(dst, off, d < 0 ? "-inf" : "inf");
    }
    if (d == 0) {
      return put(dst, off, 1.0 / d < 0 ? "-0" : "0");
    }
    if (d >= -TWO_POW_62 && d <= TWO_POW_62) {
      long l = (long) d;
      if (l == d) {
        return formatLong(l, dst, off);
      }
    }
    return formatShortest(d, dst, off);
  }

  private static int put(byte[] dst, int off, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      dst[off + i] = (byte) ascii.charAt(i);
    }
    return ascii.length();
  }

  /** The shortest round-trip digits, laid out like fpconv's {@code emit_digits}. */
  private static int formatShortest(double d, byte[] dst, int off) {
    boolean negative = d < 0;
    // Double.toString yields the shortest digits that round-trip (JDK 19+).
    String s = Double.toString(Math.abs(d));
    byte[] digits = new byte[20];
    int ndigits = 0;
    int pointPos = 0;
    boolean seenPoint = false;
    int exp10 = 0;
    int i = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        seenPoint = true;
      } else if (c == 'E') {
        exp10 = Integer.parseInt(s, i + 1, s.length(), 10);
        break;
      } else {
        if (ndigits == 0 && c == '0') {
          // leading zero: shifts the point left
          if (!seenPoint) {
            continue;
          }
          pointPos--;
          continue;
        }
        digits[ndigits++] = (byte) c;
        if (!seenPoint) {
          pointPos++;
        }
      }
    }
    while (ndigits > 1 && digits[ndigits - 1] == '0') {
      ndigits--;
    }
    pointPos += exp10;
    int k = pointPos - ndigits; // value = digits * 10^k
    if (ndigits == 2 && Math.abs(d) < Double.MIN_NORMAL) {
      // Double.toString prints two digits where one would do (deep subnormals): use the one.
      int first = digits[0] - '0';
      int preferred = digits[1] >= '5' ? first + 1 : first;
      double abs = Math.abs(d);
      for (int c : new int[] {preferred, preferred == first ? first + 1 : first}) {
        if (Double.parseDouble(c + "e" + (k + 1)) == abs) {
          if (c == 10) {
            digits[0] = '1';
            k += 2;
          } else {
            digits[0] = (byte) ('0' + c);
            k += 1;
          }
          ndigits = 1;
          break;
        }
      }
    }
    int p = off;
    if (negative) {
      dst[p++] = '-';
    }
    int exp = Math.abs(k + ndigits - 1);
    if (k >= 0 && exp < ndigits + 7) {
      System.arraycopy(digits, 0, dst, p, ndigits);
      p += ndigits;
      for (int z = 0; z < k; z++) {
        dst[p++] = '0';
      }
      return p - off;
    }
    if (k < 0 && (k > -7 || exp < 4)) {
      int offset = ndigits + k;
      if (offset <= 0) {
        dst[p++] = '0';
        dst[p++] = '.';
        for (int z = 0; z < -offset; z++) {
          dst[p++] = '0';
        }
        System.arraycopy(digits, 0, dst, p, ndigits);
        p += ndigits;
      } else {
        System.arraycopy(digits, 0, dst, p, offset);
        p += offset;
        dst[p++] = '.';
        System.arraycopy(digits, offset, dst, p, ndigits - offset);
        p += ndigits - offset;
      }
      return p - off;
    }
    dst[p++] = digits[0];
    if (ndigits > 1) {
      dst[p++] = '.';
      System.arraycopy(digits, 1, dst, p, ndigits - 1);
      p += ndigits - 1;
    }
    dst[p++] = 'e';
    dst[p++] = (byte) (k + ndigits - 1 < 0 ? '-' : '+');
    int cent = 0;
    if (exp > 99) {
      cent = exp / 100;
      dst[p++] = (byte) ('0' + cent);
      exp -= cent * 100;
    }
    if (exp > 9) {
      int dec = exp / 10;
      dst[p++] = (byte) ('0' + dec);
      exp -= dec * 10;
    } else if (cent != 0) {
      dst[p++] = '0';
    }
    dst[p++] = (byte) ('0' + exp % 10);
    return p - off;
  }
}
