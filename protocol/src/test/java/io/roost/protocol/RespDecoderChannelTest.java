package io.roost.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives the decoder and writer from a minimal connection handler in an {@link EmbeddedChannel}:
 * one cumulation buffer, decode until no progress, discard read bytes, one reply buffer flushed per
 * read batch, close after a protocol error reply.
 */
@ExtendWith(NettyLeakCheck.class)
class RespDecoderChannelTest {
  /** Echoes each command's arguments back as an array of bulk strings. */
  static final class EchoHandler extends ChannelInboundHandlerAdapter {
    private final RespDecoder decoder = new RespDecoder(RespLimits.DEFAULTS);
    private final CommandFrame frame = new CommandFrame();
    private final RespWriter writer = new RespWriter();
    private ByteBuf cumulation;
    private ByteBuf outbound;
    final List<String> commands = new ArrayList<>();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      cumulation = ctx.alloc().buffer();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      cumulation.release();
      if (outbound != null) {
        outbound.release();
        outbound = null;
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        cumulation.writeBytes(in);
      } finally {
        in.release();
      }
      if (outbound == null) {
        outbound = ctx.alloc().buffer();
        writer.target(outbound);
      }
      try {
        while (decoder.decode(cumulation, frame)) {
          StringBuilder sb = new StringBuilder();
          writer.arrayHeader(frame.argc());
          for (int i = 0; i < frame.argc(); i++) {
            writer.bulk(frame.buffer(), frame.argOffset(i), frame.argLength(i));
            sb.append(i == 0 ? "" : " ").append(frame.argString(i));
          }
          commands.add(sb.toString());
        }
        cumulation.discardReadBytes();
      } catch (RespProtocolException e) {
        if (e.reply()) {
          writer.error("ERR " + e.getMessage());
        }
        ctx.writeAndFlush(outbound);
        outbound = null;
        ctx.close();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (outbound != null && outbound.isReadable()) {
        ctx.writeAndFlush(outbound);
        outbound = null;
      }
    }
  }

  private static String readAll(EmbeddedChannel channel) {
    StringBuilder sb = new StringBuilder();
    for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
      sb.append(out.toString(StandardCharsets.ISO_8859_1));
      out.release();
    }
    return sb.toString();
  }

  @Test
  void pipelinedFragmentsComeBackInOrder() {
    EchoHandler handler = new EchoHandler();
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    byte[] input =
        "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\nPING\r\n*1\r\n$4\r\nPING\r\nset a \"b c\"\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    for (byte b : input) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertEquals(List.of("ECHO hello", "PING", "PING", "set a b c"), handler.commands);
    assertEquals(
        "*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n"
            + "*3\r\n$3\r\nset\r\n$1\r\na\r\n$3\r\nb c\r\n",
        readAll(channel));
    assertFalse(channel.finish());
  }

  @Test
  void protocolErrorRepliesThenCloses() {
    EchoHandler handler = new EchoHandler();
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channel.writeInbound(
        Unpooled.copiedBuffer("PING\r\n*1\r\nfoo\r\n", StandardCharsets.ISO_8859_1));
    assertEquals(
        "*1\r\n$4\r\nPING\r\n-ERR Protocol error: expected '$', got 'f'\r\n", readAll(channel));
    assertFalse(channel.isOpen());
    assertNull(channel.readInbound());
    assertTrue(handler.commands.size() == 1);
    channel.finishAndReleaseAll();
  }
}
