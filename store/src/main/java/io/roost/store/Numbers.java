package io.roost.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.MutableLong;

/**
 * Number parsing and formatting with Redis's exact rules (util.c string2ll, ll2string, string2ld,
 * ld2string LD_STR_HUMAN). Stateless; any thread.
 *
 * <p>Float increments emulate x87 80-bit {@code long double}: values are kept as exact {@link
 * BigDecimal}s rounded to a 64-bit significand (round half even) after parsing and after each
 * addition, then printed as {@code %.17Lf} with trailing zeros removed. Hexadecimal float input
 * ({@code 0x1p3}) is not accepted. This path allocates; INCRBYFLOAT is not on the zero-allocation
 * list.
 */
public final class Numbers {
  /** Longest decimal long: "-9223372036854775808". */
  public static final int MAX_LONG_CHARS = 20;

  private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
  private static final int MAX_BINARY_EXPONENT = 16384;

  private Numbers() {}

  /**
   * Strict decimal long (string2ll): no spaces, no '+', no leading zeros, "-0" rejected.
   *
   * @param out receives the value.
   * @return true if parsed.
   */
  public static boolean parseLong(
      final DirectBuffer b, final int off, final int len, final MutableLong out) {
    if (len == 0 || len > MAX_LONG_CHARS) {
      return false;
    }
    if (len == 1 && b.getByte(off) == '0') {
      out.set(0);
      return true;
    }
    int i = 0;
    boolean negative = false;
    if (b.getByte(off) == '-') {
      negative = true;
      i = 1;
      if (len == 1) {
        return false;
      }
    }
    final byte first = b.getByte(off + i);
    if (first < '1' || first > '9') {
      return false;
    }
    final long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    final long multmin = limit / 10;
    long result = 0;
    for (; i < len; i++) {
      final int d = b.getByte(off + i) - '0';
      if (d < 0 || d > 9 || result < multmin) {
        return false;
      }
      result *= 10;
      if (result < limit + d) {
        return false;
      }
      result -= d;
    }
    out.set(negative ? result : -result);
    return true;
  }

  /**
   * @param out receives the value.
   * @return true if the bytes are a canonical long; no allocation.
   */
  public static boolean isCanonicalLong(
      final DirectBuffer b, final int off, final int len, final MutableLong out) {
    return parseLong(b, off, len, out);
  }

  /**
   * Writes a long in decimal.
   *
   * @return bytes written (at most 20).
   */
  public static int formatLong(final long value, final MutableDirectBuffer dst, final int off) {
    if (value == Long.MIN_VALUE) {
      final byte[] s = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      dst.putBytes(off, s);
      return s.length;
    }
    long v = value;
    int pos = off;
    if (v < 0) {
      dst.putByte(pos++, (byte) '-');
      v = -v;
    }
    final int digits = digits(v);
    for (int i = digits - 1; i >= 0; i--) {
      dst.putByte(pos + i, (byte) ('0' + v % 10));
      v /= 10;
    }
    return pos + digits - off;
  }

  static int digits(final long v) {
    int n = 1;
    long x = v;
    while (x >= 10) {
      x /= 10;
      n++;
    }
    return n;
  }

