package io.roost.server.command;

import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespNumberException;
import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import io.roost.server.net.Client;
import io.roost.server.net.PendingReply;
import io.roost.store.Args;
import io.roost.store.Database;
import io.roost.store.ValueSink;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;

/**
 * One connection's view of the command being executed: its arguments, the reply writer, the client
 * and the server. Owned by the connection's event loop and reused for every command.
 */
public final class Call {
  private final Server server;
  private final Client client;
  private final RespWriter reply;
  private final FrameArgs args = new FrameArgs();
  private final ReplySink sink;
  private CommandFrame frame;
  private CommandSpec spec;
  private Supplier<PendingReply> deferrer;
  private PendingReply deferred;

  public Call(Server server, Client client, RespWriter reply) {
    this.server = server;
    this.client = client;
    this.reply = reply;
    this.sink = new ReplySink(reply);
  }

  /** Where {@link #defer()} gets a place in the reply order; set once by the connection. */
  public void deferrer(Supplier<PendingReply> d) {
    deferrer = d;
  }

  /**
   * For a handler whose reply comes later (WAIT, cluster work): writes nothing now and completes
   * the returned place, from any thread, with the whole RESP reply.
   */
  public PendingReply defer() {
    deferred = deferrer.get();
    return deferred;
  }

  /** The place a handler deferred to during this command, or null; clears it. */
  public PendingReply takeDeferred() {
    PendingReply d = deferred;
    deferred = null;
    return d;
  }

  /** Points this call at the next command. */
  public void bind(CommandFrame frame, CommandSpec spec) {
    this.frame = frame;
    this.spec = spec;
    args.bind(frame);
  }

  public Server server() {
    return server;
  }

  public Client client() {
    return client;
  }

  public RespWriter reply() {
    return reply;
  }

  public CommandFrame frame() {
    return frame;
  }

  /** The spec being executed (the subcommand's for a container). */
  public CommandSpec spec() {
    return spec;
  }

  public int argc() {
    return frame.argc();
  }

  /** Argument {@code i} equals the upper-case ASCII constant, ignoring case. */
  public boolean argIs(int i, byte[] upper) {
    return frame.argEqualsIgnoreCase(i, upper);
  }

  /** Argument as a String: cold paths and error texts only. */
  public String argString(int i) {
    return frame.argString(i);
  }

  public byte[] argBytes(int i) {
    return frame.argBytes(i);
  }

  /**
   * Argument as a long by Redis's rules, or writes {@code -ERR value is not an integer or out of
   * range} and returns {@link Long#MIN_VALUE}; callers return when they see it.
   */
  public long argLongOrReply(int i) {
    try {
      return frame.argLong(i);
    } catch (RespNumberException e) {
      reply.error(Errors.NOT_INTEGER);
      return Long.MIN_VALUE;
    }
  }

  /** Argument as a long, or {@code fallback} when it is not one (no reply is written). */
  public long argLong(int i, long fallback) {
    try {
      return frame.argLong(i);
    } catch (RespNumberException e) {
      return fallback;
    }
  }

  /** The database the client has selected. */
  public Database db() {
    return server.store().database(client.db);
  }

  /** The arguments as the store takes them (see {@link Args}); no copy. */
  public Args args() {
    return args;
  }

  /**
   * The buffer holding every argument, for store calls that take {@code (buffer, offset, length)};
   * pair it with {@link #offset(int)} and {@link #length(int)}.
   */
  public DirectBuffer buf() {
    return args.view();
  }

  public int offset(int i) {
    return frame.argOffset(i);
  }

  public int length(int i) {
    return frame.argLength(i);
  }

  /** A sink that writes store values as bulk strings (arrays for counts) into the reply. */
  public ValueSink bulkSink() {
    return sink.pairs(false);
  }

  /** Like {@link #bulkSink()}, but counted field/value pairs become RESP3 maps. */
  public ValueSink mapSink() {
    return sink.pairs(true);
  }

  /** Writes the Redis error reply of a negative store {@link Status}. */
  public void storeError(int status) {
    reply.error(StoreErrors.text(status, spec));
  }

  public void syntaxError() {
    reply.error(Errors.SYNTAX);
  }

  private final org.agrona.collections.MutableLong scratchLong =
      new org.agrona.collections.MutableLong();

  /**
   * A long holder owned by this call, for store results such as INCR's new value; valid until the
   * next command.
   */
  public org.agrona.collections.MutableLong scratchLong() {
    return scratchLong;
  }

  /** Now in epoch milliseconds by the store's clock: the base of relative TTLs. */
  public long storeNowMs() {
    return server.store().clock().epochMs();
  }
}
