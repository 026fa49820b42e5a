package io.roost.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespDecoder;
import io.roost.protocol.RespLimits;
import io.roost.protocol.RespProtocolException;
import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import io.roost.server.config.OutputBufferLimits;
import io.roost.server.config.Settings;
import io.roost.server.pubsub.Message;
import io.roost.server.pubsub.Subscriber;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the only place where pipelining and back-pressure live. Owned by the
 * channel's event loop.
 *
 * <p>Implementation notes. Input bytes accumulate in one buffer; each read decodes and executes as
 * many whole commands as are present, in order, writing every reply into one outbound buffer that
 * is flushed once per read batch (handlers never flush). The decoder's argument slices point into
 * the input buffer, so a command is executed before the next is decoded. While the channel is not
 * writable (the client stopped reading replies) auto-read is off and no further command is taken
 * from the input, so a client cannot make the server buffer unbounded replies. A command held by
 * CLIENT PAUSE is left undecoded in the input and retried on a timer.
 *
 * <p>Pub/sub messages are the exception to "one flush per read batch": they arrive from publishers
 * on any thread through the connection's {@link Subscriber}, which writes a burst of them here on
 * this event loop ({@link #write(Message)}) and flushes once ({@link #flushMessages()}). They are
 * written even while the client does not read, so a subscriber's pending output is bounded by
 * {@code client-output-buffer-limit} instead: over the hard limit, or over the soft limit for
 * longer than its seconds, the connection is closed at once, as Redis does.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter
    implements Subscriber.Target {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
  private static final int MAX_UNFLUSHED_BYTES = 64 * 1024;
  private static final long PAUSE_RECHECK_MS = 10;
  private static final int MAX_PENDING_REPLIES = 1024;

  private final Server server;
  private final RespDecoder decoder;
  private final CommandFrame frame = new CommandFrame();
  private final RespWriter writer = new RespWriter();
  private ChannelHandlerContext ctx;
  private Client client;
  private Dispatcher dispatcher;
  private ByteBuf in;
  private ByteBuf out;
  private boolean held;
  private boolean closing;

  /** Replies not yet written, in request order; empty on the fast path. */
  private final java.util.ArrayDeque<PendingReply> pending = new java.util.ArrayDeque<>();

  /** The pending entry of the command being dispatched, when it queued behind another. */
  private PendingReply queued;

  private boolean closeWhenDrained;

  /** When the output first went over the soft limit; 0 while under it. */
  private long softLimitSinceMs;

  /** True while a {@link #land} task is scheduled; set by any thread. */
  private final java.util.concurrent.atomic.AtomicBoolean landing =
      new java.util.concurrent.atomic.AtomicBoolean();

  public ConnectionHandler(Server server) {
    this.server = server;
    Settings s = server.settings();
    this.decoder =
        new RespDecoder(
            new RespLimits(
                RespLimits.DEFAULT_MAX_INLINE_BYTES, s.protoMaxBulkLen, s.clientQueryBufferLimit));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    Settings s = server.settings();
    client = new Client(server.nextClientId(), ctx.channel(), System.currentTimeMillis());
    client.subscriber(new Subscriber(this));
    client.authenticated = s.requirePass.isEmpty();
    dispatcher = new Dispatcher(server, client, writer, this::defer);
    out = ctx.alloc().ioBuffer();
    writer.target(out);
    server.stats().connectionsReceived.increment();
    if (server.clients().size() >= s.maxClients) {
      server.stats().rejectedConnections.increment();
      refuse(io.roost.server.command.Errors.MAX_CLIENTS);
      return;
    }
    if (s.protectedMode && s.requirePass.isEmpty() && !loopback(ctx)) {
      server.stats().rejectedConnections.increment();
      refuse(PROTECTED_MODE);
      return;
    }
    server.clients().put(client.id(), client);
  }

  private void refuse(String error) {
    closing = true;
    writer.error(error);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    out = null;
  }

  private static boolean loopback(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress a
        && a.getAddress() != null
        && a.getAddress().isLoopbackAddress();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf data = (ByteBuf) msg;
    if (closing) {
      data.release();
      return;
    }
    server.stats().local().inputBytes += data.readableBytes();
    in = in == null ? data : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), in, data);
    process();
  }

  /**
   * Graceful shutdown, from any thread: stops reading, and closes the connection once every command
   * already read has its reply flushed (deferred replies included).
   */
  public void closeWhenDone() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      return;
    }
    c.executor()
        .execute(
            () -> {
              if (closing) {
                return;
              }
              c.channel().config().setAutoRead(false);
              closeAfterPendingReplies();
            });
  }

  /** Takes no more commands; closes once every reply owed is flushed. */
  private void closeAfterPendingReplies() {
    closing = true;
    if (pending.isEmpty()) {
      flush().addListener(ChannelFutureListener.CLOSE);
    } else {
      closeWhenDrained = true;
    }
  }

  /** Executes every whole command in the input while the client keeps reading replies. */
  private void process() {
    while (!held && !closing && in != null && in.isReadable()) {
      if (!ctx.channel().isWritable() || pending.size() >= MAX_PENDING_REPLIES) {
        hold();
        break;
      }
      int start = in.readerIndex();
      boolean decoded;
      decoder.authenticated(client.authenticated);
      try {
        decoded = decoder.decode(in, frame);
      } catch (RespProtocolException e) {
        protocolError(e);
        return;
      }
      if (!decoded) {
        break;
      }
      if (!pending.isEmpty()) {
        queued = new PendingReply(this::completed);
        queued.buffer = ctx.alloc().ioBuffer();
        pending.add(queued);
        writer.target(queued.buffer);
      }
      Dispatcher.Outcome outcome = dispatcher.dispatch(frame);
      if (queued != null) {
        queued.done |= outcome == Dispatcher.Outcome.DONE;
        if (outcome == Dispatcher.Outcome.WAIT) {
          pending.removeLast().buffer.release();
        }
        queued = null;
        writer.target(out);
      }
      if (outcome == Dispatcher.Outcome.WAIT) {
        in.readerIndex(start);
        decoder.reset();
        held = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(this::resume, PAUSE_RECHECK_MS, TimeUnit.MILLISECONDS);
        break;
      }
      if (client.closeAfterReply) {
        closeAfterPendingReplies();
        return;
      }
      if (out.readableBytes() >= MAX_UNFLUSHED_BYTES) {
        server.stats().local().outputBytes += out.readableBytes();
        ctx.write(out);
        newOut();
      }
    }
    if (in != null) {
      if (in.isReadable()) {
        in.discardSomeReadBytes();
        client.queryBufferBytes = in.readableBytes();
      } else {
        in.release();
        in = null;
        client.queryBufferBytes = 0;
      }
    }
  }

  /**
   * Called by the dispatcher for a command whose reply comes later: its place in the reply order.
   */
  private PendingReply defer() {
    if (queued != null) {
      return queued;
    }
    PendingReply p = new PendingReply(this::completed);
    pending.add(p);
    return p;
  }

  /**
   * A late reply arrived (any thread). Replies that arrive together are landed by one task on the
   * event loop, with one flush, however many there are.
   */
  private void completed(PendingReply p) {
    if (landing.compareAndSet(false, true)) {
      ctx.executor().execute(this::land);
    }
  }

  /** Writes every arrived reply in request order, then flushes once. Event loop only. */
  private void land() {
    landing.set(false);
    boolean any = false;
    for (PendingReply p : pending) {
      byte[] late = p.late;
      if (!p.done && late != null) {
        if (!p.suppressed) {
          if (p.buffer == null) {
            p.buffer = ctx.alloc().ioBuffer(late.length);
          }
          p.buffer.writeBytes(late);
        }
        p.done = true;
        any = true;
      }
    }
    if (!any || out == null) {
      return; // nothing new, or the connection is closed or closing
    }
    while (!pending.isEmpty() && pending.peekFirst().done) {
      PendingReply head = pending.pollFirst();
      if (head.buffer != null) {
        out.writeBytes(head.buffer);
        head.buffer.release();
      }
    }
    if (pending.isEmpty() && closeWhenDrained) {
      flush().addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (held && pending.size() < MAX_PENDING_REPLIES) {
      resume();
    } else {
      flush();
    }
  }

  private void hold() {
    held = true;
    ctx.channel().config().setAutoRead(false);
  }

  private void resume() {
    if (!held || closing || !ctx.channel().isActive()) {
      return;
    }
    held = false;
    ctx.channel().config().setAutoRead(true);
    process();
    flush();
  }

  private void protocolError(RespProtocolException e) {
    closing = true;
    if (e.reply()) {
      writer.error("ERR " + e.getMessage());
    } else {
      server.stats().queryBufferLimitDisconnections.increment();
      LOG.warn(
          "closing client id={} addr={} that reached max query buffer length",
          client.id(),
          client.addr());
    }
    flush().addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (server.cluster() != null) {
      server.cluster().flush();
    }
    if (!closing) {
      flush();
    }
  }

  private io.netty.channel.ChannelFuture flush() {
    if (out == null) {
      return ctx.newSucceededFuture();
    }
    if (!out.isReadable()) {
      ctx.flush();
      return ctx.newSucceededFuture();
    }
    server.stats().local().outputBytes += out.readableBytes();
    io.netty.channel.ChannelFuture f = ctx.writeAndFlush(out);
    if (closing) {
      out = null;
    } else {
      newOut();
    }
    return f;
  }

  private void newOut() {
    out = ctx.alloc().ioBuffer();
    writer.target(out);
  }

  // ------------------------------------------------------------------ pub/sub delivery

  @Override
  public EventExecutor executor() {
    return ctx.executor();
  }

  @Override
  public boolean write(Message m) {
    if (closing || out == null) {
      return false;
    }
    Message.Kind kind = m.kind();
    writer.pushHeader(kind == Message.Kind.PMESSAGE ? 4 : 3);
    writer.bulk(kind.wireName());
    if (kind == Message.Kind.PMESSAGE) {
      writer.bulk(m.pattern().bytes());
    }
    writer.bulk(m.channel().bytes());
    writer.bulk(m.payload());
    return true;
  }

  @Override
  public void flushMessages() {
    if (closing || out == null) {
      return;
    }
    if (overOutputLimit()) {
      closeOverOutputLimit();
      return;
    }
    flush();
  }

  private long pendingOutputBytes() {
    io.netty.channel.ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
    return (ob == null ? 0 : ob.totalPendingWriteBytes()) + (out == null ? 0 : out.readableBytes());
  }

  /**
   * Applies client-output-buffer-limit to the pending output (Redis's
   * checkClientOutputBufferLimits): the pubsub class while subscribed, normal otherwise.
   */
  private boolean overOutputLimit() {
    OutputBufferLimits limits = server.settings().clientOutputBufferLimit;
    int type = client.subscribed() ? OutputBufferLimits.PUBSUB : OutputBufferLimits.NORMAL;
    long hard = limits.hardBytes(type);
    long soft = limits.softBytes(type);
    if (hard == 0 && soft == 0) {
      return false;
    }
    Subscriber sub = client.subscriber();
    long used = pendingOutputBytes() + (sub == null ? 0 : sub.queuedBytes());
    client.outputBufferBytes = used;
    if (hard > 0 && used >= hard) {
      return true;
    }
    if (soft > 0 && used >= soft) {
      long now = System.currentTimeMillis();
      if (softLimitSinceMs == 0) {
        softLimitSinceMs = now;
        return false;
      }
      return (now - softLimitSinceMs) / 1000 > limits.softSeconds(type);
    }
    softLimitSinceMs = 0;
    return false;
  }

  private void closeOverOutputLimit() {
    LOG.warn(
        "Client id={} addr={} closed for overcoming of output buffer limits.",
        client.id(),
        client.addr());
    server.stats().outputBufferLimitDisconnections.increment();
    closing = true;
    server.clients().remove(client.id());
    ctx.channel().close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    client.outputBufferBytes =
        ctx.channel().unsafe().outboundBuffer() == null
            ? 0
            : ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
    if (!ctx.channel().isWritable() && !closing && overOutputLimit()) {
      closeOverOutputLimit();
      return;
    }
    if (ctx.channel().isWritable() && held && !server.paused(true, System.currentTimeMillis())) {
      resume();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    if (client != null) {
      server.clients().remove(client.id());
      server.monitors().remove(client);
      if (client.subscriber() != null) {
        server.pubsub().closed(client.subscriber());
      }
    }
    if (in != null) {
      in.release();
      in = null;
    }
    if (out != null) {
      out.release();
      out = null;
    }
    for (PendingReply p : pending) {
      if (p.buffer != null) {
        p.buffer.release();
      }
    }
    pending.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      LOG.debug(
          "client id={} connection error: {}", client == null ? -1 : client.id(), cause.toString());
    } else {
      LOG.error("client id={} unexpected error; closing", client == null ? -1 : client.id(), cause);
    }
    ctx.close();
  }

  static final String PROTECTED_MODE =
      "DENIED Roost is running in protected mode because protected mode is enabled and no"
          + " password is set for the default user. In this mode connections are only accepted"
          + " from the loopback interface. If you want to connect from external computers to"
          + " Roost you may adopt one of the following solutions: 1) Just disable protected mode"
          + " sending the command 'CONFIG SET protected-mode no' from the loopback interface by"
          + " connecting to Roost from the same host the server is running, however MAKE SURE"
          + " Roost is not publicly accessible from internet if you do so. Use CONFIG REWRITE to"
          + " make this change permanent. 2) Alternatively you can just disable the protected"
          + " mode by editing the Roost configuration file, and setting the protected mode option"
          + " to 'no', and then restarting the server. 3) If you started the server manually just"
          + " for testing, restart it with the '--protected-mode no' option. 4) Set up an"
          + " authentication password for the default user. NOTE: You only need to do one of the"
          + " above things in order for the server to start accepting connections from the"
          + " outside.";
}
