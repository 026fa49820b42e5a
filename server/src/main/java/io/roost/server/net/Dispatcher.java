package io.roost.server.net;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.CommandFrame;
import io.roost.protocol.RespWriter;
import io.roost.server.Server;
import io.roost.server.SlowLog;
import io.roost.server.Stats;
import io.roost.server.command.Call;
import io.roost.server.command.CommandSpec;
import io.roost.server.command.Errors;
import io.roost.server.command.Flag;
import io.roost.server.config.Directive;
import io.roost.server.config.Directives;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes one decoded command to its handler: resolves the spec from the name's bytes, checks arity
 * and authentication once, runs the handler, then does the bookkeeping (statistics, slow log,
 * monitors, CLIENT REPLY). Owned by the connection's event loop; holds no command logic.
 */
final class Dispatcher {
  /** What the connection handler must do after a command. */
  enum Outcome {
    DONE,
    /** The command cannot run now (CLIENT PAUSE); retry it later. */
    WAIT,
    /** The reply comes later through the {@link PendingReply} the dispatcher asked for. */
    DEFERRED
  }

  private final Server server;
  private final Client client;
  private final RespWriter reply;
  private final Call call;
  private final Stats.Shard stats;
  private final java.util.function.Supplier<PendingReply> deferrer;
  private ClusterRouter router;

  Dispatcher(
      Server server,
      Client client,
      RespWriter reply,
      java.util.function.Supplier<PendingReply> deferrer) {
    this.server = server;
    this.client = client;
    this.reply = reply;
    this.call = new Call(server, client, reply);
    this.stats = server.stats().local();
    this.deferrer = deferrer;
    this.call.deferrer(deferrer);
  }

  Outcome dispatch(CommandFrame frame) {
    CommandSpec spec = server.commands().lookup(frame, 0);
    ByteBuf out = reply.target();
    int mark = out.writerIndex();
    Client.ReplyMode modeBefore = client.replyMode;
    // ASKING holds for the next command only, whatever it is (ASKING itself sets it again).
    boolean asking = client.asking;
    if (asking) {
      client.asking = false;
    }
    if (spec == null || (spec.has(Flag.INTERNAL) && !client.internal())) {
      reject(null, unknownCommand(frame));
    } else if (!spec.arityAccepts(frame.argc())) {
      reject(spec, Errors.arity(spec));
    } else if (spec.container() && frame.argc() >= 2 && resolve(spec, frame) == null) {
      reject(spec, Errors.unknownSubcommand(frame.argString(1), spec.name()));
    } else {
      CommandSpec target = spec.container() && frame.argc() >= 2 ? resolve(spec, frame) : spec;
      if (target.handler() == null) {
        // A container called with no subcommand: Redis reports the container's arity.
        reject(spec, Errors.arity(spec));
      } else if (!target.arityAccepts(frame.argc())) {
        reject(target, Errors.arity(target));
      } else if (!client.authenticated && !target.has(Flag.NO_AUTH)) {
        reject(target, Errors.NOAUTH);
      } else if (client.protocol == 2 && !target.allowedWhenSubscribed() && client.subscribed()) {
        reject(target, Errors.subscribedContext(target));
      } else {
        long now = System.currentTimeMillis();
        if (server.paused(target.has(Flag.WRITE) || target.has(Flag.MAY_REPLICATE), now)) {
          client.asking = asking;
          return Outcome.WAIT;
        }
        if (target.firstKey() > 0 && router() != null) {
          Outcome outcome = routed(frame, target, out, mark, now, modeBefore, asking);
          if (outcome != null) {
            return outcome;
          }
        } else if (target.has(Flag.WRITE) && router() != null) {
          // FLUSHDB, FLUSHALL, SWAPDB: their effects go to every member; acknowledge them
          // (sync) once every member applied them, as a keyed write once its owners did.
          Outcome outcome = keylessWrite(frame, target, out, mark, now, modeBefore);
          if (outcome != null) {
            return outcome;
          }
        } else {
          execute(frame, target, out, mark, now);
          PendingReply late = call.takeDeferred();
          if (late != null) {
            late.suppressed = applyReplyMode(out, mark, modeBefore);
            return Outcome.DEFERRED;
          }
        }
      }
    }
    applyReplyMode(out, mark, modeBefore);
    return Outcome.DONE;
  }

