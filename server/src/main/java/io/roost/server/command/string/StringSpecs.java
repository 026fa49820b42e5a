package io.roost.server.command.string;

import static io.roost.server.command.AclCategory.FAST;
import static io.roost.server.command.AclCategory.READ;
import static io.roost.server.command.AclCategory.SLOW;
import static io.roost.server.command.AclCategory.STRING;
import static io.roost.server.command.AclCategory.WRITE;
import static io.roost.server.command.CommandSpec.command;
import static io.roost.server.command.Flag.DENYOOM;
import static io.roost.server.command.Flag.READONLY;

import io.roost.server.command.CommandSpec;
import io.roost.server.command.Flag;
import java.util.List;

/**
 * Specs of the strings commands: one line per command, spec and handler. Arity, flags, key
 * positions and ACL categories are Redis 7.4's ({@code src/commands/*.json}).
 */
public final class StringSpecs {
  private StringSpecs() {}

  private static final String STRING_GROUP = "string";
  private static final String RANGE_COMPLEXITY =
      "O(N) where N is the length of the returned string. The complexity is ultimately determined"
          + " by the returned length, but because creating a substring from an existing string is"
          + " very cheap, it can be considered O(1) for small strings.";

  public static List<CommandSpec> specs() {
    return List.of(
        command("get", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(READ, STRING, FAST)
            .group(STRING_GROUP)
            .doc("1.0.0", "O(1)", "Returns the string value of a key.")
            .handler(StringCommands::get)
            .build(),
        command("set", -3)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(1)",
                "Sets the string value of a key, ignoring its type. The key is created if it"
                    + " doesn't exist.")
            .handler(StringCommands::set)
            .build(),
        command("setnx", 3)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc("1.0.0", "O(1)", "Set the string value of a key only when the key doesn't exist.")
            .handler(StringCommands::setNx)
            .build(),
        command("setex", 4)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "2.0.0",
                "O(1)",
                "Sets the string value and expiration time of a key. Creates the key if it doesn't"
                    + " exist.")
            .handler(StringCommands::setEx)
            .build(),
        command("psetex", 4)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "2.6.0",
                "O(1)",
                "Sets both string value and expiration time in milliseconds of a key. The key is"
                    + " created if it doesn't exist.")
            .handler(StringCommands::pSetEx)
            .build(),
        command("getex", -2)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "6.2.0",
                "O(1)",
                "Returns the string value of a key after setting its expiration time.")
            .handler(StringCommands::getEx)
            .build(),
        command("getdel", 2)
            .flags(Flag.WRITE, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc("6.2.0", "O(1)", "Returns the string value of a key after deleting the key.")
            .handler(StringCommands::getDel)
            .build(),
        command("getset", 3)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(1)",
                "Returns the previous string value of a key after setting it to a new value.")
            .handler(StringCommands::getSet)
            .build(),
        command("mget", -2)
            .flags(READONLY, Flag.FAST)
            .keys(1, -1, 1)
            .acl(READ, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(N) where N is the number of keys to retrieve.",
                "Atomically returns the string values of one or more keys.")
            .handler(StringCommands::mget)
            .build(),
        command("mset", -3)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, -1, 2)
            .acl(WRITE, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "1.0.1",
                "O(N) where N is the number of keys to set.",
                "Atomically creates or modifies the string values of one or more keys.")
            .handler(StringCommands::mset)
            .build(),
        command("msetnx", -3)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, -1, 2)
            .acl(WRITE, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "1.0.1",
                "O(N) where N is the number of keys to set.",
                "Atomically modifies the string values of one or more keys only when all keys"
                    + " don't exist.")
            .handler(StringCommands::msetNx)
            .build(),
        command("append", 3)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "2.0.0",
                "O(1). The amortized time complexity is O(1) assuming the appended value is small"
                    + " and the already present value is of any size, since the dynamic string"
                    + " library used by Redis will double the free space available on every"
                    + " reallocation.",
                "Appends a string to the value of a key. Creates the key if it doesn't exist.")
            .handler(StringCommands::append)
            .build(),
        command("strlen", 2)
            .flags(READONLY, Flag.FAST)
            .keys(1, 1, 1)
            .acl(READ, STRING, FAST)
            .group(STRING_GROUP)
            .doc("2.2.0", "O(1)", "Returns the length of a string value.")
            .handler(StringCommands::strlen)
            .build(),
        command("getrange", 4)
            .flags(READONLY)
            .keys(1, 1, 1)
            .acl(READ, STRING, SLOW)
            .group(STRING_GROUP)
            .doc("2.4.0", RANGE_COMPLEXITY, "Returns a substring of the string stored at a key.")
            .handler(StringCommands::getRange)
            .build(),
        command("substr", 4)
            .flags(READONLY)
            .keys(1, 1, 1)
            .acl(READ, STRING, SLOW)
            .group(STRING_GROUP)
            .doc("1.0.0", RANGE_COMPLEXITY, "Returns a substring from a string value.")
            .handler(StringCommands::substr)
            .build(),
        command("setrange", 4)
            .flags(Flag.WRITE, DENYOOM)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "2.2.0",
                "O(1), not counting the time taken to copy the new string in place. Usually, this"
                    + " string is very small so the amortized complexity is O(1). Otherwise,"
                    + " complexity is O(M) with M being the length of the value argument.",
                "Overwrites a part of a string value with another by an offset. Creates the key if"
                    + " it doesn't exist.")
            .handler(StringCommands::setRange)
            .build(),
        command("incr", 2)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(1)",
                "Increments the integer value of a key by one. Uses 0 as initial value if the key"
                    + " doesn't exist.")
            .handler(StringCommands::incr)
            .build(),
        command("decr", 2)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(1)",
                "Decrements the integer value of a key by one. Uses 0 as initial value if the key"
                    + " doesn't exist.")
            .handler(StringCommands::decr)
            .build(),
        command("incrby", 3)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(1)",
                "Increments the integer value of a key by a number. Uses 0 as initial value if the"
                    + " key doesn't exist.")
            .handler(StringCommands::incrBy)
            .build(),
        command("decrby", 3)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "1.0.0",
                "O(1)",
                "Decrements a number from the integer value of a key. Uses 0 as initial value if"
                    + " the key doesn't exist.")
            .handler(StringCommands::decrBy)
            .build(),
        command("incrbyfloat", 3)
            .flags(Flag.WRITE, DENYOOM, Flag.FAST)
            .keys(1, 1, 1)
            .acl(WRITE, STRING, FAST)
            .group(STRING_GROUP)
            .doc(
                "2.6.0",
                "O(1)",
                "Increment the floating point value of a key by a number. Uses 0 as initial value"
                    + " if the key doesn't exist.")
            .handler(StringCommands::incrByFloat)
            .build(),
        command("lcs", -3)
            .flags(READONLY)
            .keys(1, 2, 1)
            .acl(READ, STRING, SLOW)
            .group(STRING_GROUP)
            .doc(
                "7.0.0",
                "O(N*M) where N and M are the lengths of s1 and s2, respectively",
                "Finds the longest common substring.")
            .handler(Lcs::lcs)
            .build());
  }
}
