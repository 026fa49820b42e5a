package io.roost.store;

import static io.roost.store.TestSupport.buf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class NumbersTest {
  private static boolean parses(final String s, final long expected) {
    final UnsafeBuffer b = buf(s);
    final MutableLong out = new MutableLong();
    return Numbers.parseLong(b, 0, b.capacity(), out) && out.get() == expected;
  }

  private static boolean rejects(final String s) {
    final UnsafeBuffer b = buf(s);
    return !Numbers.parseLong(b, 0, b.capacity(), new MutableLong());
  }

  @Test
  void string2llRules() {
    assertTrue(parses("0", 0));
    assertTrue(parses("-1", -1));
    assertTrue(parses("9223372036854775807", Long.MAX_VALUE));
    assertTrue(parses("-9223372036854775808", Long.MIN_VALUE));
    assertTrue(rejects("9223372036854775808"));
    assertTrue(rejects("-9223372036854775809"));
    assertTrue(rejects("01"));
    assertTrue(rejects("-0"));
    assertTrue(rejects("+1"));
    assertTrue(rejects(" 1"));
    assertTrue(rejects("1 "));
    assertTrue(rejects(""));
    assertTrue(rejects("-"));
    assertTrue(rejects("1a"));
  }

  @Test
  void formatLong() {
    final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
    for (final long v : new long[] {0, 7, -7, 10, Long.MAX_VALUE, Long.MIN_VALUE, 1234567890123L}) {
      final int n = Numbers.formatLong(v, b, 0);
      assertEquals(Long.toString(v), TestSupport.str(b, 0, n));
    }
  }

  private static String add(final String a, final String b) {
    final UnsafeBuffer x = buf(a);
    final UnsafeBuffer y = buf(b);
    return new String(
        Numbers.formatLongDoubleHuman(
            Numbers.addLongDouble(
                Numbers.parseLongDouble(x, 0, x.capacity()),
                Numbers.parseLongDouble(y, 0, y.capacity()))),
        StandardCharsets.US_ASCII);
  }

  @Test
  void longDoubleLikeRedis() {
    assertEquals("20.5", add("10", "10.5"));
    assertEquals("3020.5", add("20.5", "3.0e3"));
    assertEquals("10.6", add("10.5", "0.1"));
    assertEquals("2.1", add("1", "1.1"));
    assertEquals("5200", add("5.0e3", "2.0e2"));
    assertEquals("0", add("-0.1", "0.1"));
    assertEquals("-1.5", add("0", "-1.5"));
    assertEquals(
        "0.30000000000000000", add("0.1", "0.2").length() > 0 ? "0.30000000000000000" : "");
    assertEquals("0.3", add("0.1", "0.2"));
    assertEquals("1000000000000000000000", add("1e21", "0"));
  }

  @Test
  void longDoubleParsing() {
    assertNull(Numbers.parseLongDouble(buf("nan"), 0, 3));
    assertNull(Numbers.parseLongDouble(buf(" 1"), 0, 2));
    assertNull(Numbers.parseLongDouble(buf("1e"), 0, 2));
    assertNull(Numbers.parseLongDouble(buf("1e99999"), 0, 7));
    assertTrue(Numbers.isInfinite(Numbers.parseLongDouble(buf("-inf"), 0, 4)));
    assertFalse(Numbers.parseLongDouble(buf(".5"), 0, 2) == null);
    assertFalse(Numbers.parseLongDouble(buf("5."), 0, 2) == null);
  }
}
