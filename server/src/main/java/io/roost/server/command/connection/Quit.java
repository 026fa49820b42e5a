package io.roost.server.command.connection;

import io.roost.server.command.Call;
import io.roost.server.command.Command;

/** {@code QUIT}: replies OK and closes the connection once the reply is written. */
public final class Quit implements Command {
  @Override
  public void execute(Call call) {
    call.reply().ok();
    call.client().closeAfterReply = true;
  }
}
