package io.roost.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds chunks to a {@link RespDecoder} through a cumulation buffer the way a Netty handler does:
 * append the chunk, decode until no progress, discard read bytes. Releases everything it allocates
 * and checks every frame it sees.
 */
final class DecodeHarness {
  /** What decoding a byte stream produced: the commands, then the error if one ended it. */
  record Result(List<List<String>> commands, List<Boolean> inline, String error, Boolean reply) {
    List<String> command(int i) {
      return commands.get(i);
    }
  }

  private DecodeHarness() {}

  static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  static List<String> args(String... args) {
    return List.of(args);
  }

  static Result decode(RespDecoder decoder, List<byte[]> chunks) {
    ByteBuf cumulation = ByteBufAllocator.DEFAULT.buffer();
    CommandFrame frame = new CommandFrame();
    List<List<String>> commands = new ArrayList<>();
    List<Boolean> inline = new ArrayList<>();
    try {
      for (byte[] chunk : chunks) {
        cumulation.writeBytes(chunk);
        int calls = 0;
        while (true) {
          int before = cumulation.readerIndex();
          boolean done = decoder.decode(cumulation, frame);
          if (++calls > chunk.length + cumulation.writerIndex() + 2) {
            throw new AssertionError("decoder loops: calls=" + calls);
          }
          if (!done) {
            if (cumulation.readerIndex() != before) {
              // Skipped empty commands are consumed; that is progress, not a stall.
              continue;
            }
            break;
          }
          if (cumulation.readerIndex() <= before) {
            throw new AssertionError("frame without progress");
          }
          commands.add(checkedArgs(frame, cumulation, before));
          inline.add(frame.inline());
        }
        cumulation.discardReadBytes();
      }
      return new Result(commands, inline, null, null);
    } catch (RespProtocolException e) {
      return new Result(commands, inline, e.getMessage(), e.reply());
    } finally {
      cumulation.release();
    }
  }

  static List<String> checkedArgs(CommandFrame frame, ByteBuf in, int commandStart) {
    if (frame.argc() < 1) {
      throw new AssertionError("argc=" + frame.argc());
    }
    List<String> args = new ArrayList<>(frame.argc());
    for (int i = 0; i < frame.argc(); i++) {
      int off = frame.argOffset(i);
      int len = frame.argLength(i);
      if (len < 0 || off < 0 || off + len > frame.buffer().capacity()) {
        throw new AssertionError("arg " + i + " out of bounds: off=" + off + ", len=" + len);
      }
      if (!frame.inline()
          && (frame.buffer() != in || off < commandStart || off + len > in.readerIndex())) {
        throw new AssertionError("multibulk arg " + i + " outside the command");
      }
      args.add(frame.argString(i));
    }
    return args;
  }

  static Result whole(RespDecoder decoder, byte[] input) {
    return decode(decoder, List.of(input));
  }

  static Result split(RespDecoder decoder, byte[] input, int at) {
    byte[] a = new byte[at];
    byte[] b = new byte[input.length - at];
    System.arraycopy(input, 0, a, 0, at);
    System.arraycopy(input, at, b, 0, b.length);
    return decode(decoder, List.of(a, b));
  }

  static Result byteByByte(RespDecoder decoder, byte[] input) {
    List<byte[]> chunks = new ArrayList<>(input.length);
    for (byte b : input) {
      chunks.add(new byte[] {b});
    }
    return decode(decoder, chunks);
  }

  static List<byte[]> chunks(byte[] input, int[] cuts) {
    List<byte[]> chunks = new ArrayList<>();
    int prev = 0;
    for (int cut : cuts) {
      int c = Math.max(prev, Math.min(cut, input.length));
      byte[] chunk = new byte[c - prev];
      System.arraycopy(input, prev, chunk, 0, chunk.length);
      chunks.add(chunk);
      prev = c;
    }
    byte[] last = new byte[input.length - prev];
    System.arraycopy(input, prev, last, 0, last.length);
    chunks.add(last);
    return chunks;
  }

  /** Encodes args as a RESP multibulk command. */
  static byte[] multibulk(List<byte[]> args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(bytes("*" + args.size() + "\r\n"));
    for (byte[] arg : args) {
      out.writeBytes(bytes("$" + arg.length + "\r\n"));
      out.writeBytes(arg);
      out.writeBytes(bytes("\r\n"));
    }
    return out.toByteArray();
  }
}
