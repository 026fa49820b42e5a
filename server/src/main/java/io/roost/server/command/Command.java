package io.roost.server.command;

/**
 * A command's behaviour: reads the arguments of {@link Call}, acts, writes exactly one reply.
 * Arity, authentication and flags were checked before it runs. Stateless and shared by every event
 * loop; per-connection state lives in {@link Call}.
 */
@FunctionalInterface
public interface Command {
  void execute(Call call);
}
