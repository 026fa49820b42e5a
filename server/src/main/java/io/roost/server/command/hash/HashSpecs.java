package io.roost.server.command.hash;

import static io.roost.server.command.AclCategory.FAST;
import static io.roost.server.command.AclCategory.HASH;
import static io.roost.server.command.AclCategory.READ;
import static io.roost.server.command.AclCategory.SLOW;
import static io.roost.server.command.AclCategory.WRITE;
import static io.roost.server.command.CommandSpec.command;

import io.roost.server.command.CommandSpec;
import io.roost.server.command.Flag;
import java.util.List;

/**
 * Specs of the hashes commands: one line per command, spec and handler. Arity, flags, key positions
 * and ACL categories are Redis 7.4's ({@code src/commands/h*.json}); HGETDEL, HGETEX and HSETEX are
 * Redis 8.0's.
 */
public final class HashSpecs {
  private HashSpecs() {}

  private static final Flag[] WRITE_FAST = {Flag.WRITE, Flag.FAST};
  private static final Flag[] WRITE_GROW = {Flag.WRITE, Flag.DENYOOM, Flag.FAST};
  private static final Flag[] READ_FAST = {Flag.READONLY, Flag.FAST};
  private static final Flag[] READ_SLOW = {Flag.READONLY};

  private static final String PER_FIELD = "O(N) where N is the number of specified fields";

