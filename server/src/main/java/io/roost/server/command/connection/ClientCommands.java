package io.roost.server.command.connection;

import io.roost.server.Server;
import io.roost.server.command.Call;
import io.roost.server.command.Errors;
import io.roost.server.command.Help;
import io.roost.server.net.Client;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code CLIENT} family: each public static method is one subcommand's handler. */
public final class ClientCommands {
  private ClientCommands() {}

  static final String BAD_NAME =
      "ERR Client names cannot contain spaces, newlines or special characters.";
  private static final byte[] ON = "ON".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OFF = "OFF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SKIP = "SKIP".getBytes(StandardCharsets.US_ASCII);

  /** Redis accepts names made of the printable ASCII characters other than space. */
  static boolean validName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }

  public static void id(Call call) {
    call.reply().integer(call.client().id());
  }

  public static void setName(Call call) {
    String name = call.argString(2);
    if (!validName(name)) {
      call.reply().error(BAD_NAME);
      return;
    }
    call.client().name = name;
    call.reply().ok();
  }

  public static void getName(Call call) {
    String name = call.client().name;
    if (name.isEmpty()) {
      call.reply().nullBulk();
    } else {
      call.reply().bulk(name);
    }
  }

  public static void setInfo(Call call) {
    String attr = call.argString(2).toLowerCase(Locale.ROOT);
    String value = call.argString(3);
    if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
      call.reply().error("ERR Unrecognized option '" + call.argString(2) + "'");
      return;
    }
    if (!validName(value)) {
      call.reply()
          .error(
              "ERR "
                  + call.argString(2)
                  + " cannot contain spaces, newlines or special characters.");
      return;
    }
    if (attr.equals("lib-name")) {
      call.client().libName = value;
    } else {
      call.client().libVer = value;
    }
    call.reply().ok();
  }

  public static void info(Call call) {
    String line = call.client().describe(System.currentTimeMillis()) + "\n";
    call.reply().verbatim("txt", line.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]}. */
  public static void list(Call call) {
    Server server = call.server();
    List<Long> ids = null;
    String type = null;
    for (int i = 2; i < call.argc(); i++) {
      String opt = call.argString(i).toLowerCase(Locale.ROOT);
      if (opt.equals("type") && i + 1 < call.argc()) {
        type = call.argString(++i).toLowerCase(Locale.ROOT);
        if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
          call.reply().error("ERR Unknown client type '" + call.argString(i) + "'");
          return;
        }
      } else if (opt.equals("id") && i + 1 < call.argc()) {
        ids = new ArrayList<>();
        for (i = i + 1; i < call.argc(); i++) {
          long id = call.argLong(i, -1);
          if (id <= 0) {
            call.reply().error("ERR Invalid client ID");
            return;
          }
          ids.add(id);
        }
      } else {
        call.syntaxError();
        return;
      }
    }
    long now = System.currentTimeMillis();
    StringBuilder sb = new StringBuilder();
    List<Client> all = new ArrayList<>(server.clients().values());
    all.sort((a, b) -> Long.compare(a.id(), b.id()));
    for (Client c : all) {
      if (ids != null && !ids.contains(c.id())) {
        continue;
      }
      if (type != null && !ofType(c, type)) {
        continue;
      }
      sb.append(c.describe(now)).append('\n');
    }
    call.reply().verbatim("txt", sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code c} is of the CLIENT LIST/KILL {@code TYPE}: pubsub while subscribed, normal
   * otherwise (monitors included, as Redis); Roost has no master or replica clients.
   */
  private static boolean ofType(Client c, String type) {
    return switch (type) {
      case "pubsub" -> c.subscribed();
      case "normal" -> !c.subscribed();
      default -> false;
    };
  }

  /** {@code CLIENT KILL addr:port} or {@code CLIENT KILL <filter> <value> ...}. */
  public static void kill(Call call) {
    Server server = call.server();
    Client self = call.client();
    if (call.argc() == 3) {
      String addr = call.argString(2);
      for (Client c : server.clients().values()) {
        if (c.addr().equals(addr)) {
          close(server, c, self);
          call.reply().ok();
          return;
        }
      }
      call.reply().error("ERR No such client");
      return;
    }
    long id = 0;
    String addr = null;
    String laddr = null;
    String type = null;
    String user = null;
    boolean skipMe = true;
    long maxAgeSec = 0;
    for (int i = 2; i < call.argc(); i += 2) {
      if (i + 1 >= call.argc()) {
        call.syntaxError();
        return;
      }
      String opt = call.argString(i).toLowerCase(Locale.ROOT);
      String val = call.argString(i + 1);
      switch (opt) {
        case "id" -> {
          id = call.argLong(i + 1, Long.MIN_VALUE);
          if (id == Long.MIN_VALUE) {
            call.reply().error("ERR client-id should be greater than 0");
            return;
          }
          if (id <= 0) {
            call.reply().error("ERR client-id should be greater than 0");
            return;
          }
        }
        case "addr" -> addr = val;
        case "laddr" -> laddr = val;
        case "user" -> {
          // Only the default user exists until ACL users arrive.
          if (!val.equals("default")) {
            call.reply().error("ERR No such user '" + val + "'");
            return;
          }
          user = val;
        }
        case "type" -> {
          type = val.toLowerCase(Locale.ROOT);
          if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
            call.reply().error("ERR Unknown client type '" + val + "'");
            return;
          }
        }
        case "skipme" -> {
          if (val.equalsIgnoreCase("yes")) {
            skipMe = true;
          } else if (val.equalsIgnoreCase("no")) {
            skipMe = false;
          } else {
            call.syntaxError();
            return;
          }
        }
        case "maxage" -> {
          maxAgeSec = call.argLong(i + 1, Long.MIN_VALUE);
          if (maxAgeSec == Long.MIN_VALUE) {
            call.reply().error("ERR maxage is not an integer or out of range");
            return;
          }
          if (maxAgeSec <= 0) {
            call.reply().error("ERR maxage should be greater than 0");
            return;
          }
        }
        default -> {
          call.syntaxError();
          return;
        }
      }
    }
    long now = System.currentTimeMillis();
    int killed = 0;
    for (Client c : server.clients().values()) {
      if ((id != 0 && c.id() != id)
          || (addr != null && !c.addr().equals(addr))
          || (laddr != null && !c.laddr().equals(laddr))
          || (user != null && !user.equals("default"))
          || (type != null && !ofType(c, type))
          || (maxAgeSec > 0 && (now - c.createdMs()) / 1000 < maxAgeSec)
          || (skipMe && c == self)) {
        continue;
      }
      close(server, c, self);
      killed++;
    }
    call.reply().integer(killed);
  }

  /**
   * Kills {@code c}: gone from CLIENT LIST and later KILLs at once, as in Redis, though its channel
   * closes on its own event loop.
   */
  private static void close(Server server, Client c, Client self) {
    if (c == self) {
      self.closeAfterReply = true;
    } else {
      server.clients().remove(c.id());
      c.channel().close();
    }
  }

  /** {@code CLIENT PAUSE timeout [WRITE|ALL]}. */
  public static void pause(Call call) {
    if (call.argc() > 4) {
      call.reply()
          .error(
              "ERR unknown subcommand or wrong number of arguments for '"
                  + call.argString(1)
                  + "'. Try CLIENT HELP.");
      return;
    }
    boolean writesOnly = false;
    if (call.argc() == 4) {
      String mode = call.argString(3);
      if (mode.equalsIgnoreCase("write")) {
        writesOnly = true;
      } else if (!mode.equalsIgnoreCase("all")) {
        call.reply().error("ERR CLIENT PAUSE mode must be WRITE or ALL");
        return;
      }
    }
    long ms = call.argLong(2, Long.MIN_VALUE);
    if (ms == Long.MIN_VALUE) {
      call.reply().error("ERR timeout is not an integer or out of range");
      return;
    }
    if (ms < 0) {
      call.reply().error("ERR timeout is negative");
      return;
    }
    long now = System.currentTimeMillis();
    if (ms > Long.MAX_VALUE - now) {
      call.reply().error("ERR timeout is out of range");
      return;
    }
    call.server().pause(now + ms, writesOnly);
    call.reply().ok();
  }

  public static void unpause(Call call) {
    call.server().unpause();
    call.reply().ok();
  }

  public static void reply(Call call) {
    Client c = call.client();
    if (call.argIs(2, ON)) {
      c.replyMode = Client.ReplyMode.ON;
      call.reply().ok();
    } else if (call.argIs(2, OFF)) {
      c.replyMode = Client.ReplyMode.OFF;
    } else if (call.argIs(2, SKIP)) {
      if (c.replyMode != Client.ReplyMode.OFF) {
        c.replyMode = Client.ReplyMode.SKIP_NEXT;
      }
    } else {
      call.syntaxError();
    }
  }

  public static void noEvict(Call call) {
    Boolean v = onOff(call);
    if (v != null) {
      call.client().noEvict = v;
      call.reply().ok();
    }
  }

  public static void noTouch(Call call) {
    Boolean v = onOff(call);
    if (v != null) {
      call.client().noTouch = v;
      call.reply().ok();
    }
  }

  private static Boolean onOff(Call call) {
    if (call.argIs(2, ON)) {
      return Boolean.TRUE;
    }
    if (call.argIs(2, OFF)) {
      return Boolean.FALSE;
    }
    call.reply().error(Errors.SYNTAX);
    return null;
  }

  public static void help(Call call) {
    Help.reply(
        call,
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "    * ID <client-id>",
        "      Kill connections by client id.",
        "    * MAXAGE <maxage>",
        "      Kill connections older than the specified age.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Print this help.");
  }
}
