package io.roost.server.config;

import static io.roost.server.config.Directive.Kind.BOOL;
import static io.roost.server.config.Directive.Kind.ENUM;
import static io.roost.server.config.Directive.Kind.INT;
import static io.roost.server.config.Directive.Kind.LIST;
import static io.roost.server.config.Directive.Kind.LONG;
import static io.roost.server.config.Directive.Kind.MEMORY;
import static io.roost.server.config.Directive.Kind.STRING;

import io.roost.cluster.ClusterConfiguration;
import io.roost.server.pubsub.KeyspaceNotifier;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration directive Roost knows, with its default: the one table that the config file,
 * the command-line options, {@code CONFIG GET/SET} and {@code config/roost.conf} all follow.
 */
public final class Directives {
  private Directives() {}

  /** The policies of Redis's {@code maxmemory-policy}. */
  public static final String[] EVICTION_POLICIES = {
    "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
    "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"
  };

  public static final List<Directive> ALL =
      List.of(
          Directive.builder("port", INT, "6379")
              .range(0, 65535)
              .immutable()
              .describe("TCP port for clients; 0 picks a free port.")
              .field(s -> s.port, (s, v) -> s.port = v)
              .build(),
          Directive.builder("bind", LIST, "127.0.0.1")
              .immutable()
              .describe("Addresses to listen on, separated by spaces.")
              .field(s -> s.bind, (s, v) -> s.bind = v)
              .build(),
          Directive.builder("protected-mode", BOOL, "yes")
              .describe("Refuse clients from non-loopback addresses while no password is set.")
              .field(s -> s.protectedMode, (s, v) -> s.protectedMode = v)
              .build(),
          Directive.builder("tcp-backlog", INT, "511")
              .range(0, Integer.MAX_VALUE)
              .immutable()
              .describe("Listen backlog.")
              .field(s -> s.tcpBacklog, (s, v) -> s.tcpBacklog = v)
              .build(),
          Directive.builder("tcp-keepalive", INT, "300")
              .range(0, Integer.MAX_VALUE)
              .describe("TCP keepalive period in seconds for new connections; 0 disables it.")
              .field(s -> s.tcpKeepaliveSeconds, (s, v) -> s.tcpKeepaliveSeconds = v)
              .build(),
          Directive.builder("timeout", INT, "0")
              .range(0, Integer.MAX_VALUE)
              .describe("Close a client after this many idle seconds; 0 never does.")
              .field(s -> s.timeoutSeconds, (s, v) -> s.timeoutSeconds = v)
              .build(),
          Directive.builder("maxclients", INT, "10000")
              .range(1, Integer.MAX_VALUE)
              .describe("Maximum number of connected clients.")
              .field(s -> s.maxClients, (s, v) -> s.maxClients = v)
              .build(),
          Directive.builder("io-threads", INT, "0")
              .range(0, 128)
              .immutable()
              .describe("Event-loop threads; 0 means one per available core.")
              .field(s -> s.ioThreads, (s, v) -> s.ioThreads = v)
              .build(),
          Directive.builder("requirepass", STRING, "")
              .sensitive()
              .describe("Password of the default user; empty means no password.")
              .field(s -> s.requirePass, (s, v) -> s.requirePass = v)
              .build(),
          Directive.builder("databases", INT, "16")
              .range(1, Integer.MAX_VALUE)
              .immutable()
              .describe("Number of logical databases (SELECT 0..n-1).")
              .field(s -> s.databases, (s, v) -> s.databases = v)
              .build(),
          Directive.builder("hz", INT, "10")
              .range(1, 500)
              .describe("Background ticks per second (active expiry, eviction, timeouts).")
              .field(s -> s.hz, (s, v) -> s.hz = v)
              .build(),
          Directive.builder("maxmemory", MEMORY, "0")
              .range(0, Long.MAX_VALUE)
              .describe(
                  "Limit for data in bytes (k, kb, m, mb, g, gb accepted); 0 means a share of"
                      + " the direct-memory limit.")
              .field(s -> s.maxMemoryBytes, (s, v) -> s.maxMemoryBytes = v)
              .build(),
          Directive.builder("maxmemory-policy", ENUM, "noeviction")
              .choices(EVICTION_POLICIES)
              .describe("What to do when maxmemory is reached.")
              .field(s -> s.maxMemoryPolicy, (s, v) -> s.maxMemoryPolicy = v)
              .build(),
          Directive.builder("maxmemory-samples", INT, "5")
              .range(1, 64)
              .describe("Keys sampled per eviction.")
              .field(s -> s.maxMemorySamples, (s, v) -> s.maxMemorySamples = v)
              .build(),
          Directive.builder("lfu-log-factor", INT, "10")
              .range(0, Integer.MAX_VALUE)
              .describe("LFU counter logarithm factor.")
              .field(s -> s.lfuLogFactor, (s, v) -> s.lfuLogFactor = v)
              .build(),
          Directive.builder("lfu-decay-time", INT, "1")
              .range(0, Integer.MAX_VALUE)
              .describe("Minutes after which an LFU counter is halved.")
              .field(s -> s.lfuDecayTimeMinutes, (s, v) -> s.lfuDecayTimeMinutes = v)
              .build(),
          Directive.builder("hash-max-listpack-entries", INT, "128")
              .range(0, Integer.MAX_VALUE)
              .aliases("hash-max-ziplist-entries")
              .describe("Hashes with more fields use the indexed encoding.")
              .field(s -> s.hashMaxListpackEntries, (s, v) -> s.hashMaxListpackEntries = v)
              .build(),
          Directive.builder("hash-max-listpack-value", INT, "64")
              .range(0, Integer.MAX_VALUE)
              .aliases("hash-max-ziplist-value")
              .describe("Hashes with a longer field or value use the indexed encoding.")
              .field(s -> s.hashMaxListpackValue, (s, v) -> s.hashMaxListpackValue = v)
              .build(),
          Directive.builder("notify-keyspace-events", STRING, "")
              .describe("Keyspace notification classes, as Redis (for example KEA or Ex).")
              .check(v -> KeyspaceNotifier.parse(v) < 0 ? KeyspaceNotifier.INVALID : null)
              .field(
                  s -> s.notifyKeyspaceEvents,
                  (s, v) ->
                      s.notifyKeyspaceEvents = KeyspaceNotifier.format(KeyspaceNotifier.parse(v)))
              .build(),
          Directive.builder("client-output-buffer-limit", STRING, OutputBufferLimits.DEFAULT)
              .words()
              .describe(
                  "Per client class (normal, replica, pubsub): hard limit, soft limit and soft"
                      + " seconds of a client's pending output; a client over them is closed.")
              .check(Directives::checkOutputBufferLimits)
              .field(
                  s -> s.clientOutputBufferLimit.toString(),
                  (s, v) ->
                      s.clientOutputBufferLimit =
                          OutputBufferLimits.parse(s.clientOutputBufferLimit, v))
              .build(),
          Directive.builder("proto-max-bulk-len", MEMORY, "536870912")
              .range(1024 * 1024, Long.MAX_VALUE)
              .describe("Largest bulk string a client may send.")
              .field(s -> s.protoMaxBulkLen, (s, v) -> s.protoMaxBulkLen = v)
              .build(),
          Directive.builder("client-query-buffer-limit", MEMORY, "1073741824")
              .range(1024 * 1024, Long.MAX_VALUE)
              .describe("Largest unprocessed input a client may have buffered.")
              .field(s -> s.clientQueryBufferLimit, (s, v) -> s.clientQueryBufferLimit = v)
              .build(),
          Directive.builder("loglevel", ENUM, "notice")
              .choices("debug", "verbose", "notice", "warning", "nothing")
              .describe("Log verbosity.")
              .field(s -> s.logLevel, (s, v) -> s.logLevel = v)
              .build(),
          Directive.builder("logfile", STRING, "")
              .immutable()
              .describe("Log file; empty logs to standard output.")
              .field(s -> s.logFile, (s, v) -> s.logFile = v)
              .build(),
          Directive.builder("slowlog-log-slower-than", LONG, "10000")
              .range(-1, Long.MAX_VALUE)
              .describe("Log commands slower than this many microseconds; -1 disables.")
              .field(s -> s.slowlogLogSlowerThanMicros, (s, v) -> s.slowlogLogSlowerThanMicros = v)
              .build(),
          Directive.builder("slowlog-max-len", INT, "128")
              .range(0, Integer.MAX_VALUE)
              .describe("Entries kept in the slow log.")
              .field(s -> s.slowlogMaxLen, (s, v) -> s.slowlogMaxLen = v)
              .build(),
          Directive.builder("cluster-enabled", BOOL, "no")
              .immutable()
              .describe("Join other nodes over JGroups and share the keyspace with them.")
              .field(s -> s.clusterEnabled, (s, v) -> s.clusterEnabled = v)
              .build(),
          Directive.builder("cluster-name", STRING, "roost")
              .immutable()
              .check(v -> v.isBlank() ? "argument must not be empty" : null)
              .describe("Nodes with the same cluster name form one cluster.")
              .field(s -> s.clusterName, (s, v) -> s.clusterName = v)
              .build(),
          Directive.builder("cluster-bind", STRING, "127.0.0.1")
              .immutable()
              .describe("Address the peer (JGroups) transport binds.")
              .field(s -> s.clusterBind, (s, v) -> s.clusterBind = v)
              .build(),
          Directive.builder("cluster-port", INT, "7800")
              .range(1, 65535)
              .immutable()
              .describe("Port the peer (JGroups) transport binds.")
              .field(s -> s.clusterPort, (s, v) -> s.clusterPort = v)
              .build(),
          Directive.builder("cluster-members", STRING, "")
              .immutable()
              .check(Directives::checkMembers)
              .describe("Peer addresses to discover, host:port separated by commas.")
              .field(s -> s.clusterMembers, (s, v) -> s.clusterMembers = v)
              .build(),
          Directive.builder("cluster-secret", STRING, "")
              .immutable()
              .concealed()
              .check(Directives::checkClusterSecret)
              .describe(
                  "Shared secret that authenticates and encrypts peer traffic; empty means none."
                      + " Never logged nor shown by CONFIG GET.")
              .field(s -> s.clusterSecret, (s, v) -> s.clusterSecret = v)
              .build(),
          Directive.builder("cluster-secret-file", STRING, "")
              .immutable()
              .check(Directives::checkReadableFile)
              .describe("File holding cluster-secret (its first line), instead of the option.")
              .field(s -> s.clusterSecretFile, (s, v) -> s.clusterSecretFile = v)
              .build(),
          Directive.builder("cluster-config", STRING, "")
              .immutable()
              .check(Directives::checkReadableFile)
              .describe("JGroups XML stack replacing the built-in one; empty means built-in.")
              .field(s -> s.clusterConfig, (s, v) -> s.clusterConfig = v)
              .build(),
          Directive.builder("owners", STRING, "2")
              .immutable()
              .check(Directives::checkOwners)
              .describe("Copies of each key: a primary and owners-1 backups, or 'all'.")
              .field(s -> s.owners, (s, v) -> s.owners = v.toLowerCase(Locale.ROOT))
              .build(),
          Directive.builder("replication", ENUM, "sync")
              .choices("sync", "async")
              .immutable()
              .describe("sync: reply after every backup applied a write; async: reply at once.")
              .field(s -> s.replication, (s, v) -> s.replication = v)
              .build(),
          Directive.builder("cluster-mode", ENUM, "roost")
              .choices("roost", "redis")
              .immutable()
              .describe("roost: any node serves any key; redis: answer -MOVED like Redis Cluster.")
              .field(s -> s.clusterMode, (s, v) -> s.clusterMode = v)
              .build(),
          Directive.builder("cluster-require-majority", BOOL, "yes")
              .immutable()
              .describe("Refuse writes (-CLUSTERDOWN) while this node sees no majority.")
              .field(s -> s.clusterRequireMajority, (s, v) -> s.clusterRequireMajority = v)
              .build(),
          Directive.builder("cluster-announce", STRING, "")
              .immutable()
              .describe("host:port clients use to reach this node; empty means bind:port.")
              .field(s -> s.clusterAnnounce, (s, v) -> s.clusterAnnounce = v)
              .build(),
          Directive.builder("save", STRING, "")
              .describe("Snapshots are not implemented yet; only the empty value is accepted.")
              .field(s -> s.save, Directives::setSave)
              .build(),
          Directive.builder("appendonly", BOOL, "no")
              .describe("The append-only file is not implemented; only 'no' is accepted.")
              .field(s -> s.appendOnly, Directives::setAppendOnly)
              .build(),
          Directive.builder("replica-read-only", BOOL, "yes")
              .aliases("slave-read-only")
              .describe("Kept for clients that probe it; Roost nodes are never read-only replicas.")
              .field(s -> s.replicaReadOnly, (s, v) -> s.replicaReadOnly = v)
              .build());

