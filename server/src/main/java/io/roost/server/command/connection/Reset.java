package io.roost.server.command.connection;

import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.net.Client;

/**
 * {@code RESET}: back to a fresh connection's state (RESP2, db 0, no name, replies on, monitor off,
 * READWRITE, no subscriptions, and unauthenticated when a password is set), keeping the client id.
 */
public final class Reset implements Command {
  @Override
  public void execute(Call call) {
    Client c = call.client();
    c.protocol = 2;
    call.reply().protocol(2);
    c.db = 0;
    c.name = "";
    c.replyMode = Client.ReplyMode.ON;
    c.noEvict = false;
    c.noTouch = false;
    c.readOnly = false;
    if (c.monitor) {
      c.monitor = false;
      call.server().monitors().remove(c);
    }
    if (c.subscriber() != null) {
      call.server().pubsub().unsubscribeAll(c.subscriber());
    }
    c.authenticated = call.server().settings().requirePass.isEmpty();
    call.reply().simple("RESET");
  }
}