  public static List<CommandSpec> specs() {
    return List.of(
        command("hset", -4)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "2.0.0",
                "O(1) for each field/value pair added, so O(N) to add N field/value pairs"
                    + " when the command is called with multiple field/value pairs.",
                "Creates or modifies the value of a field in a hash.")
            .handler(HashWrites::hset)
            .build(),
        command("hsetnx", 4)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "2.0.0",
                "O(1)",
                "Sets the value of a field in a hash only when the field doesn't exist.")
            .handler(HashWrites::hsetnx)
            .build(),
        command("hmset", -4)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "2.0.0",
                "O(N) where N is the number of fields being set.",
                "Sets the values of multiple fields.")
            .handler(HashWrites::hmset)
            .build(),
        command("hget", 3)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc("2.0.0", "O(1)", "Returns the value of a field in a hash.")
            .handler(HashReads::hget)
            .build(),
        command("hmget", -3)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc(
                "2.0.0",
                "O(N) where N is the number of fields being requested.",
                "Returns the values of all fields in a hash.")
            .handler(HashReads::hmget)
            .build(),
        command("hgetall", 2)
            .flags(READ_SLOW)
            .keys(1, 1, 1)
            .acl(READ, HASH, SLOW)
            .group("hash")
            .doc(
                "2.0.0",
                "O(N) where N is the size of the hash.",
                "Returns all fields and values in a hash.")
            .handler(HashReads::hgetall)
            .build(),
        command("hkeys", 2)
            .flags(READ_SLOW)
            .keys(1, 1, 1)
            .acl(READ, HASH, SLOW)
            .group("hash")
            .doc("2.0.0", "O(N) where N is the size of the hash.", "Returns all fields in a hash.")
            .handler(HashReads::hkeys)
            .build(),
        command("hvals", 2)
            .flags(READ_SLOW)
            .keys(1, 1, 1)
            .acl(READ, HASH, SLOW)
            .group("hash")
            .doc("2.0.0", "O(N) where N is the size of the hash.", "Returns all values in a hash.")
            .handler(HashReads::hvals)
            .build(),
        command("hlen", 2)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc("2.0.0", "O(1)", "Returns the number of fields in a hash.")
            .handler(HashReads::hlen)
            .build(),
        command("hexists", 3)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc("2.0.0", "O(1)", "Determines whether a field exists in a hash.")
            .handler(HashReads::hexists)
            .build(),
        command("hstrlen", 3)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc("3.2.0", "O(1)", "Returns the length of the value of a field.")
            .handler(HashReads::hstrlen)
            .build(),
        command("hdel", -3)
            .flags(WRITE_FAST)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "2.0.0",
                "O(N) where N is the number of fields to be removed.",
                "Deletes one or more fields and their values from a hash."
                    + " Deletes the hash if no fields remain.")
            .handler(HashWrites::hdel)
            .build(),
        command("hincrby", 4)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "2.0.0",
                "O(1)",
                "Increments the integer value of a field in a hash by a number."
                    + " Uses 0 as initial value if the field doesn't exist.")
            .handler(HashWrites::hincrby)
            .build(),
        command("hincrbyfloat", 4)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "2.6.0",
                "O(1)",
                "Increments the floating point value of a field by a number."
                    + " Uses 0 as initial value if the field doesn't exist.")
            .handler(HashWrites::hincrbyfloat)
            .build(),
        command("hrandfield", -2)
            .flags(READ_SLOW)
            .keys(1, 1, 1)
            .acl(READ, HASH, SLOW)
            .group("hash")
            .doc(
                "6.2.0",
                "O(N) where N is the number of fields returned",
                "Returns one or more random fields from a hash.")
            .handler(HashRandField::hrandfield)
            .build(),
        command("hscan", -3)
            .flags(READ_SLOW)
            .keys(1, 1, 1)
            .acl(READ, HASH, SLOW)
            .group("hash")
            .doc(
                "2.8.0",
                "O(1) for every call. O(N) for a complete iteration, including enough"
                    + " command calls for the cursor to return back to 0. N is the number of"
                    + " elements inside the collection.",
                "Iterates over fields and values of a hash.")
            .handler(HashScan::hscan)
            .build(),
        command("hexpire", -6)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "7.4.0",
                PER_FIELD,
                "Set expiry for hash field using relative time to expire (seconds)")
            .handler(FieldTtl::hexpire)
            .build(),
        command("hpexpire", -6)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "7.4.0",
                PER_FIELD,
                "Set expiry for hash field using relative time to expire (milliseconds)")
            .handler(FieldTtl::hpexpire)
            .build(),
        command("hexpireat", -6)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "7.4.0",
                PER_FIELD,
                "Set expiry for hash field using an absolute Unix timestamp (seconds)")
            .handler(FieldTtl::hexpireat)
            .build(),
        command("hpexpireat", -6)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "7.4.0",
                PER_FIELD,
                "Set expiry for hash field using an absolute Unix timestamp (milliseconds)")
            .handler(FieldTtl::hpexpireat)
            .build(),
        command("httl", -5)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc("7.4.0", PER_FIELD, "Returns the TTL in seconds of a hash field.")
            .handler(FieldTtl::httl)
            .build(),
        command("hpttl", -5)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc("7.4.0", PER_FIELD, "Returns the TTL in milliseconds of a hash field.")
            .handler(FieldTtl::hpttl)
            .build(),
        command("hexpiretime", -5)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc(
                "7.4.0",
                PER_FIELD,
                "Returns the expiration time of a hash field as a Unix timestamp, in seconds.")
            .handler(FieldTtl::hexpiretime)
            .build(),
        command("hpexpiretime", -5)
            .flags(READ_FAST)
            .keys(1, 1, 1)
            .acl(READ, HASH, FAST)
            .group("hash")
            .doc(
                "7.4.0",
                PER_FIELD,
                "Returns the expiration time of a hash field as a Unix timestamp, in msec.")
            .handler(FieldTtl::hpexpiretime)
            .build(),
        command("hpersist", -5)
            .flags(WRITE_FAST)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc("7.4.0", PER_FIELD, "Removes the expiration time for each specified field")
            .handler(FieldTtl::hpersist)
            .build(),
        command("hgetdel", -5)
            .flags(WRITE_FAST)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc("8.0.0", PER_FIELD, "Returns the value of a field and deletes it from the hash.")
            .handler(HashGetEx::hgetdel)
            .build(),
        command("hgetex", -5)
            .flags(WRITE_FAST)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "8.0.0",
                PER_FIELD,
                "Get the value of one or more fields of a given hash key,"
                    + " and optionally set their expiration.")
            .handler(HashGetEx::hgetex)
            .build(),
        command("hsetex", -6)
            .flags(WRITE_GROW)
            .keys(1, 1, 1)
            .acl(WRITE, HASH, FAST)
            .group("hash")
            .doc(
                "8.0.0",
                "O(N) where N is the number of fields being set.",
                "Set the value of one or more fields of a given hash key,"
                    + " and optionally set their expiration.")
            .handler(HashSetEx::hsetex)
            .build());
  }
}
