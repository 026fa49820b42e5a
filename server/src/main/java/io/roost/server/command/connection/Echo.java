package io.roost.server.command.connection;

import io.roost.protocol.CommandFrame;
import io.roost.server.command.Call;
import io.roost.server.command.Command;

/** {@code ECHO message}. */
public final class Echo implements Command {
  @Override
  public void execute(Call call) {
    CommandFrame f = call.frame();
    call.reply().bulk(f.buffer(), f.argOffset(1), f.argLength(1));
  }
}
