package io.roost.server.command.string;

import io.roost.server.command.CommandSpec;
import java.util.List;

/** Specs of the strings commands: one line per command, spec and handler. */
public final class StringSpecs {
  private StringSpecs() {}

  public static List<CommandSpec> specs() {
    return List.of();
  }
}
