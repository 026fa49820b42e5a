package io.roost.server.command.connection;

import io.roost.protocol.CommandFrame;
import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.command.Errors;
import java.nio.charset.StandardCharsets;

/** {@code PING [message]}. */
public final class Ping implements Command {
  private static final byte[] PONG = "PONG".getBytes(StandardCharsets.US_ASCII);

  @Override
  public void execute(Call call) {
    if (call.argc() > 2) {
      call.reply().error(Errors.arity(call.spec()));
    } else if (call.argc() == 2) {
      CommandFrame f = call.frame();
      call.reply().bulk(f.buffer(), f.argOffset(1), f.argLength(1));
    } else {
      call.reply().simple(PONG);
    }
  }
}
