package io.roost.server.command.connection;

import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.command.Errors;
import io.roost.server.net.Client;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code AUTH [username] password}: the default user's password ({@code requirepass}). */
public final class Auth implements Command {
  @Override
  public void execute(Call call) {
    if (call.argc() > 3) {
      call.syntaxError();
      return;
    }
    String pass = call.server().settings().requirePass;
    if (call.argc() == 2 && pass.isEmpty()) {
      call.reply().error(Errors.AUTH_NOT_CONFIGURED);
      return;
    }
    byte[] user = call.argc() == 3 ? call.argBytes(1) : DEFAULT_USER;
    if (check(call.client(), pass, user, call.argBytes(call.argc() - 1))) {
      call.reply().ok();
    } else {
      call.reply().error(Errors.WRONGPASS);
    }
  }

  static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);

  /**
   * Authenticates {@code client} as {@code user} when the password matches; compares in constant
   * time. With no password configured the default user accepts any password (nopass).
   */
  static boolean check(Client client, String requirePass, byte[] user, byte[] password) {
    if (!MessageDigest.isEqual(user, DEFAULT_USER)) {
      return false;
    }
    boolean ok =
        requirePass.isEmpty()
            || MessageDigest.isEqual(requirePass.getBytes(StandardCharsets.UTF_8), password);
    if (ok) {
      client.authenticated = true;
    }
    return ok;
  }
}
