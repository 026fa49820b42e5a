package io.roost.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.roost.cluster.CommandExecutor;
import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespDecoder;
import io.roost.protocol.RespLimits;
import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs commands that other nodes forward to this one (it is their keys' primary), through the same
 * dispatcher as a client connection. They all run on one event loop, in the order they arrive, so a
 * client's pipelined writes forwarded from another node keep their order; the loop's internal
 * client executes one forwarded command at a time and its reply (after replication, when sync) goes
 * back through the callback.
 */
public final class ForwardedCommands implements CommandExecutor {
  private static final long PAUSE_RECHECK_MS = 10;

  private final Server server;
  private final EventLoop loop;
  private Internal internal;

  public ForwardedCommands(Server server, EventLoopGroup loops) {
    this.server = server;
    this.loop = loops.next();
  }

  @Override
  public void execute(int db, int protocol, byte[][] argv, Consumer<byte[]> reply) {
    loop.execute(
        () -> {
          if (internal == null) {
            internal = new Internal();
          }
          internal.run(db, protocol, argv, reply);
        });
  }

  /** One event loop's internal client. Owned by that loop. */
  private final class Internal {
    private final Client client =
        Client.internal(server.nextClientId(), System.currentTimeMillis());
    private final RespWriter writer = new RespWriter();
    private final RespDecoder decoder = new RespDecoder(RespLimits.DEFAULTS);
    private final CommandFrame frame = new CommandFrame();
    private final Dispatcher dispatcher = new Dispatcher(server, client, writer, this::defer);
    private Consumer<byte[]> current;

    private PendingReply defer() {
      Consumer<byte[]> target = current;
      return new PendingReply(p -> target.accept(p.late));
    }

    void run(int db, int protocol, byte[][] argv, Consumer<byte[]> reply) {
      ByteBuf in = ByteBufAllocator.DEFAULT.buffer();
      ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
      try {
        in.writeByte('*')
            .writeCharSequence(Integer.toString(argv.length), StandardCharsets.US_ASCII);
        in.writeByte('\r').writeByte('\n');
        for (byte[] a : argv) {
          in.writeByte('$')
              .writeCharSequence(Integer.toString(a.length), StandardCharsets.US_ASCII);
          in.writeByte('\r').writeByte('\n').writeBytes(a).writeByte('\r').writeByte('\n');
        }
        decoder.decode(in, frame);
        client.db = db;
        client.protocol = protocol;
        writer.protocol(protocol);
        writer.target(out);
        current = reply;
        Dispatcher.Outcome outcome = dispatcher.dispatch(frame);
        if (outcome == Dispatcher.Outcome.WAIT) {
          loop.schedule(
              () -> execute(db, protocol, argv, reply), PAUSE_RECHECK_MS, TimeUnit.MILLISECONDS);
        } else if (outcome == Dispatcher.Outcome.DONE) {
          byte[] bytes = new byte[out.readableBytes()];
          out.readBytes(bytes);
          reply.accept(bytes);
        }
      } finally {
        current = null;
        in.release();
        out.release();
      }
    }
  }
}