  /**
   * Parses a long double as strtold would (decimal forms, inf/infinity; NaN, spaces, empty and
   * out-of-range values rejected).
   *
   * @return the value rounded to a 64-bit significand, {@link #POSITIVE_INFINITY}/{@link
   *     #NEGATIVE_INFINITY}, or null if not a valid float.
   */
  public static BigDecimal parseLongDouble(final DirectBuffer b, final int off, final int len) {
    if (len == 0 || len >= 5 * 1024) {
      return null;
    }
    final byte[] bytes = new byte[len];
    b.getBytes(off, bytes);
    final String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    final String lower = s.toLowerCase(java.util.Locale.ROOT);
    final String unsigned =
        lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
    }
    final BigDecimal exact;
    if (unsigned.startsWith("0x")) {
      exact = parseHex(unsigned.substring(2), lower.startsWith("-"));
      if (exact == null) {
        return null;
      }
    } else {
      for (int i = 0; i < unsigned.length(); i++) {
        final char c = unsigned.charAt(i);
        if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == '+' || c == '-')) {
          return null;
        }
      }
      if (unsigned.isEmpty() || unsigned.charAt(0) == '+' || unsigned.charAt(0) == '-') {
        return null;
      }
      try {
        exact = new BigDecimal(s);
      } catch (final NumberFormatException e) {
        return null;
      }
    }
    final BigDecimal r = roundToLongDouble(exact);
    if (r == POSITIVE_INFINITY || r == NEGATIVE_INFINITY) {
      return null; // ERANGE overflow
    }
    if (r.signum() == 0 && exact.signum() != 0) {
      return null; // ERANGE underflow to zero
    }
    return r;
  }

  /**
   * A C99 hexadecimal float body after "0x" ({@code hex[.hex][p[+-]dec]}), exactly, as strtold
   * reads it; null when malformed.
   */
  private static BigDecimal parseHex(final String body, final boolean negative) {
    final int p = body.indexOf('p');
    final String mantissa = p < 0 ? body : body.substring(0, p);
    final int dot = mantissa.indexOf('.');
    final String digits =
        dot < 0 ? mantissa : mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    if (digits.isEmpty() || mantissa.indexOf('.', dot + 1) > 0) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        return null;
      }
    }
    long exponent = 0;
    if (p >= 0) {
      final String e = body.substring(p + 1);
      if (e.isEmpty() || e.length() > 6 || !e.matches("[+-]?[0-9]+")) {
        return null;
      }
      exponent = Long.parseLong(e.startsWith("+") ? e.substring(1) : e);
    }
    exponent -= 4L * (dot < 0 ? 0 : mantissa.length() - dot - 1);
    BigDecimal v = new BigDecimal(new java.math.BigInteger(digits, 16));
    if (exponent >= 0) {
      v = v.multiply(BigDecimal.valueOf(2).pow((int) Math.min(exponent, 20000)));
    } else {
      final int k = (int) Math.min(-exponent, 20000);
      v = v.multiply(BigDecimal.valueOf(5).pow(k)).scaleByPowerOfTen(-k);
    }
    return negative ? v.negate() : v;
  }

  /** Marker for +inf (compare by identity). */
  public static final BigDecimal POSITIVE_INFINITY = new BigDecimal("1E+5000");

  /** Marker for -inf (compare by identity). */
  public static final BigDecimal NEGATIVE_INFINITY = new BigDecimal("-1E+5000");

  /**
   * @return a + b in long double arithmetic, or an infinity marker.
   */
  public static BigDecimal addLongDouble(final BigDecimal a, final BigDecimal b) {
    final boolean aInf = a == POSITIVE_INFINITY || a == NEGATIVE_INFINITY;
    final boolean bInf = b == POSITIVE_INFINITY || b == NEGATIVE_INFINITY;
    if (aInf || bInf) {
      return aInf ? a : b; // inf - inf is NaN: also rejected by the caller
    }
    return roundToLongDouble(a.add(b));
  }

  /**
   * @return true for the infinity markers.
   */
  public static boolean isInfinite(final BigDecimal v) {
    return v == POSITIVE_INFINITY || v == NEGATIVE_INFINITY;
  }

  static BigDecimal roundToLongDouble(final BigDecimal x) {
    if (x.signum() == 0) {
      return BigDecimal.ZERO;
    }
    final BigDecimal abs = x.abs();
    final BigInteger unscaled = abs.unscaledValue();
    final int scale = abs.scale();
    long e = (long) Math.floor(unscaled.bitLength() - 1 - scale * 3.321928094887362) - 63;
    for (int attempt = 0; attempt < 8; attempt++) {
      if (e > MAX_BINARY_EXPONENT) {
        return x.signum() > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
      }
      if (e < -MAX_BINARY_EXPONENT - 64) {
        return BigDecimal.ZERO;
      }
      // m = round(abs / 2^e)
      BigInteger num = unscaled;
      BigInteger den = BigInteger.ONE;
      if (scale > 0) {
        den = BigInteger.TEN.pow(scale);
      } else if (scale < 0) {
        num = num.multiply(BigInteger.TEN.pow(-scale));
      }
      if (e > 0) {
        den = den.shiftLeft((int) e);
      } else {
        num = num.shiftLeft((int) -e);
      }
      final BigInteger[] qr = num.divideAndRemainder(den);
      BigInteger m = qr[0];
      final int cmp = qr[1].shiftLeft(1).compareTo(den);
      if (cmp > 0 || (cmp == 0 && m.testBit(0))) {
        m = m.add(BigInteger.ONE);
      }
      if (m.compareTo(TWO_63) < 0) {
        e--;
        continue;
      }
      if (m.compareTo(TWO_64) >= 0) {
        if (m.equals(TWO_64) && qr[0].compareTo(TWO_64) < 0) {
          m = TWO_63;
          e++;
        } else {
          e++;
          continue;
        }
      }
      if (e > MAX_BINARY_EXPONENT - 64) {
        return x.signum() > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
      }
      BigDecimal r = new BigDecimal(m);
      if (e > 0) {
        r = new BigDecimal(m.shiftLeft((int) e));
      } else if (e < 0) {
        r = new BigDecimal(m.multiply(BigInteger.valueOf(5).pow((int) -e)), (int) -e);
      }
      return x.signum() < 0 ? r.negate() : r;
    }
    throw new IllegalStateException("long double rounding did not converge x=" + x);
  }

  /**
   * Redis ld2string LD_STR_HUMAN: {@code %.17Lf}, trailing zeros (and a trailing '.') removed, "-0"
   * printed as "0".
   *
   * @return ASCII bytes.
   */
  public static byte[] formatLongDoubleHuman(final BigDecimal value) {
    String s = value.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
    if (s.indexOf('.') >= 0) {
      int end = s.length();
      while (s.charAt(end - 1) == '0') {
        end--;
      }
      if (s.charAt(end - 1) == '.') {
        end--;
      }
      s = s.substring(0, end);
    }
    if (s.equals("-0")) {
      s = "0";
    }
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
