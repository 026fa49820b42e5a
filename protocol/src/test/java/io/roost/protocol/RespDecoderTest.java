package io.roost.protocol;

import static io.roost.protocol.DecodeHarness.args;
import static io.roost.protocol.DecodeHarness.byteByByte;
import static io.roost.protocol.DecodeHarness.bytes;
import static io.roost.protocol.DecodeHarness.split;
import static io.roost.protocol.DecodeHarness.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(NettyLeakCheck.class)
class RespDecoderTest {
  private static RespDecoder decoder() {
    return new RespDecoder(RespLimits.DEFAULTS);
  }

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of(
            "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n",
            List.of(args("SET", "key", "value"))),
        Arguments.of("*1\r\n$0\r\n\r\n", List.of(args(""))),
        Arguments.of("*2\r\n$3\r\nGET\r\n$4\r\na\r\nb\r\n", List.of(args("GET", "a\r\nb"))),
        Arguments.of("PING\r\n", List.of(args("PING"))),
        Arguments.of("PING\n", List.of(args("PING"))),
        Arguments.of("  set   k\tv \r\n", List.of(args("set", "k", "v"))),
        Arguments.of(
            "set k \"a\\x41\\n\\r\\t\\b\\a\\\\\\\"\\q\" 'it\\'s \\n'\r\n",
            List.of(args("set", "k", "aA\n\r\t\b\u0007\\\"q", "it's \\n"))),
        Arguments.of("ECHO \"\" ''\r\n", List.of(args("ECHO", "", ""))),
        Arguments.of("a\"b c\"\r\n", List.of(args("ab c"))),
        Arguments.of("ECHO \"\\x4g\"\r\n", List.of(args("ECHO", "x4g"))),
        Arguments.of("ECHO a\u000bb\r\n", List.of(args("ECHO", "a\u000bb"))),
        Arguments.of("ECHO \u00e9\u00ff\r\n", List.of(args("ECHO", "\u00e9\u00ff"))),
        Arguments.of(
            "*1\r\n$4\r\nPING\r\nECHO hi\r\n\r\n*0\r\n*-1\r\n*-10\r\n"
                + "*2\r\n$4\r\nECHO\r\n$2\r\n\r\n\r\n  \r\n GET  k \n\n*1\r\n$4\r\nPING\r\n",
            List.of(
                args("PING"),
                args("ECHO", "hi"),
                args("ECHO", "\r\n"),
                args("GET", "k"),
                args("PING"))));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodesWhole(String input, List<List<String>> expected) {
    DecodeHarness.Result result = whole(decoder(), bytes(input));
    assertNull(result.error());
    assertEquals(expected, result.commands());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodesEverySplitPoint(String input, List<List<String>> expected) {
    byte[] bytes = bytes(input);
    for (int at = 0; at <= bytes.length; at++) {
      DecodeHarness.Result result = split(decoder(), bytes, at);
      assertNull(result.error(), "split at " + at);
      assertEquals(expected, result.commands(), "split at " + at);
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodesEveryPairOfSplitPoints(String input, List<List<String>> expected) {
    byte[] bytes = bytes(input);
    for (int a = 0; a <= bytes.length; a++) {
      for (int b = a; b <= bytes.length; b++) {
        DecodeHarness.Result result =
            DecodeHarness.decode(decoder(), DecodeHarness.chunks(bytes, new int[] {a, b}));
        assertEquals(expected, result.commands(), "split at " + a + "," + b);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void decodesOneByteAtATime(String input, List<List<String>> expected) {
    DecodeHarness.Result result = byteByByte(decoder(), bytes(input));
    assertNull(result.error());
    assertEquals(expected, result.commands());
  }

  @Test
  void reportsInlineAndMultibulkOrigin() {
    DecodeHarness.Result result = whole(decoder(), bytes("PING\r\n*1\r\n$4\r\nPING\r\n"));
    assertEquals(List.of(true, false), result.inline());
  }

  @Test
  void keepsReaderIndexAtCommandStartWhileIncomplete() {
    RespDecoder decoder = decoder();
    CommandFrame frame = new CommandFrame();
    ByteBuf in = Unpooled.buffer();
    try {
      in.writeBytes(bytes("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\n"));
      assertTrue(decoder.decode(in, frame));
      int commandStart = in.readerIndex();
      assertEquals(14, commandStart);
      assertFalse(decoder.decode(in, frame));
      assertEquals(commandStart, in.readerIndex());
      assertTrue(decoder.hasPartialCommand());
      in.discardReadBytes();
      in.writeBytes(bytes("k\r\n"));
      assertTrue(decoder.decode(in, frame));
      assertEquals(2, frame.argc());
      assertEquals("GET", frame.argString(0));
      assertEquals("k", frame.argString(1));
      assertEquals(in, frame.buffer());
      assertEquals(in.readerIndex(), in.writerIndex());
      assertFalse(decoder.decode(in, frame));
    } finally {
      in.release();
    }
  }

  @Test
  void resetForgetsPartialCommand() {
    RespDecoder decoder = decoder();
    CommandFrame frame = new CommandFrame();
    ByteBuf in = Unpooled.buffer();
    try {
      in.writeBytes(bytes("*2\r\n$3\r\nGET\r\n"));
      assertFalse(decoder.decode(in, frame));
      decoder.reset();
      assertFalse(decoder.hasPartialCommand());
      in.clear();
      in.writeBytes(bytes("PING\r\n"));
      assertTrue(decoder.decode(in, frame));
      assertEquals("PING", frame.argString(0));
    } finally {
      in.release();
    }
  }

  @Test
  void skipsTheTwoBytesAfterAPayloadUncheckedAsRedisDoes() {
    DecodeHarness.Result result = whole(decoder(), bytes("*1\r\n$3\r\nfooXY*1\r\n$1\r\na\r\n"));
    assertNull(result.error());
    assertEquals(List.of(args("foo"), args("a")), result.commands());
  }

  // ------------------------------------------------------------------ protocol.tcl error cases

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("*3000000000\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*-0\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*01\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*+1\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*1x\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*2147483648\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of("*99999999999999999999\r\n", "Protocol error: invalid multibulk length"),
        Arguments.of(
            "*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "Protocol error: expected '$', got 'f'"),
        Arguments.of(
            "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "Protocol error: invalid bulk length"),
        Arguments.of(
            "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n", "Protocol error: invalid bulk length"),
        Arguments.of(
            "*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$-0\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\n$\r\n", "Protocol error: invalid bulk length"),
        Arguments.of("*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"),
        Arguments.of("*1\r\n\r\n", "Protocol error: expected '$', got '\r'"),
        Arguments.of(
            "set \"\"\"test-key\"\"\" test-value\r\nping\r\n",
            "Protocol error: unbalanced quotes in request"),
        Arguments.of("set \"abc\r\n", "Protocol error: unbalanced quotes in request"),
        Arguments.of("set 'abc\r\n", "Protocol error: unbalanced quotes in request"),
        Arguments.of("set 'abc'x\r\n", "Protocol error: unbalanced quotes in request"),
        Arguments.of("set \"abc\\\"\r\n", "Protocol error: unbalanced quotes in request"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void rejectsBadInputAtEverySplitPoint(String input, String message) {
    byte[] bytes = bytes(input);
    DecodeHarness.Result whole = whole(decoder(), bytes);
    assertEquals(message, whole.error());
    assertEquals(Boolean.TRUE, whole.reply());
    for (int at = 0; at <= bytes.length; at++) {
      assertEquals(message, split(decoder(), bytes, at).error(), "split at " + at);
    }
    assertEquals(message, byteByByte(decoder(), bytes).error());
  }

  @Test
  void handlesAnEmptyQueryAndNegativeMultibulkLength() {
    DecodeHarness.Result result = whole(decoder(), bytes("\r\n*-10\r\nPING\r\n"));
    assertNull(result.error());
    assertEquals(List.of(args("PING")), result.commands());
  }

  /** protocol.tcl "Protocol desync regression test": garbage must end in an error, not a stall. */
  @ParameterizedTest
  @MethodSource("desyncs")
  void desyncGarbageEndsInAnErrorNotAStall(String prefix, String message) {
    RespDecoder decoder = decoder();
    CommandFrame frame = new CommandFrame();
    ByteBuf in = Unpooled.buffer();
    try {
      in.writeBytes(bytes(prefix));
      byte[] payload = bytes("payload");
      RespProtocolException error = null;
      for (int sent = 0; sent < 2 * RespLimits.DEFAULT_MAX_INLINE_BYTES && error == null; ) {
        in.writeBytes(payload);
        sent += payload.length;
        try {
          assertFalse(decoder.decode(in, frame));
        } catch (RespProtocolException e) {
          error = e;
        }
        in.discardReadBytes();
      }
      assertEquals(message, error == null ? null : error.getMessage());
      assertTrue(error.reply());
    } finally {
      in.release();
    }
  }

  static Stream<Arguments> desyncs() {
    return Stream.of(
        Arguments.of("\u0000", "Protocol error: too big inline request"),
        Arguments.of("*\u0000", "Protocol error: too big mbulk count string"),
        Arguments.of("$\u0000", "Protocol error: too big inline request"),
        Arguments.of("*1\r\n$\u0000", "Protocol error: too big bulk count string"),
        Arguments.of("PING", "Protocol error: too big inline request"),
        Arguments.of("*1", "Protocol error: too big mbulk count string"),
        Arguments.of("*1\r\n$1", "Protocol error: too big bulk count string"));
  }

  @Test
  void nulHidesTheTerminatorAsStrchrDoes() {
    RespLimits limits = new RespLimits(16, RespLimits.DEFAULT_MAX_BULK_BYTES, 1L << 30);
    assertNull(whole(new RespDecoder(limits), bytes("PI\u0000NG\r\n")).error());
    assertEquals(List.of(), whole(new RespDecoder(limits), bytes("PI\u0000NG\r\n")).commands());
    assertEquals(
        "Protocol error: too big inline request",
        whole(new RespDecoder(limits), bytes("PI\u0000NG\r\n" + "x".repeat(20))).error());
    assertEquals(
        "Protocol error: too big mbulk count string",
        whole(new RespDecoder(limits), bytes("*1\u0000\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n"))
            .error());
  }

  // ----------------------------------------------------------------------------------- limits

  @Test
  void inlineLineLimitIsIndependentOfSplits() {
    RespLimits limits = new RespLimits(16, RespLimits.DEFAULT_MAX_BULK_BYTES, 1L << 30);
    String fits = "x".repeat(15) + "\r\n"; // 16 bytes before the LF
    String fitsLf = "x".repeat(16) + "\n";
    String tooBig = "x".repeat(17) + "\n";
    for (String input : List.of(fits, fitsLf)) {
      byte[] b = bytes(input);
      for (int at = 0; at <= b.length; at++) {
        DecodeHarness.Result r = split(new RespDecoder(limits), b, at);
        assertNull(r.error(), input + " at " + at);
        assertEquals(1, r.commands().size());
      }
    }
    byte[] b = bytes(tooBig);
    for (int at = 0; at <= b.length; at++) {
      assertEquals(
          "Protocol error: too big inline request", split(new RespDecoder(limits), b, at).error());
    }
  }

  @Test
  void headerLineLimits() {
    RespLimits limits = new RespLimits(8, RespLimits.DEFAULT_MAX_BULK_BYTES, 1L << 30);
    assertEquals(
        "Protocol error: too big mbulk count string",
        whole(new RespDecoder(limits), bytes("*00000000")).error());
    assertNull(whole(new RespDecoder(limits), bytes("*0000000")).error());
    assertEquals(
        "Protocol error: too big bulk count string",
        whole(new RespDecoder(limits), bytes("*1\r\n$00000000")).error());
    assertNull(whole(new RespDecoder(limits), bytes("*1\r\n$0000000")).error());
  }

  @Test
  void bulkLengthAboveMaxBulkBytesIsInvalid() {
    RespLimits limits = new RespLimits(1024, 10, 1L << 30);
    assertEquals(
        "Protocol error: invalid bulk length",
        whole(new RespDecoder(limits), bytes("*1\r\n$11\r\n")).error());
    assertEquals(
        List.of(args("0123456789")),
        whole(new RespDecoder(limits), bytes("*1\r\n$10\r\n0123456789\r\n")).commands());
  }

  @Test
  void unauthenticatedLimits() {
    RespDecoder decoder = decoder();
    decoder.authenticated(false);
    assertEquals(
        "Protocol error: unauthenticated multibulk length",
        whole(decoder, bytes("*11\r\n")).error());
    decoder = decoder();
    decoder.authenticated(false);
    assertEquals(
        "Protocol error: unauthenticated bulk length",
        whole(decoder, bytes("*1\r\n$16385\r\n")).error());
    decoder = decoder();
    decoder.authenticated(false);
    StringBuilder ten = new StringBuilder("*10\r\n");
    for (int i = 0; i < 10; i++) {
      ten.append("$1\r\na\r\n");
    }
    ten.append("*1\r\n$16384\r\n").append("x".repeat(16384)).append("\r\n");
    DecodeHarness.Result result = whole(decoder, bytes(ten.toString()));
    assertNull(result.error());
    assertEquals(2, result.commands().size());
    decoder.authenticated(true);
    assertNull(whole(decoder, bytes("*11\r\n")).error());
  }

  @Test
  void queryBufferLimitClosesSilently() {
    RespLimits limits = new RespLimits(1024, 1000, 100);
    byte[] input = bytes("*1\r\n$200\r\n" + "x".repeat(150));
    for (int at = 0; at <= input.length; at++) {
      DecodeHarness.Result result = split(new RespDecoder(limits), input, at);
      assertEquals(Boolean.FALSE, result.reply(), "split at " + at);
    }
    DecodeHarness.Result fits =
        whole(new RespDecoder(limits), bytes("*1\r\n$80\r\n" + "x".repeat(80) + "\r\n"));
    assertNull(fits.error());
  }

  @Test
  void neverPreSizesFromDeclaredLengths() {
    // A huge declared count and length: memory must track received bytes only.
    RespDecoder decoder = decoder();
    CommandFrame frame = new CommandFrame();
    ByteBuf in = Unpooled.buffer(64);
    try {
      in.writeBytes(bytes("*2147483647\r\n$536870912\r\nabc"));
      assertFalse(decoder.decode(in, frame));
      assertTrue(in.capacity() < 1024);
    } finally {
      in.release();
    }
  }

  @Test
  void manyArgumentsGrowTheSliceArrays() {
    List<byte[]> args = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      args.add(bytes("a" + i));
    }
    DecodeHarness.Result result = whole(decoder(), DecodeHarness.multibulk(args));
    assertEquals(1000, result.command(0).size());
    assertEquals("a999", result.command(0).get(999));
  }

  @Test
  void rejectsInvalidLimits() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RespLimits(0, 1, 1));
    assertTrue(e.getMessage().startsWith("maxInlineBytes=0"));
    assertThrows(IllegalArgumentException.class, () -> new RespLimits(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new RespLimits(1, 1L << 31, 1));
    assertThrows(IllegalArgumentException.class, () -> new RespLimits(1, 1, 0));
  }
}
