package io.roost.server.command;

import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespNumberException;
import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import io.roost.server.net.Client;

/**
 * One connection's view of the command being executed: its arguments, the reply writer, the client
 * and the server. Owned by the connection's event loop and reused for every command.
 */
public final class Call {
  private final Server server;
  private final Client client;
  private final RespWriter reply;
  private CommandFrame frame;
  private CommandSpec spec;

  public Call(Server server, Client client, RespWriter reply) {
    this.server = server;
    this.client = client;
    this.reply = reply;
  }

  /** Points this call at the next command. */
  public void bind(CommandFrame frame, CommandSpec spec) {
    this.frame = frame;
    this.spec = spec;
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

  public void syntaxError() {
    reply.error(Errors.SYNTAX);
  }
}
