package io.roost.server.command.connection;

import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.command.Errors;

/** {@code SELECT index}. */
public final class Select implements Command {
  @Override
  public void execute(Call call) {
    long id = call.argLongOrReply(1);
    if (id == Long.MIN_VALUE) {
      return;
    }
    if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
      call.reply()
          .error(
              "ERR value is out of range, value must between "
                  + Integer.MIN_VALUE
                  + " and "
                  + Integer.MAX_VALUE);
      return;
    }
    if (id < 0 || id >= call.server().settings().databases) {
      call.reply().error(Errors.DB_OUT_OF_RANGE);
      return;
    }
    call.client().db = (int) id;
    call.reply().ok();
  }
}
