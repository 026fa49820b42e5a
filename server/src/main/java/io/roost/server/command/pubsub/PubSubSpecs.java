package io.roost.server.command.pubsub;

import static io.roost.server.command.AclCategory.FAST;
import static io.roost.server.command.AclCategory.PUBSUB;
import static io.roost.server.command.AclCategory.SLOW;
import static io.roost.server.command.CommandSpec.command;
import static io.roost.server.command.Flag.LOADING;
import static io.roost.server.command.Flag.MAY_REPLICATE;
import static io.roost.server.command.Flag.NOSCRIPT;
import static io.roost.server.command.Flag.SENTINEL;
import static io.roost.server.command.Flag.STALE;

import io.roost.server.command.CommandSpec;
import io.roost.server.command.Flag;
import java.util.List;

/** Specs of the pub/sub commands: flags, arities, key specs and ACL categories of Redis 7.4. */
public final class PubSubSpecs {
  private PubSubSpecs() {}

  public static List<CommandSpec> specs() {
    return List.of(
        command("subscribe", -2)
            .flags(Flag.PUBSUB, NOSCRIPT, LOADING, STALE)
            .acl(PUBSUB, SLOW)
            .group("pubsub")
            .doc(
                "2.0.0",
                "O(N) where N is the number of channels to subscribe to.",
                "Listens for messages published to channels.")
            .allowedWhenSubscribed()
            .handler(Subscriptions::subscribe)
            .build(),
        command("unsubscribe", -1)
            .flags(Flag.PUBSUB, NOSCRIPT, LOADING, STALE)
            .acl(PUBSUB, SLOW)
            .group("pubsub")
            .doc(
                "2.0.0",
                "O(N) where N is the number of channels to unsubscribe.",
                "Stops listening to messages posted to channels.")
            .allowedWhenSubscribed()
            .handler(Subscriptions::unsubscribe)
            .build(),
        command("psubscribe", -2)
            .flags(Flag.PUBSUB, NOSCRIPT, LOADING, STALE)
            .acl(PUBSUB, SLOW)
            .group("pubsub")
            .doc(
                "2.0.0",
                "O(N) where N is the number of patterns to subscribe to.",
                "Listens for messages published to channels that match one or more patterns.")
            .allowedWhenSubscribed()
            .handler(Subscriptions::psubscribe)
            .build(),
        command("punsubscribe", -1)
            .flags(Flag.PUBSUB, NOSCRIPT, LOADING, STALE)
            .acl(PUBSUB, SLOW)
            .group("pubsub")
            .doc(
                "2.0.0",
                "O(N) where N is the number of patterns to unsubscribe.",
                "Stops listening to messages published to channels that match one or more"
                    + " patterns.")
            .allowedWhenSubscribed()
            .handler(Subscriptions::punsubscribe)
            .build(),
        command("ssubscribe", -2)
            .flags(Flag.PUBSUB, NOSCRIPT, LOADING, STALE)
            .keys(1, -1, 1)
            .notKey()
            .acl(PUBSUB, SLOW)
            .group("pubsub")
            .doc(
                "7.0.0",
                "O(N) where N is the number of shard channels to subscribe to.",
                "Listens for messages published to shard channels.")
            .allowedWhenSubscribed()
            .handler(Subscriptions::ssubscribe)
            .build(),
        command("sunsubscribe", -1)
            .flags(Flag.PUBSUB, NOSCRIPT, LOADING, STALE)
            .keys(1, -1, 1)
            .notKey()
            .acl(PUBSUB, SLOW)
            .group("pubsub")
            .doc(
                "7.0.0",
                "O(N) where N is the number of shard channels to unsubscribe.",
                "Stops listening to messages posted to shard channels.")
            .allowedWhenSubscribed()
            .handler(Subscriptions::sunsubscribe)
            .build(),
        command("publish", 3)
            .flags(Flag.PUBSUB, LOADING, STALE, Flag.FAST, MAY_REPLICATE, SENTINEL)
            .acl(PUBSUB, FAST)
            .group("pubsub")
            .doc(
                "2.0.0",
                "O(N+M) where N is the number of clients subscribed to the receiving channel and M"
                    + " is the total number of subscribed patterns (by any client).",
                "Posts a message to a channel.")
            .handler(Publish::publish)
            .build(),
        command("spublish", 3)
            .flags(Flag.PUBSUB, LOADING, STALE, Flag.FAST, MAY_REPLICATE)
            .keys(1, 1, 1)
            .notKey()
            .acl(PUBSUB, FAST)
            .group("pubsub")
            .doc(
                "7.0.0",
                "O(N) where N is the number of clients subscribed to the receiving shard channel.",
                "Post a message to a shard channel")
            .handler(Publish::spublish)
            .build(),
        command("pubsub", -2)
            .acl(SLOW)
            .group("pubsub")
            .doc("2.8.0", "Depends on subcommand.", "A container for Pub/Sub commands.")
            .sub(
                command("channels", -2)
                    .flags(Flag.PUBSUB, LOADING, STALE)
                    .acl(PUBSUB, SLOW)
                    .doc(
                        "2.8.0",
                        "O(N) where N is the number of active channels, and assuming constant time"
                            + " pattern matching (relatively short channels and patterns)",
                        "Returns the active channels.")
                    .handler(PubSubCommands::channels),
                command("numpat", 2)
                    .flags(Flag.PUBSUB, LOADING, STALE)
                    .acl(PUBSUB, SLOW)
                    .doc("2.8.0", "O(1)", "Returns a count of unique pattern subscriptions.")
                    .handler(PubSubCommands::numPat),
                command("numsub", -2)
                    .flags(Flag.PUBSUB, LOADING, STALE)
                    .acl(PUBSUB, SLOW)
                    .doc(
                        "2.8.0",
                        "O(N) for the NUMSUB subcommand, where N is the number of requested"
                            + " channels",
                        "Returns a count of subscribers to channels.")
                    .handler(PubSubCommands::numSub),
                command("shardchannels", -2)
                    .flags(Flag.PUBSUB, LOADING, STALE)
                    .acl(PUBSUB, SLOW)
                    .doc(
                        "7.0.0",
                        "O(N) where N is the number of active shard channels, and assuming constant"
                            + " time pattern matching (relatively short shard channels).",
                        "Returns the active shard channels.")
                    .handler(PubSubCommands::shardChannels),
                command("shardnumsub", -2)
                    .flags(Flag.PUBSUB, LOADING, STALE)
                    .acl(PUBSUB, SLOW)
                    .doc(
                        "7.0.0",
                        "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested"
                            + " shard channels",
                        "Returns the count of subscribers of shard channels.")
                    .handler(PubSubCommands::shardNumSub),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc("6.2.0", "O(1)", "Returns helpful text about the different subcommands.")
                    .handler(PubSubCommands::help))
            .build());
  }
}
