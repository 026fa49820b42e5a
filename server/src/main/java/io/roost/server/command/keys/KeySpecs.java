package io.roost.server.command.keys;

import static io.roost.server.command.AclCategory.DANGEROUS;
import static io.roost.server.command.AclCategory.FAST;
import static io.roost.server.command.AclCategory.KEYSPACE;
import static io.roost.server.command.AclCategory.READ;
import static io.roost.server.command.AclCategory.SLOW;
import static io.roost.server.command.AclCategory.WRITE;
import static io.roost.server.command.CommandSpec.command;
import static io.roost.server.command.Flag.DENYOOM;
import static io.roost.server.command.Flag.LOADING;
import static io.roost.server.command.Flag.READONLY;
import static io.roost.server.command.Flag.STALE;

import io.roost.server.command.CommandSpec;
import io.roost.server.command.Flag;
import java.util.List;

/**
 * Specs of the generic key commands: one line per command, spec and handler. Arity, flags, key
 * positions and ACL categories are Redis 7.4's ({@code src/commands/*.json}).
 */
public final class KeySpecs {
  private KeySpecs() {}

  private static final String GENERIC = "generic";

  public static List<CommandSpec> specs() {
    return List.of(
        command("del", -2)
            .flags(Flag.WRITE)
            .keys(1, -1, 1)
            .acl(KEYSPACE, WRITE, SLOW)
            .group(GENERIC)
            .doc(
                "1.0.0",
                "O(N) where N is the number of keys that will be removed. When a key to remove"
                    + " holds a value other than a string, the individual complexity for this key"
                    + " is O(M) where M is the number of elements in the list, set, sorted set or"
                    + " hash. Removing a single key that holds a string value is O(1).",
                "Deletes one or more keys.")
            .handler(KeyCommands::del)
            .build(),
        command("unlink", -2)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, -1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc(
                "4.0.0",
                "O(1) for each key removed regardless of its size. Then the command does O(N) work"
                    + " in a different thread in order to reclaim memory, where N is the number of"
                    + " allocations the deleted objects where composed of.",
                "Asynchronously deletes one or more keys.")
            .handler(KeyCommands::unlink)
            .build(),
        command("exists", -2)
            .flags(READONLY, Flag.FAST)
            .keys(1, -1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc(
                "1.0.0",
                "O(N) where N is the number of keys to check.",
                "Determines whether one or more keys exist.")
            .handler(KeyCommands::exists)
            .build(),
        command("type", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Determines the type of value stored at a key.")
            .handler(KeyCommands::type)
            .build(),
        command("touch", -2)
            .flags(READONLY, Flag.FAST)
            .keys(1, -1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc(
                "3.2.1",
                "O(N) where N is the number of keys that will be touched.",
                "Returns the number of existing keys out of those specified after updating the"
                    + " time they were last accessed.")
            .handler(KeyCommands::touch)
            .build(),
        command("expire", -3)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Sets the expiration time of a key in seconds.")
            .handler(ExpireCommands::expire)
            .build(),
        command("pexpire", -3)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc("2.6.0", "O(1)", "Sets the expiration time of a key in milliseconds.")
            .handler(ExpireCommands::pExpire)
            .build(),
        command("expireat", -3)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc("1.2.0", "O(1)", "Sets the expiration time of a key to a Unix timestamp.")
            .handler(ExpireCommands::expireAt)
            .build(),
        command("pexpireat", -3)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc(
                "2.6.0",
                "O(1)",
                "Sets the expiration time of a key to a Unix milliseconds timestamp.")
            .handler(ExpireCommands::pExpireAt)
            .build(),
        command("ttl", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Returns the expiration time in seconds of a key.")
            .handler(ExpireCommands::ttl)
            .build(),
        command("pttl", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc("2.6.0", "O(1)", "Returns the expiration time in milliseconds of a key.")
            .handler(ExpireCommands::pTtl)
            .build(),
        command("expiretime", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc("7.0.0", "O(1)", "Returns the expiration time of a key as a Unix timestamp.")
            .handler(ExpireCommands::expireTime)
            .build(),
        command("pexpiretime", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, READ, FAST)
            .group(GENERIC)
            .doc(
                "7.0.0",
                "O(1)",
                "Returns the expiration time of a key as a Unix milliseconds timestamp.")
            .handler(ExpireCommands::pExpireTime)
            .build(),
        command("persist", 2)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc("2.2.0", "O(1)", "Removes the expiration time of a key.")
            .handler(ExpireCommands::persist)
            .build(),
        command("rename", 3)
            .flags(Flag.WRITE)
            .keys(1, 2, 1)
            .acl(KEYSPACE, WRITE, SLOW)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Renames a key and overwrites the destination.")
            .handler(KeyCommands::rename)
            .build(),
        command("renamenx", 3)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 2, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Renames a key only when the target key name doesn't exist.")
            .handler(KeyCommands::renameNx)
            .build(),
        command("copy", -3)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, 2, 1)
            .acl(KEYSPACE, WRITE, SLOW)
            .group(GENERIC)
            .doc(
                "6.2.0",
                "O(N) worst case for collections, where N is the number of nested items. O(1) for"
                    + " string values.",
                "Copies the value of a key to a new key.")
            .handler(KeyCommands::copy)
            .build(),
        command("move", 3)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(KEYSPACE, WRITE, FAST)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Moves a key to another database.")
            .handler(KeyCommands::move)
            .build(),
        command("keys", 2)
            .flags(READONLY)
            .acl(KEYSPACE, READ, SLOW, DANGEROUS)
            .group(GENERIC)
            .doc(
                "1.0.0",
                "O(N) with N being the number of keys in the database, under the assumption that"
                    + " the key names in the database and the given pattern have limited length.",
                "Returns all key names that match a pattern.")
            .handler(ScanCommands::keys)
            .build(),
        command("scan", -2)
            .flags(READONLY)
            .acl(KEYSPACE, READ, SLOW)
            .group(GENERIC)
            .doc(
                "2.8.0",
                "O(1) for every call. O(N) for a complete iteration, including enough command"
                    + " calls for the cursor to return back to 0. N is the number of elements"
                    + " inside the collection.",
                "Iterates over the key names in the database.")
            .handler(ScanCommands::scan)
            .build(),
        command("randomkey", 1)
            .flags(READONLY)
            .acl(KEYSPACE, READ, SLOW)
            .group(GENERIC)
            .doc("1.0.0", "O(1)", "Returns a random key name from the database.")
            .handler(KeyCommands::randomKey)
            .build(),
        command("object", -2)
            .acl(SLOW)
            .group(GENERIC)
            .doc(
                "2.2.3", "Depends on subcommand.", "A container for object introspection commands.")
            .sub(
                command("encoding", 3)
                    .flags(READONLY)
                    .keys(2, 2, 1)
                    .acl(KEYSPACE, READ, SLOW)
                    .doc("2.2.3", "O(1)", "Returns the internal encoding of a Redis object.")
                    .handler(ObjectCommands::encoding),
                command("freq", 3)
                    .flags(READONLY)
                    .keys(2, 2, 1)
                    .acl(KEYSPACE, READ, SLOW)
                    .doc(
                        "4.0.0",
                        "O(1)",
                        "Returns the logarithmic access frequency counter of a Redis object.")
                    .handler(ObjectCommands::freq),
                command("idletime", 3)
                    .flags(READONLY)
                    .keys(2, 2, 1)
                    .acl(KEYSPACE, READ, SLOW)
                    .doc(
                        "2.2.3",
                        "O(1)",
                        "Returns the time since the last access to a Redis object.")
                    .handler(ObjectCommands::idleTime),
                command("refcount", 3)
                    .flags(READONLY)
                    .keys(2, 2, 1)
                    .acl(KEYSPACE, READ, SLOW)
                    .doc("2.2.3", "O(1)", "Returns the reference count of a value of a key.")
                    .handler(ObjectCommands::refCount),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(KEYSPACE, SLOW)
                    .doc("6.2.0", "O(1)", "Returns helpful text about the different subcommands.")
                    .handler(ObjectCommands::help))
            .build(),
        command("memory", -2)
            .acl(SLOW)
            .group("server")
            .doc("4.0.0", "Depends on subcommand.", "A container for memory diagnostics commands.")
            .sub(
                command("usage", -3)
                    .flags(READONLY)
                    .keys(2, 2, 1)
                    .acl(READ, SLOW)
                    .doc(
                        "4.0.0",
                        "O(N) where N is the number of samples.",
                        "Estimates the memory usage of a key.")
                    .handler(MemoryCommands::usage),
                command("stats", 2)
                    .acl(SLOW)
                    .doc("4.0.0", "O(1)", "Returns details about memory usage.")
                    .handler(MemoryCommands::stats),
                command("doctor", 2)
                    .acl(SLOW)
                    .doc("4.0.0", "O(1)", "Outputs a memory problems report.")
                    .handler(MemoryCommands::doctor),
                command("malloc-stats", 2)
                    .acl(SLOW)
                    .doc(
                        "4.0.0",
                        "Depends on how much memory is allocated, could be slow",
                        "Returns the allocator statistics.")
                    .handler(MemoryCommands::mallocStats),
                command("purge", 2)
                    .acl(SLOW)
                    .doc(
                        "4.0.0",
                        "Depends on how much memory is allocated, could be slow",
                        "Asks the allocator to release memory.")
                    .handler(MemoryCommands::purge),
                command("help", 2)
                    .flags(LOADING, STALE)
                    .acl(SLOW)
                    .doc("4.0.0", "O(1)", "Returns helpful text about the different subcommands.")
                    .handler(MemoryCommands::help))
            .build());
  }
}
