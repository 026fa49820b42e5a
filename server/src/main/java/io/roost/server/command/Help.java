package io.roost.server.command;

/** The reply of every {@code <CONTAINER> HELP} subcommand: an array of status lines. */
public final class Help {
  private Help() {}

  public static void reply(Call call, String... lines) {
    call.reply().arrayHeader(lines.length);
    for (String line : lines) {
      call.reply().simple(line);
    }
  }
}
