package io.roost.server.command;

import static io.roost.server.command.AclCategory.ADMIN;
import static io.roost.server.command.AclCategory.CONNECTION;
import static io.roost.server.command.AclCategory.DANGEROUS;
import static io.roost.server.command.AclCategory.FAST;
import static io.roost.server.command.AclCategory.KEYSPACE;
import static io.roost.server.command.AclCategory.READ;
import static io.roost.server.command.AclCategory.SLOW;
import static io.roost.server.command.AclCategory.WRITE;
import static io.roost.server.command.CommandSpec.command;
import static io.roost.server.command.Flag.ADMIN_FLAG;
import static io.roost.server.command.Flag.ALLOW_BUSY;
import static io.roost.server.command.Flag.LOADING;
import static io.roost.server.command.Flag.NOSCRIPT;
import static io.roost.server.command.Flag.NO_AUTH;
import static io.roost.server.command.Flag.NO_MULTI;
import static io.roost.server.command.Flag.SENTINEL;
import static io.roost.server.command.Flag.STALE;

import io.roost.server.command.cluster.ClusterCommands;
import io.roost.server.command.connection.Auth;
import io.roost.server.command.connection.ClientCommands;
import io.roost.server.command.connection.Echo;
import io.roost.server.command.connection.Hello;
import io.roost.server.command.connection.Ping;
import io.roost.server.command.connection.Quit;
import io.roost.server.command.connection.Reset;
import io.roost.server.command.connection.Select;
import io.roost.server.command.server.CommandCommands;
import io.roost.server.command.server.ConfigCommands;
import io.roost.server.command.server.DebugCommands;
import io.roost.server.command.server.Info;
import io.roost.server.command.server.KeyspaceCommands;
import io.roost.server.command.server.ServerCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * The command table: one line per command — its spec and its handler. Flags, arities, key positions
 * and ACL categories are Redis 7.4's.
 */
public final class Commands {
  private Commands() {}

  private static final Flag[] CONN = {NOSCRIPT, LOADING, STALE, Flag.FAST, NO_AUTH, ALLOW_BUSY};

