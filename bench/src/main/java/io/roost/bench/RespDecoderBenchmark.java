package io.roost.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespDecoder;
import io.roost.protocol.RespLimits;
import io.roost.protocol.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a pipeline of 16 commands and writing their replies, as one read batch of a connection
 * does. Run with {@code -prof gc} to see allocation per operation (goal: 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
      "-Dio.netty.tryReflectionSetAccessible=true"
    })
public class RespDecoderBenchmark {
  @Param({"ping", "set64"})
  public String shape;

  private ByteBuf input;
  private ByteBuf output;
  private final RespDecoder decoder = new RespDecoder(RespLimits.DEFAULTS);
  private final CommandFrame frame = new CommandFrame();
  private final RespWriter writer = new RespWriter();

  @Setup
  public void setup() {
    String one =
        shape.equals("ping")
            ? "*1\r\n$4\r\nPING\r\n"
            : "*3\r\n$3\r\nSET\r\n$16\r\nsession:12345678\r\n$64\r\n" + "x".repeat(64) + "\r\n";
    byte[] bytes = one.repeat(16).getBytes(StandardCharsets.US_ASCII);
    input = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    output = Unpooled.directBuffer(64 * 1024);
    writer.target(output);
  }

  @TearDown
  public void tearDown() {
    input.release();
    output.release();
  }

  @Benchmark
  public int decodePipelineOf16() {
    input.readerIndex(0);
    output.clear();
    int n = 0;
    while (decoder.decode(input, frame)) {
      writer.ok();
      n += frame.argc();
    }
    return n;
  }
}
