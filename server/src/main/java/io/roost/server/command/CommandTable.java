package io.roost.server.command;

import io.netty.buffer.ByteBuf;
import io.roost.protocol.CommandFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Finds a command's spec from the bytes of its name: an open-addressing table keyed by a hash of
 * the lower-cased name, compared ignoring ASCII case. Immutable once built, so every event loop
 * reads it without locks; no String is made on lookup.
 */
public final class CommandTable {
  private final CommandSpec[] slots;
  private final int mask;
  private final List<CommandSpec> commands;
  private final List<CommandSpec> all;

  public CommandTable(List<CommandSpec> commands) {
    int size = Integer.highestOneBit(Math.max(16, commands.size() * 4) - 1) << 1;
    this.slots = new CommandSpec[size];
    this.mask = size - 1;
    this.commands = List.copyOf(commands);
    List<CommandSpec> every = new ArrayList<>();
    for (CommandSpec spec : commands) {
      byte[] n = spec.upperName();
      int i = hash(n, 0, n.length) & mask;
      while (slots[i] != null) {
        if (slots[i].name().equals(spec.name())) {
          throw new IllegalArgumentException("command=" + spec.name() + " is defined twice");
        }
        i = (i + 1) & mask;
      }
      slots[i] = spec;
      spec.id(every.size());
      every.add(spec);
      for (CommandSpec sub : spec.subcommands()) {
        sub.id(every.size());
        every.add(sub);
      }
    }
    this.all = Collections.unmodifiableList(every);
  }

  /** The spec named by argument {@code arg} of {@code frame}; null when there is none. */
  public CommandSpec lookup(CommandFrame frame, int arg) {
    ByteBuf buf = frame.buffer();
    int off = frame.argOffset(arg);
    int len = frame.argLength(arg);
    int i = hash(buf, off, len) & mask;
    CommandSpec s;
    while ((s = slots[i]) != null) {
      if (s.upperName().length == len && frame.argEqualsIgnoreCase(arg, s.upperName())) {
        return s;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Finds a top-level command by name, ignoring case (cold paths: COMMAND INFO, tests). */
  public CommandSpec find(String name) {
    for (CommandSpec s : commands) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    return null;
  }

  /** Top-level commands in table order. */
  public List<CommandSpec> commands() {
    return commands;
  }

  /** Every spec, subcommands included, indexed by {@link CommandSpec#id()}. */
  public List<CommandSpec> all() {
    return all;
  }

  private static int hash(byte[] upper, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off; i < off + len; i++) {
      h = (h ^ (upper[i] | 0x20)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  private static int hash(ByteBuf buf, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off; i < off + len; i++) {
      h = (h ^ (buf.getByte(i) | 0x20)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }
}
