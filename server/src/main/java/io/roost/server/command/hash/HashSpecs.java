package io.roost.server.command.hash;

import io.roost.server.command.CommandSpec;
import java.util.List;

/** Specs of the hashes commands: one line per command, spec and handler. */
public final class HashSpecs {
  private HashSpecs() {}

  public static List<CommandSpec> specs() {
    return List.of();
  }
}
