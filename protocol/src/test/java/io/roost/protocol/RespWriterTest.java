package io.roost.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(NettyLeakCheck.class)
class RespWriterTest {
  private static String write(int protocol, Consumer<RespWriter> reply) {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer(4);
    try {
      RespWriter writer = new RespWriter();
      writer.protocol(protocol);
      writer.target(out);
      reply.accept(writer);
      return out.toString(StandardCharsets.ISO_8859_1);
    } finally {
      out.release();
    }
  }

  private static void golden(String resp2, String resp3, Consumer<RespWriter> reply) {
    assertEquals(resp2, write(2, reply), "RESP2");
    assertEquals(resp3, write(3, reply), "RESP3");
  }

  @Test
  void simpleTypes() {
    golden("+OK\r\n", "+OK\r\n", RespWriter::ok);
    golden("+PONG\r\n", "+PONG\r\n", w -> w.simple("PONG".getBytes(StandardCharsets.US_ASCII)));
    golden("+a b\r\n", "+a b\r\n", w -> w.simple("a\nb"));
    golden("-ERR x\r\n", "-ERR x\r\n", w -> w.error("ERR x"));
    golden("-ERR a  b\r\n", "-ERR a  b\r\n", w -> w.error("\r\nERR a\r\nb\n"));
    golden("-WRONGTYPE w\r\n", "-WRONGTYPE w\r\n", w -> w.error("-WRONGTYPE w"));
    golden(
        "-ERR unknown command '\u00e9'\r\n",
        "-ERR unknown command '\u00e9'\r\n",
        w -> w.error("ERR unknown command '\u00e9'"));
  }

  @Test
  void integers() {
    golden(":0\r\n", ":0\r\n", w -> w.integer(0));
    golden(":9999\r\n", ":9999\r\n", w -> w.integer(9999));
    golden(":10000\r\n", ":10000\r\n", w -> w.integer(10000));
    golden(":-1\r\n", ":-1\r\n", w -> w.integer(-1));
    golden(
        ":-9223372036854775808\r\n", ":-9223372036854775808\r\n", w -> w.integer(Long.MIN_VALUE));
    golden(":9223372036854775807\r\n", ":9223372036854775807\r\n", w -> w.integer(Long.MAX_VALUE));
  }

  @Test
  void bulkStrings() {
    byte[] foo = "xfoox".getBytes(StandardCharsets.US_ASCII);
    golden("$3\r\nfoo\r\n", "$3\r\nfoo\r\n", w -> w.bulk(foo, 1, 3));
    golden("$5\r\nxfoox\r\n", "$5\r\nxfoox\r\n", w -> w.bulk(foo));
    golden("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(new byte[0]));
    golden("$2\r\nhi\r\n", "$2\r\nhi\r\n", w -> w.bulk("hi"));
    ByteBuf src = Unpooled.wrappedBuffer(foo);
    golden("$2\r\nfo\r\n", "$2\r\nfo\r\n", w -> w.bulk(src, 1, 2));
    golden(
        "$3\r\nabc\r\n",
        "$3\r\nabc\r\n",
        w -> {
          w.bulkHeader(3);
          w.target().writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
          w.crlf();
        });
    golden("$-1\r\n", "_\r\n", RespWriter::nullBulk);
    golden("*-1\r\n", "_\r\n", RespWriter::nullArray);
  }

  @Test
  void aggregates() {
    golden("*2\r\n", "*2\r\n", w -> w.arrayHeader(2));
    golden("*0\r\n", "*0\r\n", w -> w.arrayHeader(0));
    golden("*12345\r\n", "*12345\r\n", w -> w.arrayHeader(12345));
    golden("*4\r\n", "%2\r\n", w -> w.mapHeader(2));
    golden("*3\r\n", "~3\r\n", w -> w.setHeader(3));
    golden("*3\r\n", ">3\r\n", w -> w.pushHeader(3));
    assertEquals("|1\r\n", write(3, w -> w.attributeHeader(1)));
    assertThrows(IllegalStateException.class, () -> write(2, w -> w.attributeHeader(1)));
  }

  @Test
  void resp3Types() {
    golden("$3\r\n1.5\r\n", ",1.5\r\n", w -> w.doubleValue(1.5));
    golden("$1\r\n3\r\n", ",3\r\n", w -> w.doubleValue(3.0));
    golden("$3\r\ninf\r\n", ",inf\r\n", w -> w.doubleValue(Double.POSITIVE_INFINITY));
    golden("$4\r\n-inf\r\n", ",-inf\r\n", w -> w.doubleValue(Double.NEGATIVE_INFINITY));
    golden("$3\r\nnan\r\n", ",nan\r\n", w -> w.doubleValue(Double.NaN));
    golden(":1\r\n", "#t\r\n", w -> w.bool(true));
    golden(":0\r\n", "#f\r\n", w -> w.bool(false));
    golden(
        "$20\r\n12345678901234567890\r\n",
        "(12345678901234567890\r\n",
        w -> w.bigNumber("12345678901234567890"));
    byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
    golden("$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n", w -> w.verbatim("txt", text));
    golden("-ERR boom\r\n", "!8\r\nERR boom\r\n", w -> w.blobError("ERR boom"));
  }

  @Test
  void protocolSwitchesPerConnection() {
    ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
    try {
      RespWriter writer = new RespWriter();
      writer.target(out);
      writer.nullBulk();
      writer.protocol(3);
      writer.nullBulk();
      writer.protocol(2);
      writer.nullBulk();
      assertEquals("$-1\r\n_\r\n$-1\r\n", out.toString(StandardCharsets.US_ASCII));
      assertThrows(IllegalArgumentException.class, () -> writer.protocol(4));
    } finally {
      out.release();
    }
  }

  /** Values as Redis 7.4's d2string (addReplyDouble, ZSCORE) prints them. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "3.0|3",
        "1.5|1.5",
        "0.1|0.1",
        "-2.5|-2.5",
        "1e300|1e+300",
        "1e100|1e+100",
        "1e-300|1e-300",
        "-0.0|-0",
        "0.0|0",
        "Infinity|inf",
        "-Infinity|-inf",
        "NaN|nan",
        "3.14159|3.14159",
        "123456.789|123456.789",
        "0.000001|0.000001",
        "1e-7|1e-7",
        "1.2345e-5|1.2345e-5",
        "15000000000|15000000000",
        "1e18|1000000000000000000",
        "4611686018427387904|4611686018427387904",
        "9223372036854775808|9223372036854776000",
        "1e21|1e+21",
        "1e22|1e+22",
        "1.7976931348623157e308|1.7976931348623157e+308",
        "4.9e-324|5e-324",
        "0.30000000000000004|0.30000000000000004",
        "1234567.125|1234567.125",
        "-1e-10|-1e-10",
        "12345678.5|12345678.5",
        "1.5e20|1.5e+20",
        "1.5e25|1.5e+25"
      })
  void formatsDoublesLikeRedis(double value, String expected) {
    assertEquals(expected, RespNumbers.formatDouble(value));
  }
}