  /** Specs of the connection and server commands. */
  static List<CommandSpec> serverCommands() {
    return List.of(
        command("ping", -1)
            .flags(Flag.FAST, SENTINEL)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc("1.0.0", "O(1)", "Returns the server's liveliness response.")
            .allowedWhenSubscribed()
            .handler(new Ping())
            .build(),
        command("echo", 2)
            .flags(Flag.FAST)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc("1.0.0", "O(1)", "Returns the given string.")
            .handler(new Echo())
            .build(),
        command("hello", -1)
            .flags(NOSCRIPT, LOADING, STALE, Flag.FAST, NO_AUTH, SENTINEL, ALLOW_BUSY)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc("6.0.0", "O(1)", "Handshakes with the Redis server.")
            .handler(new Hello())
            .build(),
        command("auth", -2)
            .flags(NOSCRIPT, LOADING, STALE, Flag.FAST, NO_AUTH, SENTINEL, ALLOW_BUSY)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc(
                "1.0.0",
                "O(N) where N is the number of passwords defined for the user",
                "Authenticates the connection.")
            .handler(new Auth())
            .build(),
        command("select", 2)
            .flags(LOADING, STALE, Flag.FAST)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc("1.0.0", "O(1)", "Changes the selected database.")
            .handler(new Select())
            .build(),
        command("quit", -1)
            .flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, Flag.FAST, NO_AUTH)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc("1.0.0", "O(1)", "Closes the connection.")
            .allowedWhenSubscribed()
            .handler(new Quit())
            .build(),
        command("reset", 1)
            .flags(CONN)
            .acl(FAST, CONNECTION)
            .group("connection")
            .doc("6.2.0", "O(1)", "Resets the connection.")
            .allowedWhenSubscribed()
            .handler(new Reset())
            .build(),
        command("client", -2)
            .acl(SLOW)
            .group("connection")
            .doc("2.4.0", "Depends on subcommand.", "A container for client connection commands.")
            .sub(
                command("id", 2)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("5.0.0", "O(1)", "Returns the unique client ID of the connection.")
                    .handler(ClientCommands::id),
                command("setname", 3)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("2.6.9", "O(1)", "Sets the connection name.")
                    .handler(ClientCommands::setName),
                command("getname", 2)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("2.6.9", "O(1)", "Returns the name of the connection.")
                    .handler(ClientCommands::getName),
                command("setinfo", 4)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("7.2.0", "O(1)", "Sets information specific to the client or connection.")
                    .handler(ClientCommands::setInfo),
                command("list", -2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS, CONNECTION)
                    .doc(
                        "2.4.0",
                        "O(N) where N is the number of client connections",
                        "Lists open connections.")
                    .handler(ClientCommands::list),
                command("info", 2)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("6.2.0", "O(1)", "Returns information about the connection.")
                    .handler(ClientCommands::info),
                command("kill", -3)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS, CONNECTION)
                    .doc(
                        "2.4.0",
                        "O(N) where N is the number of client connections",
                        "Terminates open connections.")
                    .handler(ClientCommands::kill),
                command("pause", -3)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS, CONNECTION)
                    .doc("3.0.0", "O(1)", "Suspends commands processing.")
                    .handler(ClientCommands::pause),
                command("unpause", 2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS, CONNECTION)
                    .doc(
                        "6.2.0",
                        "O(N) Where N is the number of paused clients",
                        "Resumes processing commands from paused clients.")
                    .handler(ClientCommands::unpause),
                command("reply", 3)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("3.2.0", "O(1)", "Instructs the server whether to reply to commands.")
                    .handler(ClientCommands::reply),
                command("no-evict", 3)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS, CONNECTION)
                    .doc("7.0.0", "O(1)", "Sets the client eviction mode of the connection.")
                    .handler(ClientCommands::noEvict),
                command("no-touch", 3)
                    .flags(NOSCRIPT, LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc(
                        "7.2.0",
                        "O(1)",
                        "Controls whether commands sent by the client affect the LRU/LFU of"
                            + " accessed keys.")
                    .handler(ClientCommands::noTouch),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("5.0.0", "O(1)", "Returns helpful text about the different subcommands.")
                    .handler(ClientCommands::help))
            .build(),
        command("info", -1)
            .flags(LOADING, STALE, SENTINEL)
            .acl(SLOW, DANGEROUS)
            .doc("1.0.0", "O(1)", "Returns information and statistics about the server.")
            .handler(new Info())
            .build(),
        command("config", -2)
            .acl(SLOW)
            .doc(
                "2.0.0", "Depends on subcommand.", "A container for server configuration commands.")
            .sub(
                command("get", -3)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc(
                        "2.0.0",
                        "O(N) when N is the number of configuration parameters provided",
                        "Returns the effective values of configuration parameters.")
                    .handler(ConfigCommands::get),
                command("set", -4)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc(
                        "2.0.0",
                        "O(N) when N is the number of configuration parameters provided",
                        "Sets configuration parameters in-flight.")
                    .handler(ConfigCommands::set),
                command("resetstat", 2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc("2.0.0", "O(1)", "Resets the server's statistics.")
                    .handler(ConfigCommands::resetStat),
                command("rewrite", 2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc("2.8.0", "O(1)", "Persists the effective configuration to file.")
                    .handler(ConfigCommands::rewrite),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc("5.0.0", "O(1)", "Returns helpful text about the different subcommands.")
                    .handler(ConfigCommands::help))
            .build(),
        command("time", 1)
            .flags(LOADING, STALE, Flag.FAST)
            .acl(FAST)
            .doc("2.6.0", "O(1)", "Returns the server time.")
            .handler(ServerCommands::time)
            .build(),
        command("shutdown", -1)
            .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE, NO_MULTI, SENTINEL, ALLOW_BUSY)
            .acl(ADMIN, SLOW, DANGEROUS)
            .doc(
                "1.0.0",
                "O(N) when saving, where N is the total number of keys in all databases"
                    + " when saving data, otherwise O(1)",
                "Synchronously saves the database(s) to disk" + " and shuts down the Redis server.")
            .handler(ServerCommands::shutdown)
            .build(),
        command("monitor", 1)
            .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
            .acl(ADMIN, SLOW, DANGEROUS)
            .doc("1.0.0", "O(1)", "Listens for all requests received by the server in real-time.")
            .handler(ServerCommands::monitor)
            .build(),
        command("slowlog", -2)
            .acl(SLOW)
            .doc("2.2.12", "Depends on subcommand.", "A container for slow log commands.")
            .sub(
                command("get", -2)
                    .flags(ADMIN_FLAG, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc(
                        "2.2.12",
                        "O(N) where N is the number of entries returned",
                        "Returns the slow log's entries.")
                    .handler(ServerCommands::slowlogGet),
                command("len", 2)
                    .flags(ADMIN_FLAG, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc("2.2.12", "O(1)", "Returns the number of entries in the slow log.")
                    .handler(ServerCommands::slowlogLen),
                command("reset", 2)
                    .flags(ADMIN_FLAG, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc(
                        "2.2.12",
                        "O(N) where N is the number of entries in the slowlog",
                        "Clears all entries from the slow log.")
                    .handler(ServerCommands::slowlogReset),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc("6.2.0", "O(1)", "Show helpful text about the different subcommands")
                    .handler(ServerCommands::slowlogHelp))
            .build(),
        command("command", -1)
            .flags(LOADING, STALE, SENTINEL)
            .acl(SLOW, CONNECTION)
            .doc(
                "2.8.13",
                "O(N) where N is the total number of Redis commands",
                "Returns detailed information about all commands.")
            .handler(CommandCommands::all)
            .sub(
                command("count", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("2.8.13", "O(1)", "Returns a count of commands.")
                    .handler(CommandCommands::count),
                command("info", -2)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc(
                        "2.8.13",
                        "O(N) where N is the number of commands to look up",
                        "Returns information about one, multiple or all commands.")
                    .handler(CommandCommands::info),
                command("docs", -2)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc(
                        "7.0.0",
                        "O(N) where N is the number of commands to look up",
                        "Returns documentary information about one, multiple or all commands.")
                    .handler(CommandCommands::docs),
                command("list", -2)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc(
                        "7.0.0",
                        "O(N) where N is the total number of Redis commands",
                        "Returns a list of command names.")
                    .handler(CommandCommands::list),
                command("getkeys", -3)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc(
                        "2.8.13",
                        "O(N) where N is the number of arguments to the command",
                        "Extracts the key names from an arbitrary command.")
                    .handler(CommandCommands::getKeys),
                command("getkeysandflags", -3)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc(
                        "7.0.0",
                        "O(N) where N is the number of arguments to the command",
                        "Extracts the key names and access flags for an arbitrary command.")
                    .handler(CommandCommands::getKeysAndFlags),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW, CONNECTION)
                    .doc("5.0.0", "O(1)", "Returns helpful text about the different subcommands.")
                    .handler(CommandCommands::help))
            .build(),
        command("dbsize", 1)
            .flags(Flag.READONLY, Flag.FAST)
            .acl(KEYSPACE, READ, FAST)
            .group("server")
            .doc("1.0.0", "O(1)", "Returns the number of keys in the database.")
            .handler(KeyspaceCommands::dbsize)
            .build(),
        command("flushdb", -1)
            .flags(Flag.WRITE)
            .acl(KEYSPACE, WRITE, SLOW, DANGEROUS)
            .group("server")
            .doc(
                "1.0.0",
                "O(N) where N is the number of keys in the selected database",
                "Remove all keys from the current database.")
            .handler(KeyspaceCommands::flushdb)
            .build(),
        command("flushall", -1)
            .flags(Flag.WRITE)
            .acl(KEYSPACE, WRITE, SLOW, DANGEROUS)
            .group("server")
            .doc(
                "1.0.0",
                "O(N) where N is the total number of keys in all databases",
                "Removes all keys from all databases.")
            .handler(KeyspaceCommands::flushall)
            .build(),
        command("swapdb", 3)
            .flags(Flag.WRITE, Flag.FAST)
            .acl(KEYSPACE, WRITE, FAST, DANGEROUS)
            .group("server")
            .doc(
                "4.0.0",
                "O(N) where N is the count of clients watching or blocking on keys"
                    + " from both databases.",
                "Swaps two Redis databases.")
            .handler(KeyspaceCommands::swapdb)
            .build(),
        command("debug", -2)
            .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
            .acl(ADMIN, SLOW, DANGEROUS)
            .doc("1.0.0", "Depends on subcommand.", "A container for debugging commands.")
            .sub(
                command("digest", 2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc("1.0.0", "O(N)", "Returns a digest of this node's copy of the data.")
                    .handler(DebugCommands::digest),
                command("digest-value", -2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc("1.0.0", "O(N)", "Returns a digest of each key's value on this node.")
                    .handler(DebugCommands::digestValue),
                command("digest-slots", 2)
                    .flags(ADMIN_FLAG, NOSCRIPT, LOADING, STALE)
                    .acl(ADMIN, SLOW, DANGEROUS)
                    .doc(
                        "1.0.0",
                        "O(N)",
                        "Roost: returns the digest of each cluster slot of this node's copy.")
                    .handler(DebugCommands::digestSlots))
            .build(),
        command("cluster", -2)
            .acl(SLOW)
            .group("cluster")
            .doc("3.0.0", "Depends on subcommand.", "A container for Redis Cluster commands.")
            .sub(
                command("info", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc("3.0.0", "O(1)", "Returns information about the state of a node.")
                    .handler(ClusterCommands::info),
                command("myid", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc("3.0.0", "O(1)", "Returns the ID of a node.")
                    .handler(ClusterCommands::myId),
                command("nodes", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc(
                        "3.0.0",
                        "O(N) where N is the total number of Cluster nodes",
                        "Returns the cluster configuration for a node.")
                    .handler(ClusterCommands::nodes),
                command("slots", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc(
                        "3.0.0",
                        "O(N) where N is the total number of Cluster nodes",
                        "Returns the mapping of cluster slots to nodes.")
                    .handler(ClusterCommands::slots),
                command("shards", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc(
                        "7.0.0",
                        "O(N) where N is the total number of cluster nodes",
                        "Returns the mapping of cluster slots to shards.")
                    .handler(ClusterCommands::shards),
                command("keyslot", 3)
                    .flags(STALE)
                    .acl(SLOW)
                    .doc(
                        "3.0.0",
                        "O(N) where N is the number of bytes in the key",
                        "Returns the hash slot for a key.")
                    .handler(ClusterCommands::keySlot),
                command("countkeysinslot", 3)
                    .flags(STALE)
                    .acl(SLOW)
                    .doc("3.0.0", "O(1)", "Returns the number of keys in a hash slot.")
                    .handler(ClusterCommands::countKeysInSlot),
                command("getkeysinslot", 4)
                    .flags(STALE)
                    .acl(SLOW)
                    .doc(
                        "3.0.0",
                        "O(N) where N is the number of requested keys",
                        "Returns the key names in a hash slot.")
                    .handler(ClusterCommands::getKeysInSlot))
            .build(),
        command("asking", 1)
            .flags(Flag.FAST)
            .acl(FAST, CONNECTION)
            .group("cluster")
            .doc("3.0.0", "O(1)", "Signals that a cluster client is following an -ASK redirect.")
            .handler(ClusterCommands::asking)
            .build(),
        command("readonly", 1)
            .flags(LOADING, STALE, Flag.FAST)
            .acl(FAST, CONNECTION)
            .group("cluster")
            .doc(
                "3.0.0",
                "O(1)",
                "Enables read-only queries for a connection to a Redis Cluster" + " replica node.")
            .handler(ClusterCommands::readOnly)
            .build(),
        command("readwrite", 1)
            .flags(LOADING, STALE, Flag.FAST)
            .acl(FAST, CONNECTION)
            .group("cluster")
            .doc(
                "3.0.0",
                "O(1)",
                "Enables read-write queries for a connection to a Redis Cluster" + " replica node.")
            .handler(ClusterCommands::readWrite)
            .build(),
        command("role", 1)
            .flags(NOSCRIPT, LOADING, STALE, Flag.FAST, SENTINEL)
            .acl(ADMIN, FAST, DANGEROUS)
            .group("server")
            .doc("2.8.12", "O(1)", "Returns the replication role.")
            .handler(ClusterCommands::role)
            .build(),
        command("wait", 3)
            .acl(SLOW, CONNECTION)
            .group("generic")
            .doc(
                "3.0.0",
                "O(1)",
                "Blocks until the asynchronous replication of all preceding"
                    + " write commands sent by the connection is completed.")
            .handler(ClusterCommands::waitReplicas)
            .build());
  }

  /** The full command table: each family lists its own specs. */
  public static CommandTable table() {
    List<CommandSpec> all = new ArrayList<>(serverCommands());
    all.addAll(io.roost.server.command.string.StringSpecs.specs());
    all.addAll(io.roost.server.command.keys.KeySpecs.specs());
    all.addAll(io.roost.server.command.hash.HashSpecs.specs());
    all.addAll(io.roost.server.command.pubsub.PubSubSpecs.specs());
    all.addAll(io.roost.server.command.cluster.InternalCommands.specs());
    return new CommandTable(all);
  }
}