  private static final Map<String, Directive> BY_NAME = index();

  private static Map<String, Directive> index() {
    Map<String, Directive> m = new LinkedHashMap<>();
    for (Directive d : ALL) {
      m.put(d.name(), d);
      for (String a : d.aliases()) {
        m.put(a, d);
      }
    }
    return Map.copyOf(m);
  }

  /** Finds a directive by name or alias, ignoring case; null when unknown. */
  public static Directive find(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  private static String checkOutputBufferLimits(String v) {
    try {
      OutputBufferLimits.parse(OutputBufferLimits.NONE, v);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String checkOwners(String v) {
    if (v.equalsIgnoreCase("all")) {
      return null;
    }
    try {
      return Integer.parseInt(v) >= 1 ? null : "argument must be a number of at least 1 or 'all'";
    } catch (NumberFormatException e) {
      return "argument must be a number of at least 1 or 'all'";
    }
  }

  private static String checkMembers(String v) {
    for (String m : v.split(",")) {
      String t = m.trim();
      if (t.isEmpty()) {
        continue;
      }
      int colon = t.lastIndexOf(':');
      try {
        int port = colon > 0 ? Integer.parseInt(t.substring(colon + 1)) : -1;
        if (port < 1 || port > 65535) {
          return "'" + t + "' is not host:port";
        }
      } catch (NumberFormatException e) {
        return "'" + t + "' is not host:port";
      }
    }
    return null;
  }

  /** Never names the value: the message may reach a log or a terminal. */
  private static String checkClusterSecret(String v) {
    if (v.isEmpty()
        || (v.length() >= ClusterConfiguration.SECRET_MIN_LENGTH
            && v.length() <= ClusterConfiguration.SECRET_MAX_LENGTH)) {
      return null;
    }
    return "argument must be empty or "
        + ClusterConfiguration.SECRET_MIN_LENGTH
        + ".."
        + ClusterConfiguration.SECRET_MAX_LENGTH
        + " characters long";
  }

  private static String checkReadableFile(String v) {
    if (v.isEmpty()) {
      return null;
    }
    try {
      Path path = Path.of(v);
      return Files.isRegularFile(path) && Files.isReadable(path)
          ? null
          : "'" + v + "' is not a readable file";
    } catch (InvalidPathException e) {
      return "'" + v + "' is not a file name";
    }
  }

  private static void setSave(Settings s, String v) {
    if (!v.isBlank()) {
      throw new IllegalArgumentException("snapshots are not supported; save must be empty");
    }
    s.save = "";
  }

  private static void setAppendOnly(Settings s, boolean v) {
    if (v) {
      throw new IllegalArgumentException("the append-only file is not supported");
    }
    s.appendOnly = false;
  }
}
