package io.roost.server.command.keys;

import io.roost.server.command.CommandSpec;
import java.util.List;

/** Specs of the generic key commands: one line per command, spec and handler. */
public final class KeySpecs {
  private KeySpecs() {}

  public static List<CommandSpec> specs() {
    return List.of();
  }
}
