package io.roost.server.command;

/** Redis's error texts, byte for byte (without the leading '-'). */
public final class Errors {
  private Errors() {}

  public static final String SYNTAX = "ERR syntax error";
  public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
  public static final String NOT_FLOAT = "ERR value is not a valid float";
  public static final String NOAUTH = "NOAUTH Authentication required.";
  public static final String WRONGPASS =
      "WRONGPASS invalid username-password pair or user is disabled.";
  public static final String AUTH_NOT_CONFIGURED =
      "ERR AUTH <password> called without any password configured for the default user. Are you"
          + " sure your configuration is correct?";
  public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
  public static final String NOPROTO = "NOPROTO unsupported protocol version";
  public static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
  public static final String NO_SUCH_KEY = "ERR no such key";
  public static final String CLUSTER_DISABLED = "ERR This instance has cluster support disabled";
  public static final String MAX_CLIENTS = "ERR max number of clients reached";

  /** {@code ERR wrong number of arguments for 'name' command}. */
  public static String arity(CommandSpec spec) {
    return "ERR wrong number of arguments for '" + spec.fullName() + "' command";
  }

  /** What a RESP2 client gets for a command it may not run while subscribed. */
  public static String subscribedContext(CommandSpec spec) {
    return "ERR Can't execute '"
        + spec.fullName()
        + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this"
        + " context";
  }

  /** {@code ERR unknown subcommand 'x'. Try NAME HELP.} */
  public static String unknownSubcommand(String sub, String container) {
    return "ERR unknown subcommand '"
        + truncate(sub, 128)
        + "'. Try "
        + container.toUpperCase(java.util.Locale.ROOT)
        + " HELP.";
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
