package io.roost.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Encode, split at random points, decode: the same commands come back. */
class RespDecoderProperties {
  @Provide
  Arbitrary<byte[]> binaryArg() {
    Arbitrary<Byte> interesting = Arbitraries.of((byte) '\r', (byte) '\n', (byte) 0, (byte) '$');
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(1, interesting))
        .array(byte[].class)
        .ofMinSize(0)
        .ofMaxSize(40);
  }

  @Provide
  Arbitrary<List<List<byte[]>>> multibulkCommands() {
    return binaryArg().list().ofMinSize(1).ofMaxSize(12).list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 300)
  void multibulkRoundTrip(
      @ForAll("multibulkCommands") List<List<byte[]>> commands,
      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 2000) Integer> cuts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<List<String>> expected = new ArrayList<>();
    for (List<byte[]> command : commands) {
      out.writeBytes(DecodeHarness.multibulk(command));
      expected.add(latin1(command));
    }
    byte[] input = out.toByteArray();
    DecodeHarness.Result result =
        DecodeHarness.decode(new RespDecoder(RespLimits.DEFAULTS), chunks(input, cuts));
    assertNull(result.error());
    assertEquals(expected, result.commands());
    assertEquals(List.of(), result.inline().stream().filter(b -> b).toList());
  }

  /**
   * Inline arguments: any byte except NUL; quoted and escaped so that sdssplitargs restores them.
   */
  @Provide
  Arbitrary<byte[]> inlineArg() {
    Arbitrary<Byte> interesting =
        Arbitraries.of(
            (byte) '"',
            (byte) '\'',
            (byte) '\\',
            (byte) ' ',
            (byte) '\r',
            (byte) '\n',
            (byte) '\t');
    Arbitrary<Byte> any = Arbitraries.bytes().filter(b -> b != 0);
    return Arbitraries.frequencyOf(Tuple.of(3, any), Tuple.of(1, interesting))
        .array(byte[].class)
        .ofMinSize(0)
        .ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<List<byte[]>>> inlineCommands() {
    return inlineArg().list().ofMinSize(1).ofMaxSize(8).list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 300)
  void inlineRoundTrip(
      @ForAll("inlineCommands") List<List<byte[]>> commands,
      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 1000) Integer> cuts,
      @ForAll boolean crlf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (List<byte[]> command : commands) {
      for (int i = 0; i < command.size(); i++) {
        if (i > 0) {
          out.write(' ');
        }
        out.writeBytes(quote(command.get(i), i % 2 == 0));
      }
      out.writeBytes((crlf ? "\r\n" : "\n").getBytes(StandardCharsets.US_ASCII));
    }
    List<List<String>> expected = new ArrayList<>();
    for (List<byte[]> command : commands) {
      expected.add(latin1(command));
    }
    byte[] input = out.toByteArray();
    DecodeHarness.Result result =
        DecodeHarness.decode(new RespDecoder(RespLimits.DEFAULTS), chunks(input, cuts));
    assertNull(result.error());
    assertEquals(expected, result.commands());
  }

  /** Arbitrary bytes in arbitrary splits: same outcome as in one piece, never a stall. */
  @Property(tries = 1000)
  void randomBytesDecodeIndependentlyOfSplits(
      @ForAll("garbage") byte[] input,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 300) Integer> cuts,
      @ForAll boolean authenticated) {
    RespLimits limits = new RespLimits(64, 4096, 1L << 30);
    RespDecoder whole = new RespDecoder(limits);
    whole.authenticated(authenticated);
    RespDecoder split = new RespDecoder(limits);
    split.authenticated(authenticated);
    DecodeHarness.Result expected = DecodeHarness.decode(whole, List.of(input));
    DecodeHarness.Result actual = DecodeHarness.decode(split, chunks(input, cuts));
    assertEquals(expected, actual);
  }

  @Provide
  Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> tokens =
        Arbitraries.of(
                "*", "$", "\r\n", "\r", "\n", "1", "2", "3", "-1", "0", "10", "11", "16385", " ",
                "\"", "'", "\\", "\\x4", "a", "\u0000", "PING", "*2\r\n", "$3\r\n", "foo")
            .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    return Arbitraries.oneOf(tokens, tokens, raw)
        .list()
        .ofMaxSize(60)
        .map(
            parts -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              parts.forEach(out::writeBytes);
              return out.toByteArray();
            });
  }

  private static List<byte[]> chunks(byte[] input, List<Integer> cuts) {
    int[] sorted = cuts.stream().mapToInt(Integer::intValue).sorted().toArray();
    return DecodeHarness.chunks(input, sorted);
  }

  private static List<String> latin1(List<byte[]> args) {
    List<String> strings = new ArrayList<>(args.size());
    for (byte[] arg : args) {
      strings.add(new String(arg, StandardCharsets.ISO_8859_1));
    }
    return strings;
  }

  /** Quotes {@code arg} for sdssplitargs: double quotes with escapes, or single quotes. */
  private static byte[] quote(byte[] arg, boolean doubleQuotes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (doubleQuotes) {
      out.write('"');
      for (byte b : arg) {
        int c = b & 0xFF;
        if (c == '"' || c == '\\') {
          out.write('\\');
          out.write(c);
        } else if (c < 0x20 || c >= 0x7F) {
          out.writeBytes(String.format("\\x%02x", c).getBytes(StandardCharsets.US_ASCII));
        } else {
          out.write(c);
        }
      }
      out.write('"');
    } else {
      // Single quotes only escape \' ; a backslash before a quote would be ambiguous, and CR/LF
      // would end the line, so fall back to double quotes for those.
      for (byte b : arg) {
        if (b == '\\' || b == '\r' || b == '\n') {
          return quote(arg, true);
        }
      }
      out.write('\'');
      for (byte b : arg) {
        if (b == '\'') {
          out.write('\\');
        }
        out.write(b);
      }
      out.write('\'');
    }
    return out.toByteArray();
  }
}
