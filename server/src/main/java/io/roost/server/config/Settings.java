package io.roost.server.config;

/**
 * The server's effective settings: written by start-up (defaults, config file, options) and by
 * {@code CONFIG SET} on any event loop, read everywhere.
 *
 * <p>Implementation notes: fields that {@code CONFIG SET} may change are volatile so every event
 * loop sees a change at its next read; the others are set once before the server starts. Every
 * field is reached by name through {@link Directives}, which holds the defaults, bounds and texts.
 */
public final class Settings {
  // Network
  public volatile int port;
  public volatile String[] bind;
  public volatile boolean protectedMode;
  public volatile int tcpBacklog;
  public volatile int tcpKeepaliveSeconds;
  public volatile int timeoutSeconds;
  public volatile int maxClients;
  public volatile int ioThreads;

  // Security
  public volatile String requirePass;

  // Keyspace
  public volatile int databases;
  public volatile int hz;
  public volatile long maxMemoryBytes;
  public volatile String maxMemoryPolicy;
  public volatile int maxMemorySamples;
  public volatile int lfuLogFactor;
  public volatile int lfuDecayTimeMinutes;
  public volatile int hashMaxListpackEntries;
  public volatile int hashMaxListpackValue;
  public volatile String notifyKeyspaceEvents;

  // Protocol limits
  public volatile long protoMaxBulkLen;
  public volatile long clientQueryBufferLimit;
  public volatile OutputBufferLimits clientOutputBufferLimit;

  // Observability
  public volatile String logLevel;
  public volatile String logFile;
  public volatile long slowlogLogSlowerThanMicros;
  public volatile int slowlogMaxLen;

  // Cluster
  public volatile boolean clusterEnabled;
  public volatile String clusterName;
  public volatile String clusterBind;
  public volatile int clusterPort;
  public volatile String clusterMembers;
  public volatile String clusterSecret;
  public volatile String clusterSecretFile;
  public volatile String clusterConfig;
  public volatile String owners;
  public volatile String replication;
  public volatile String clusterMode;
  public volatile boolean clusterRequireMajority;
  public volatile String clusterAnnounce;

  // Fixed answers for settings Roost does not implement but clients probe.
  public volatile String save;
  public volatile boolean appendOnly;
  public volatile boolean replicaReadOnly;

  /** The config file this process was started with, or the empty string. */
  public volatile String configFile = "";

  /** Returns settings holding every directive's default. */
  public static Settings defaults() {
    Settings s = new Settings();
    for (Directive d : Directives.ALL) {
      d.apply(s, d.defaultValue());
    }
    return s;
  }
}
