package io.roost.server.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A command's metadata as data: name, arity, flags, key positions, ACL categories, docs, and its
 * handler (or its subcommands when it is a container such as {@code CLIENT}). Immutable after the
 * table is built; {@code COMMAND} and its subcommands are generated from these.
 *
 * <p>Arity follows Redis: positive means exactly that many words including the name, negative means
 * at least that many.
 */
public final class CommandSpec {
  private final String name;
  private final String fullName;
  private final byte[] upperName;
  private final int arity;
  private final long flags;
  private final int firstKey;
  private final int lastKey;
  private final int keyStep;
  private final long aclCategories;
  private final String group;
  private final String summary;
  private final String since;
  private final String complexity;
  private final Command handler;
  private final boolean allowedWhenSubscribed;
  private final boolean notKey;
  private final List<CommandSpec> subcommands;
  private int id = -1;

  private CommandSpec(Builder b, String container) {
    this.name = b.name;
    this.fullName = container == null ? b.name : container + "|" + b.name;
    this.upperName = b.name.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    this.arity = b.arity;
    this.flags = b.flags;
    this.firstKey = b.firstKey;
    this.lastKey = b.lastKey;
    this.keyStep = b.keyStep;
    this.aclCategories = b.acl;
    this.group = b.group;
    this.summary = b.summary;
    this.since = b.since;
    this.complexity = b.complexity;
    this.handler = b.handler;
    this.allowedWhenSubscribed = b.allowedWhenSubscribed;
    this.notKey = b.notKey;
    List<CommandSpec> subs = new ArrayList<>();
    for (Builder sb : b.subcommands) {
      subs.add(new CommandSpec(sb.group(b.group), b.name));
    }
    this.subcommands = List.copyOf(subs);
    if (handler == null && subcommands.isEmpty()) {
      throw new IllegalArgumentException("command=" + fullName + " needs a handler or subcommands");
    }
  }

  /** Starts a spec; {@code name} is lower case. */
  public static Builder command(String name, int arity) {
    return new Builder(name, arity);
  }

  /** Lower-case name, e.g. {@code setname}. */
  public String name() {
    return name;
  }

  /** Name with container, e.g. {@code client|setname}, as Redis's error texts print it. */
  public String fullName() {
    return fullName;
  }

  /** Upper-case ASCII name for case-insensitive matching against request bytes. */
  public byte[] upperName() {
    return upperName;
  }

  public int arity() {
    return arity;
  }

  public boolean arityAccepts(int argc) {
    return arity >= 0 ? argc == arity : argc >= -arity;
  }

  public long flags() {
    return flags;
  }

  public boolean has(Flag f) {
    return (flags & f.bit()) != 0;
  }

  public int firstKey() {
    return firstKey;
  }

  public int lastKey() {
    return lastKey;
  }

  public int keyStep() {
    return keyStep;
  }

  public long aclCategories() {
    return aclCategories;
  }

  public String group() {
    return group;
  }

  public String summary() {
    return summary;
  }

  public String since() {
    return since;
  }

  public String complexity() {
    return complexity;
  }

  /**
   * True for the commands a RESP2 client may run while subscribed: the (un)subscribe family, PING,
   * QUIT and RESET.
   */
  public boolean allowedWhenSubscribed() {
    return allowedWhenSubscribed;
  }

  /**
   * True when the key positions name no keys but channels (SSUBSCRIBE, SPUBLISH): their key spec
   * carries Redis's {@code not_key} flag.
   */
  public boolean notKey() {
    return notKey;
  }

  /** The handler; for a container, what runs when no subcommand is given (may be null). */
  public Command handler() {
    return handler;
  }

  public List<CommandSpec> subcommands() {
    return subcommands;
  }

  public boolean container() {
    return !subcommands.isEmpty();
  }

  /** Dense index over every spec and subcommand spec of the table; used for statistics. */
  public int id() {
    return id;
  }

  void id(int id) {
    this.id = id;
  }

  /** Finds a subcommand by its bytes, ignoring ASCII case; null when none. */
  public CommandSpec subcommand(io.roost.protocol.CommandFrame frame, int arg) {
    for (CommandSpec s : subcommands) {
      if (frame.argEqualsIgnoreCase(arg, s.upperName)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return fullName;
  }

  /** Builds a {@link CommandSpec}. */
  public static final class Builder {
    private final String name;
    private final int arity;
    private long flags;
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private long acl;
    private String group = "server";
    private String summary = "";
    private String since = "1.0.0";
    private String complexity = "O(1)";
    private Command handler;
    private boolean allowedWhenSubscribed;
    private boolean notKey;
    private final List<Builder> subcommands = new ArrayList<>();

    private Builder(String name, int arity) {
      if (!name.equals(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("command=" + name + " must be lower case");
      }
      this.name = name;
      this.arity = arity;
    }

    public Builder flags(Flag... f) {
      flags = Flag.mask(f);
      return this;
    }

    /** Key positions: first, last (negative counts from the end), step. */
    public Builder keys(int first, int last, int step) {
      firstKey = first;
      lastKey = last;
      keyStep = step;
      return this;
    }

    public Builder acl(AclCategory... categories) {
      long m = 0;
      for (AclCategory c : categories) {
        m |= c.bit();
      }
      acl = m;
      return this;
    }

    public Builder group(String g) {
      group = g;
      return this;
    }

    public Builder doc(String since, String complexity, String summary) {
      this.since = since;
      this.complexity = complexity;
      this.summary = summary;
      return this;
    }

    /** May run in a RESP2 connection's subscribed context; see {@link #allowedWhenSubscribed()}. */
    public Builder allowedWhenSubscribed() {
      allowedWhenSubscribed = true;
      return this;
    }

    /** The key positions are channels, not keys; see {@link #notKey()}. */
    public Builder notKey() {
      notKey = true;
      return this;
    }

    public Builder handler(Command h) {
      handler = h;
      return this;
    }

    public Builder sub(Builder... subs) {
      subcommands.addAll(Arrays.asList(subs));
      return this;
    }

    public CommandSpec build() {
      return new CommandSpec(this, null);
    }
  }
}