  /**
   * A keyed command on a clustered node: runs here when this node is its slot's primary (waiting
   * for the backups when replication is sync), or goes to the primary; null when it ran here and
   * completed normally. {@code asking}: the client sent ASKING just before.
   */
  private Outcome routed(
      CommandFrame frame,
      CommandSpec spec,
      ByteBuf out,
      int mark,
      long now,
      Client.ReplyMode mode,
      boolean asking) {
    call.bind(frame, spec);
    boolean write = spec.has(Flag.WRITE);
    if (write) {
      // Before deciding: a handoff waits for writes decided under the routing it replaces.
      router.cluster().beginCommand();
    }
    ClusterRouter.Decision d = router.decide(call, spec, asking);
    if (write && !d.local()) {
      router.cluster().endCommand();
    }
    if (d.error() != null) {
      reject(spec, d.error());
      applyReplyMode(out, mark, mode);
      return Outcome.DONE;
    }
    if (!d.local()) {
      client.lastCommand = spec.fullName();
      client.lastInteractionMs = now;
      stats.calls[spec.id()]++;
      stats.commands++;
      PendingReply p = deferrer.get();
      p.suppressed = applyReplyMode(out, mark, mode);
      router.forward(call, spec, d, p);
      return Outcome.DEFERRED;
    }
    if (!write) {
      execute(frame, spec, out, mark, now);
      return null;
    }
    return replicated(frame, spec, out, mark, now, mode);
  }

  /** A write without keys on a clustered node (FLUSHDB, FLUSHALL, SWAPDB); null when done. */
  private Outcome keylessWrite(
      CommandFrame frame,
      CommandSpec spec,
      ByteBuf out,
      int mark,
      long now,
      Client.ReplyMode mode) {
    if (!router.cluster().writable()) {
      reject(spec, ClusterRouter.CLUSTERDOWN);
      applyReplyMode(out, mark, mode);
      return Outcome.DONE;
    }
    if (!router.sync()) {
      execute(frame, spec, out, mark, now);
      return null;
    }
    router.cluster().beginCommand();
    return replicated(frame, spec, out, mark, now, mode);
  }

  /**
   * Runs a write begun with {@code beginCommand} here and holds its reply until the backups applied
   * its effects (replication sync); null when it emitted nothing to wait for.
   */
  private Outcome replicated(
      CommandFrame frame,
      CommandSpec spec,
      ByteBuf out,
      int mark,
      long now,
      Client.ReplyMode mode) {
    long ticket;
    try {
      execute(frame, spec, out, mark, now);
    } finally {
      ticket = router.cluster().endCommand();
    }
    if (ticket == 0) {
      return null;
    }
    byte[] bytes = new byte[out.writerIndex() - mark];
    out.getBytes(mark, bytes);
    out.writerIndex(mark);
    PendingReply p = deferrer.get();
    p.suppressed = applyReplyMode(out, mark, mode);
    router.cluster().whenReplicated(ticket, () -> p.complete(bytes), p::complete);
    return Outcome.DEFERRED;
  }

  /** The cluster router, once the node has joined its cluster; null on a standalone node. */
  private ClusterRouter router() {
    if (router == null && server.cluster() != null) {
      router = new ClusterRouter(server, client);
    }
    return router;
  }

  private void execute(CommandFrame frame, CommandSpec spec, ByteBuf out, int mark, long nowMs) {
    call.bind(frame, spec);
    client.lastCommand = spec.fullName();
    client.lastInteractionMs = nowMs;
    long startNs = System.nanoTime();
    spec.handler().execute(call);
    long micros = (System.nanoTime() - startNs) / 1000;
    int id = spec.id();
    stats.calls[id]++;
    stats.usec[id] += micros;
    stats.commands++;
    if (out.writerIndex() > mark) {
      byte first = out.getByte(mark);
      if (first == '-' || first == '!') {
        stats.failed[id]++;
        countError(out, mark);
      }
    }
    long slower = server.settings().slowlogLogSlowerThanMicros;
    if (slower >= 0 && micros >= slower && !spec.has(Flag.SKIP_SLOWLOG)) {
      recordSlow(frame, spec, micros, nowMs);
    }
    // As Redis: after execution (so SELECT shows its new database), never admin commands.
    if (!server.monitors().isEmpty()
        && !spec.has(Flag.SKIP_MONITOR)
        && !spec.has(Flag.ADMIN_FLAG)
        && !client.monitor) {
      feedMonitors(frame, spec, System.currentTimeMillis());
    }
  }

  private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUTH = "AUTH".getBytes(StandardCharsets.US_ASCII);

