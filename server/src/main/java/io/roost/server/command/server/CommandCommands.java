package io.roost.server.command.server;

import io.roost.protocol.RespWriter;
import io.roost.server.command.AclCategory;
import io.roost.server.command.Call;
import io.roost.server.command.CommandSpec;
import io.roost.server.command.CommandTable;
import io.roost.server.command.Flag;
import io.roost.server.command.Help;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code COMMAND} family, answered from the command table's specs: the same data that drives
 * dispatch, so the two cannot disagree. Commands flagged {@link Flag#INTERNAL} (run only by the
 * server's internal client for other nodes, unknown to clients) are left out everywhere, as Redis
 * leaves out its internal commands.
 */
public final class CommandCommands {
  private CommandCommands() {}

  /** The top-level commands clients can see, in table order. */
  static List<CommandSpec> visible(CommandTable table) {
    List<CommandSpec> out = new ArrayList<>();
    for (CommandSpec s : table.commands()) {
      if (!s.has(Flag.INTERNAL)) {
        out.add(s);
      }
    }
    return out;
  }

  /** {@code COMMAND}: every command's info. */
  public static void all(Call call) {
    List<CommandSpec> commands = visible(call.server().commands());
    call.reply().arrayHeader(commands.size());
    for (CommandSpec s : commands) {
      info(call.reply(), s);
    }
  }

  public static void count(Call call) {
    call.reply().integer(visible(call.server().commands()).size());
  }

  /** {@code COMMAND INFO [name ...]}: null for unknown names; no names means all. */
  public static void info(Call call) {
    if (call.argc() == 2) {
      all(call);
      return;
    }
    CommandTable table = call.server().commands();
    call.reply().arrayHeader(call.argc() - 2);
    for (int i = 2; i < call.argc(); i++) {
      CommandSpec s = find(table, call.argString(i));
      if (s == null) {
        call.reply().nullBulk();
      } else {
        info(call.reply(), s);
      }
    }
  }

  /** Finds {@code name} or {@code container|sub}; null for unknown and internal commands. */
  static CommandSpec find(CommandTable table, String name) {
    int bar = name.indexOf('|');
    CommandSpec s = table.find(bar < 0 ? name : name.substring(0, bar));
    if (s != null && s.has(Flag.INTERNAL)) {
      return null;
    }
    if (s == null || bar < 0) {
      return s;
    }
    for (CommandSpec sub : s.subcommands()) {
      if (sub.name().equalsIgnoreCase(name.substring(bar + 1))) {
        return sub;
      }
    }
    return null;
  }

  private static void info(RespWriter r, CommandSpec s) {
    r.arrayHeader(10);
    r.bulk(s.fullName());
    r.integer(s.arity());
    List<String> flags = new ArrayList<>();
    for (Flag f : Flag.values()) {
      if (s.has(f)) {
        flags.add(f.wireName());
      }
    }
    r.setHeader(flags.size());
    for (String f : flags) {
      r.simple(f);
    }
    r.integer(s.firstKey());
    r.integer(s.lastKey());
    r.integer(s.keyStep());
    List<String> cats = new ArrayList<>();
    for (AclCategory c : AclCategory.values()) {
      if ((s.aclCategories() & c.bit()) != 0) {
        cats.add(c.wireName());
      }
    }
    r.setHeader(cats.size());
    for (String c : cats) {
      r.simple(c);
    }
    r.setHeader(0);
    keySpecs(r, s);
    r.arrayHeader(s.subcommands().size());
    for (CommandSpec sub : s.subcommands()) {
      info(r, sub);
    }
  }

  private static void keySpecs(RespWriter r, CommandSpec s) {
    if (s.firstKey() <= 0) {
      r.arrayHeader(0);
      return;
    }
    r.arrayHeader(1);
    r.mapHeader(3);
    r.bulk("flags");
    if (s.notKey()) {
      r.setHeader(1);
      r.simple("not_key");
    } else if (s.has(Flag.WRITE)) {
      r.setHeader(2);
      r.simple("RW");
      r.simple("UPDATE");
    } else {
      r.setHeader(2);
      r.simple("RO");
      r.simple("ACCESS");
    }
    r.bulk("begin_search");
    r.mapHeader(2);
    r.bulk("type");
    r.bulk("index");
    r.bulk("spec");
    r.mapHeader(1);
    r.bulk("index");
    r.integer(s.firstKey());
    r.bulk("find_keys");
    r.mapHeader(2);
    r.bulk("type");
    r.bulk("range");
    r.bulk("spec");
    r.mapHeader(3);
    r.bulk("lastkey");
    r.integer(s.lastKey() < 0 ? s.lastKey() : s.lastKey() - s.firstKey());
    r.bulk("keystep");
    r.integer(s.keyStep());
    r.bulk("limit");
    r.integer(0);
  }

  /** {@code COMMAND DOCS [name ...]}. */
  public static void docs(Call call) {
    CommandTable table = call.server().commands();
    List<CommandSpec> specs = new ArrayList<>();
    if (call.argc() == 2) {
      specs.addAll(visible(table));
    } else {
      for (int i = 2; i < call.argc(); i++) {
        CommandSpec s = find(table, call.argString(i));
        if (s != null) {
          specs.add(s);
        }
      }
    }
    call.reply().mapHeader(specs.size());
    for (CommandSpec s : specs) {
      call.reply().bulk(s.fullName());
      doc(call.reply(), s);
    }
  }

  private static void doc(RespWriter r, CommandSpec s) {
    boolean subs = !s.subcommands().isEmpty();
    r.mapHeader(subs ? 5 : 4);
    r.bulk("summary");
    r.bulk(s.summary());
    r.bulk("since");
    r.bulk(s.since());
    r.bulk("group");
    r.bulk(s.group());
    r.bulk("complexity");
    r.bulk(s.complexity());
    if (subs) {
      r.bulk("subcommands");
      r.mapHeader(s.subcommands().size());
      for (CommandSpec sub : s.subcommands()) {
        r.bulk(sub.fullName());
        doc(r, sub);
      }
    }
  }

  /** {@code COMMAND LIST [FILTERBY MODULE name | ACLCAT cat | PATTERN pattern]}. */
  public static void list(Call call) {
    List<String> names = new ArrayList<>();
    String filter = call.argc() >= 5 ? call.argString(3).toLowerCase(Locale.ROOT) : "";
    if (call.argc() != 2
        && (call.argc() != 5
            || !call.argString(2).equalsIgnoreCase("filterby")
            || !List.of("module", "aclcat", "pattern").contains(filter))) {
      call.syntaxError();
      return;
    }
    String value = call.argc() == 5 ? call.argString(4) : "";
    for (CommandSpec s : call.server().commands().all()) {
      if (s.has(Flag.INTERNAL)) {
        continue;
      }
      boolean keep =
          switch (filter) {
            case "module" -> false;
            case "aclcat" -> hasCategory(s, value);
            case "pattern" ->
                ConfigCommands.nameMatches(
                    call.buf(), call.offset(4), call.length(4), s.fullName());
            default -> true;
          };
      if (keep) {
        names.add(s.fullName());
      }
    }
    call.reply().arrayHeader(names.size());
    for (String n : names) {
      call.reply().bulk(n);
    }
  }

  private static boolean hasCategory(CommandSpec s, String category) {
    for (AclCategory c : AclCategory.values()) {
      if (c.wireName().substring(1).equalsIgnoreCase(category)) {
        return (s.aclCategories() & c.bit()) != 0;
      }
    }
    return false;
  }

  /** {@code COMMAND GETKEYS command [arg ...]}. */
  public static void getKeys(Call call) {
    keys(call, false);
  }

  /** {@code COMMAND GETKEYSANDFLAGS command [arg ...]}. */
  public static void getKeysAndFlags(Call call) {
    keys(call, true);
  }

  private static void keys(Call call, boolean withFlags) {
    CommandSpec s = call.server().commands().lookup(call.frame(), 2);
    int argc = call.argc() - 2;
    if (s != null && s.container() && argc >= 2) {
      CommandSpec sub = s.subcommand(call.frame(), 3);
      s = sub != null ? sub : s;
    }
    if (s == null || s.has(Flag.INTERNAL)) {
      call.reply().error("ERR Invalid command specified");
      return;
    }
    if (s.firstKey() <= 0) {
      call.reply().error("ERR The command has no key arguments");
      return;
    }
    if (!s.arityAccepts(argc)) {
      call.reply().error("ERR Invalid number of arguments specified for command");
      return;
    }
    int last = s.lastKey() < 0 ? argc + s.lastKey() : s.lastKey();
    List<Integer> positions = new ArrayList<>();
    for (int i = s.firstKey(); i <= last && i < argc; i += Math.max(1, s.keyStep())) {
      positions.add(i);
    }
    call.reply().arrayHeader(positions.size());
    for (int i : positions) {
      if (withFlags) {
        call.reply().arrayHeader(2);
      }
      call.reply().bulk(call.argBytes(i + 2));
      if (withFlags) {
        boolean write = s.has(Flag.WRITE);
        call.reply().setHeader(2);
        call.reply().simple(write ? "RW" : "RO");
        call.reply().simple(write ? "UPDATE" : "ACCESS");
      }
    }
  }

  public static void help(Call call) {
    Help.reply(
        call,
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        "HELP",
        "    Print this help.");
  }
}
