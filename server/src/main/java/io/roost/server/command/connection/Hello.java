package io.roost.server.command.connection;

import io.roost.protocol.RespWriter;
import io.roost.server.Version;
import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.command.Errors;
import io.roost.server.net.Client;
import java.nio.charset.StandardCharsets;

/** {@code HELLO [protover [AUTH username password] [SETNAME clientname]]}. */
public final class Hello implements Command {
  private static final byte[] AUTH = "AUTH".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SETNAME = "SETNAME".getBytes(StandardCharsets.US_ASCII);

  @Override
  public void execute(Call call) {
    Client client = call.client();
    int version = client.protocol;
    if (call.argc() >= 2) {
      long v = call.argLong(1, Long.MIN_VALUE);
      if (v == Long.MIN_VALUE) {
        call.reply().error("ERR Protocol version is not an integer or out of range");
        return;
      }
      if (v < 2 || v > 3) {
        call.reply().error(Errors.NOPROTO);
        return;
      }
      version = (int) v;
    }
    byte[] user = null;
    byte[] pass = null;
    String name = null;
    for (int j = 2; j < call.argc(); j++) {
      int more = call.argc() - j - 1;
      if (call.argIs(j, AUTH) && more >= 2) {
        user = call.argBytes(j + 1);
        pass = call.argBytes(j + 2);
        j += 2;
      } else if (call.argIs(j, SETNAME) && more >= 1) {
        name = call.argString(j + 1);
        if (!ClientCommands.validName(name)) {
          call.reply().error(ClientCommands.BAD_NAME);
          return;
        }
        j++;
      } else {
        call.reply().error("ERR Syntax error in HELLO option '" + call.argString(j) + "'");
        return;
      }
    }
    if (!client.authenticated && user == null) {
      call.reply()
          .error(
              "NOAUTH HELLO must be called with the client already authenticated, otherwise the"
                  + " HELLO <proto> AUTH <user> <pass> option can be used to authenticate the"
                  + " client and select the RESP protocol version at the same time");
      return;
    }
    if (user != null && !Auth.check(client, call.server().settings().requirePass, user, pass)) {
      call.reply().error(Errors.WRONGPASS);
      return;
    }
    if (name != null) {
      client.name = name;
    }
    client.protocol = version;
    RespWriter r = call.reply();
    r.protocol(version);
    r.mapHeader(7);
    r.bulk("server");
    r.bulk("redis");
    r.bulk("version");
    r.bulk(Version.REDIS_COMPAT);
    r.bulk("proto");
    r.integer(version);
    r.bulk("id");
    r.integer(client.id());
    r.bulk("mode");
    r.bulk("standalone");
    r.bulk("role");
    r.bulk("master");
    r.bulk("modules");
    r.arrayHeader(0);
  }
}