  /**
   * Argument {@code i} as the slow log and monitors show it: secrets become {@code (redacted)}, as
   * Redis's redactClientCommandArgument does for AUTH, HELLO AUTH and sensitive CONFIG SET values.
   */
  static byte[] shown(CommandFrame frame, CommandSpec spec, int i) {
    boolean secret =
        switch (spec.fullName()) {
          case "auth" -> i >= 1;
          case "hello" ->
              (i >= 3 && frame.argEqualsIgnoreCase(i - 1, AUTH))
                  || (i >= 4 && frame.argEqualsIgnoreCase(i - 2, AUTH));
          case "config|set" -> {
            if (i < 3 || i % 2 == 0) {
              yield false;
            }
            Directive d = Directives.find(frame.argString(i - 1));
            yield d != null && d.sensitive();
          }
          default -> false;
        };
    return secret ? REDACTED : frame.argBytes(i);
  }

  private static CommandSpec resolve(CommandSpec container, CommandFrame frame) {
    return frame.argc() < 2 ? null : container.subcommand(frame, 1);
  }

  private void reject(CommandSpec spec, String error) {
    int mark = reply.target().writerIndex();
    reply.error(error);
    if (spec != null) {
      stats.rejected[spec.id()]++;
    }
    countError(reply.target(), mark);
  }

  private void countError(ByteBuf out, int mark) {
    int end = out.writerIndex();
    int i = mark + 1;
    while (i < end && out.getByte(i) != ' ' && out.getByte(i) != '\r') {
      i++;
    }
    server.stats().error(out.toString(mark + 1, i - mark - 1, StandardCharsets.US_ASCII));
  }

  /** Drops what the command wrote when CLIENT REPLY says so; returns whether it did. */
  private boolean applyReplyMode(ByteBuf out, int mark, Client.ReplyMode before) {
    Client.ReplyMode now = client.replyMode;
    boolean suppressed =
        now == Client.ReplyMode.OFF
            || before == Client.ReplyMode.SKIP
            || now == Client.ReplyMode.SKIP_NEXT;
    if (suppressed) {
      out.writerIndex(mark);
    }
    if (before == Client.ReplyMode.SKIP && now == Client.ReplyMode.SKIP) {
      client.replyMode = Client.ReplyMode.ON;
    } else if (now == Client.ReplyMode.SKIP_NEXT) {
      client.replyMode = Client.ReplyMode.SKIP;
    }
    return suppressed;
  }

  /** {@code ERR unknown command 'x', with args beginning with: 'a' 'b' }, as Redis builds it. */
  static String unknownCommand(CommandFrame frame) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < frame.argc() && args.length() < 128; i++) {
      String a = frame.argString(i);
      int room = 128 - args.length();
      args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
    }
    String name = frame.argString(0);
    if (name.length() > 128) {
      name = name.substring(0, 128);
    }
    return "ERR unknown command '" + name + "', with args beginning with: " + args;
  }

  private void recordSlow(CommandFrame frame, CommandSpec spec, long micros, long nowMs) {
    int argc = frame.argc();
    int kept = Math.min(argc, SlowLog.MAX_ARGS);
    List<byte[]> args = new ArrayList<>(kept);
    for (int i = 0; i < kept; i++) {
      if (kept < argc && i == kept - 1) {
        args.add(
            ("... (" + (argc - kept + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
        break;
      }
      byte[] a = shown(frame, spec, i);
      if (a.length > SlowLog.MAX_ARG_BYTES) {
        byte[] head = java.util.Arrays.copyOf(a, SlowLog.MAX_ARG_BYTES);
        String more = "... (" + (a.length - SlowLog.MAX_ARG_BYTES) + " more bytes)";
        byte[] tail = more.getBytes(StandardCharsets.US_ASCII);
        a = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, a, head.length, tail.length);
      }
      args.add(a);
    }
    server
        .slowLog()
        .add(
            nowMs / 1000,
            micros,
            args,
            client.addr(),
            client.name,
            server.settings().slowlogMaxLen);
  }

  private void feedMonitors(CommandFrame frame, CommandSpec spec, long nowMs) {
    StringBuilder line = new StringBuilder(64);
    long micros = nowMs * 1000 + (System.nanoTime() / 1000) % 1000;
    line.append('+')
        .append(micros / 1_000_000)
        .append('.')
        .append(String.format("%06d", micros % 1_000_000))
        .append(" [")
        .append(client.db)
        .append(' ')
        .append(client.addr())
        .append(']');
    for (int i = 0; i < frame.argc(); i++) {
      line.append(' ');
      Quoting.repr(shown(frame, spec, i), line);
    }
    line.append("\r\n");
    byte[] bytes = line.toString().getBytes(StandardCharsets.ISO_8859_1);
    for (Client m : server.monitors()) {
      io.netty.channel.Channel ch = m.channel();
      ch.eventLoop()
          .execute(
              () -> {
                if (ch.isActive()) {
                  ch.writeAndFlush(ch.alloc().buffer(bytes.length).writeBytes(bytes));
                }
              });
    }
  }
}
