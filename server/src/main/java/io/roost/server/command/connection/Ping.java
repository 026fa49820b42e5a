package io.roost.server.command.connection;

import io.roost.protocol.CommandFrame;
import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.command.Errors;
import java.nio.charset.StandardCharsets;

/** {@code PING [message]}; {@code ["pong", message]} in a RESP2 subscribed context. */
public final class Ping implements Command {
  private static final byte[] PONG = "PONG".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PONG_LOWER = "pong".getBytes(StandardCharsets.US_ASCII);

  @Override
  public void execute(Call call) {
    if (call.argc() > 2) {
      call.reply().error(Errors.arity(call.spec()));
    } else if (call.client().protocol == 2 && call.client().subscribed()) {
      // Subscribed RESP2 connections read every reply as a push-like array.
      call.reply().arrayHeader(2);
      call.reply().bulk(PONG_LOWER);
      if (call.argc() == 2) {
        CommandFrame f = call.frame();
        call.reply().bulk(f.buffer(), f.argOffset(1), f.argLength(1));
      } else {
        call.reply().bulk(PONG_LOWER, 0, 0);
      }
    } else if (call.argc() == 2) {
      CommandFrame f = call.frame();
      call.reply().bulk(f.buffer(), f.argOffset(1), f.argLength(1));
    } else {
      call.reply().simple(PONG);
    }
  }
}
