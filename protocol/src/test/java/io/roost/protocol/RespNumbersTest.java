package io.roost.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RespNumbersTest {
  /** A frame of the inline command {@code text}. */
  private static <T> T withFrame(String text, FrameFunction<T> f) throws Exception {
    RespDecoder decoder = new RespDecoder(RespLimits.DEFAULTS);
    CommandFrame frame = new CommandFrame();
    ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    try {
      assertTrue(decoder.decode(in, frame));
      return f.apply(frame);
    } finally {
      in.release();
    }
  }

  interface FrameFunction<T> {
    T apply(CommandFrame frame) throws Exception;
  }

  private static long parseLong(String s) throws RespNumberException {
    ByteBuf buf = Unpooled.copiedBuffer("xx" + s, StandardCharsets.ISO_8859_1);
    try {
      return RespNumbers.parseLong(buf, 2, buf.readableBytes() - 2);
    } finally {
      buf.release();
    }
  }

  private static double parseDouble(String s) throws RespNumberException {
    ByteBuf buf = Unpooled.copiedBuffer("xx" + s, StandardCharsets.ISO_8859_1);
    try {
      return RespNumbers.parseDouble(buf, 2, buf.readableBytes() - 2);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "0,0",
    "1,1",
    "-1,-1",
    "10,10",
    "9223372036854775807,9223372036854775807",
    "-9223372036854775808,-9223372036854775808",
    "1234567890,1234567890"
  })
  void parsesLongsLikeString2ll(String text, long expected) throws Exception {
    assertEquals(expected, parseLong(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-",
        "+1",
        "-0",
        "01",
        "00",
        " 1",
        "1 ",
        "1.0",
        "1e3",
        "0x10",
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901",
        "--1",
        "1-",
        "abc"
      })
  void rejectsWhatString2llRejects(String text) {
    assertThrows(RespNumberException.class, () -> parseLong(text));
  }

  @ParameterizedTest
  @CsvSource({
    "1.5,1.5",
    "0,0",
    "-0,-0.0",
    "+1,1",
    "1.,1",
    ".5,0.5",
    "1e3,1000",
    "1E+3,1000",
    "1e-3,0.001",
    "inf,Infinity",
    "+INF,Infinity",
    "-Inf,-Infinity",
    "infinity,Infinity",
    "-InFiNiTy,-Infinity",
    "0x10,16",
    "0x1p3,8",
    "0X.8,0.5",
    "-0x1.8p1,-3",
    "3.14159,3.14159",
    "123456789012345678901234567890,1.2345678901234568E29",
    "0.1,0.1",
    "1e308,1e308",
    "4.9e-324,4.9e-324",
    "1e-310,1e-310",
    "0e-999999,0",
    "12345678901234567890e-10,1234567890.1234567"
  })
  void parsesDoublesLikeString2d(String text, double expected) throws Exception {
    assertEquals(expected, parseDouble(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", " 1", "1 ", "nan", "NaN", "-nan", "inf ", "infin", "1e", "1e+", ".", "+", "-", "e5",
        "1e309", "-1e309", "1e-400", "0x", "0x1p", "1.5f", "1d", "0x1g", "1,5", "++1", "1..2"
      })
  void rejectsWhatString2dRejects(String text) {
    assertThrows(RespNumberException.class, () -> parseDouble(text));
  }

  @Test
  void frameParsesArguments() throws Exception {
    assertEquals(-42L, (long) withFrame("INCRBY k -42\r\n", f -> f.argLong(2)));
    assertEquals(2.5, (double) withFrame("ZADD k 2.5 m\r\n", f -> f.argDouble(2)));
    assertThrows(RespNumberException.class, () -> withFrame("X 1x\r\n", f -> f.argLong(1)));
    assertThrows(IndexOutOfBoundsException.class, () -> withFrame("X\r\n", f -> f.argLength(1)));
  }

  @Test
  void frameComparesIgnoringAsciiCase() throws Exception {
    byte[] get = "GET".getBytes(StandardCharsets.US_ASCII);
    assertTrue((boolean) withFrame("gEt\r\n", f -> f.argEqualsIgnoreCase(0, get)));
    assertTrue((boolean) withFrame("GET\r\n", f -> f.argEqualsIgnoreCase(0, get)));
    assertFalse((boolean) withFrame("GETX\r\n", f -> f.argEqualsIgnoreCase(0, get)));
    assertFalse((boolean) withFrame("GE\r\n", f -> f.argEqualsIgnoreCase(0, get)));
    byte[] bracket = "[".getBytes(StandardCharsets.US_ASCII);
    assertFalse((boolean) withFrame("{\r\n", f -> f.argEqualsIgnoreCase(0, bracket)));
    assertEquals(
        "abc", new String(withFrame("x abc\r\n", f -> f.argBytes(1)), StandardCharsets.US_ASCII));
  }

  @Test
  void stringLengthMatchesFormatLong() {
    byte[] buf = new byte[24];
    for (long v :
        new long[] {0, 9, 10, -1, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999L}) {
      int len = RespNumbers.formatLong(v, buf, 0);
      assertEquals(Long.toString(v), new String(buf, 0, len, StandardCharsets.US_ASCII));
      assertEquals(len, RespNumbers.stringLength(v));
    }
  }
}
