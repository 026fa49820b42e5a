package io.roost.server.command.pubsub;

import io.roost.protocol.RespWriter;
import io.roost.server.command.Call;
import io.roost.server.command.Help;
import io.roost.server.pubsub.PubSubHub;
import java.util.List;
import java.util.Locale;

/**
 * The {@code PUBSUB} introspection family: CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB,
 * HELP.
 */
public final class PubSubCommands {
  private PubSubCommands() {}

  /** {@code PUBSUB CHANNELS [pattern]}. */
  public static void channels(Call call) {
    if (call.argc() > 3) {
      syntax(call);
      return;
    }
    names(
        call.reply(), call.server().pubsub().channels(call.argc() == 3 ? call.argBytes(2) : null));
  }

  /** {@code PUBSUB SHARDCHANNELS [pattern]}. */
  public static void shardChannels(Call call) {
    if (call.argc() > 3) {
      syntax(call);
      return;
    }
    names(
        call.reply(),
        call.server().pubsub().shardChannels(call.argc() == 3 ? call.argBytes(2) : null));
  }

  /** {@code PUBSUB NUMSUB [channel ...]}: channel, count pairs (a flat array, as Redis). */
  public static void numSub(Call call) {
    numSub(call, false);
  }

  /** {@code PUBSUB SHARDNUMSUB [shardchannel ...]}. */
  public static void shardNumSub(Call call) {
    numSub(call, true);
  }

  /** {@code PUBSUB NUMPAT}. */
  public static void numPat(Call call) {
    call.reply().integer(call.server().pubsub().patternCount());
  }

  private static void numSub(Call call, boolean shard) {
    PubSubHub hub = call.server().pubsub();
    RespWriter r = call.reply();
    r.arrayHeader((call.argc() - 2) * 2L);
    for (int i = 2; i < call.argc(); i++) {
      byte[] channel = call.argBytes(i);
      r.bulk(channel);
      r.integer(shard ? hub.shardSubscriberCount(channel) : hub.subscriberCount(channel));
    }
  }

  private static void names(RespWriter r, List<byte[]> names) {
    r.arrayHeader(names.size());
    for (byte[] n : names) {
      r.bulk(n);
    }
  }

  /** Redis's addReplySubcommandSyntaxError. */
  private static void syntax(Call call) {
    call.reply()
        .error(
            "ERR unknown subcommand or wrong number of arguments for '"
                + truncate(call.argString(1))
                + "'. Try "
                + call.argString(0).toUpperCase(Locale.ROOT)
                + " HELP.");
  }

  private static String truncate(String s) {
    return s.length() <= 128 ? s : s.substring(0, 128);
  }

  public static void help(Call call) {
    Help.reply(
        call,
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Print this help.");
  }
}
