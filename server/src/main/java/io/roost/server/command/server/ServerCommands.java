package io.roost.server.command.server;

import io.roost.protocol.RespWriter;
import io.roost.server.SlowLog;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.Help;
import io.roost.server.net.Client;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Small server commands: TIME, SHUTDOWN, MONITOR and the SLOWLOG family. */
public final class ServerCommands {
  private ServerCommands() {}

  /** {@code TIME}: seconds and microseconds, as two bulk strings. */
  public static void time(Call call) {
    Instant now = Instant.now();
    call.reply().arrayHeader(2);
    call.reply().bulk(Long.toString(now.getEpochSecond()));
    call.reply().bulk(Long.toString(now.getNano() / 1000));
  }

  /**
   * {@code SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]}: Roost keeps no files, so SAVE has nothing
   * to write and the options only get checked; a successful shutdown sends no reply.
   */
  public static void shutdown(Call call) {
    boolean abort = false;
    boolean other = false;
    for (int i = 1; i < call.argc(); i++) {
      String opt = call.argString(i).toLowerCase(Locale.ROOT);
      switch (opt) {
        case "nosave", "save", "now", "force" -> other = true;
        case "abort" -> abort = true;
        default -> {
          call.syntaxError();
          return;
        }
      }
    }
    if (abort) {
      if (other) {
        call.syntaxError();
      } else {
        call.reply().error("ERR No shutdown in progress.");
      }
      return;
    }
    call.client().closeAfterReply = true;
    Thread t = new Thread(call.server()::shutdown, "roost-shutdown");
    t.start();
  }

  /** {@code MONITOR}: this connection receives every command the server executes from now on. */
  public static void monitor(Call call) {
    Client c = call.client();
    if (!c.monitor) {
      c.monitor = true;
      call.server().monitors().add(c);
    }
    call.reply().ok();
  }

  /** {@code SLOWLOG GET [count]}. */
  public static void slowlogGet(Call call) {
    long count = 10;
    if (call.argc() == 3) {
      count = call.argLong(2, Long.MIN_VALUE);
      if (count < -1) {
        call.reply().error("ERR count should be greater than or equal to -1");
        return;
      }
    } else if (call.argc() > 3) {
      call.reply().error(Errors.arity(call.spec()));
      return;
    }
    List<SlowLog.Entry> entries = call.server().slowLog().newest(count);
    RespWriter r = call.reply();
    r.arrayHeader(entries.size());
    for (SlowLog.Entry e : entries) {
      r.arrayHeader(6);
      r.integer(e.id());
      r.integer(e.timestampSec());
      r.integer(e.durationMicros());
      r.arrayHeader(e.args().size());
      for (byte[] a : e.args()) {
        r.bulk(a);
      }
      r.bulk(e.addr());
      r.bulk(e.name());
    }
  }

  public static void slowlogLen(Call call) {
    call.reply().integer(call.server().slowLog().size());
  }

  public static void slowlogReset(Call call) {
    call.server().slowLog().reset();
    call.reply().ok();
  }

  public static void slowlogHelp(Call call) {
    Help.reply(
        call,
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Print this help.");
  }
}
