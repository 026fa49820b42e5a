package io.roost.server;

import io.roost.cluster.ClusterNode;
import io.roost.cluster.CommandExecutor;
import io.roost.server.command.CommandTable;
import io.roost.server.config.Directive;
import io.roost.server.config.Settings;
import io.roost.server.net.Client;
import io.roost.server.pubsub.KeyspaceNotifier;
import io.roost.server.pubsub.PubSubHub;
import io.roost.store.EvictionPolicy;
import io.roost.store.Store;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The services every command may reach: settings, command table, statistics, slow log, connected
 * clients, monitors, pub/sub and the keyspace. Shared by every event loop; each member documents
 * its own thread-safety.
 */
public final class Server {
  private final Settings settings;
  private final CommandTable commands;
  private final Stats stats;
  private final SlowLog slowLog = new SlowLog();
  private final Map<Long, Client> clients = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Client> monitors = new CopyOnWriteArrayList<>();
  private final AtomicLong nextClientId = new AtomicLong(1);
  private final String runId;
  private final long startMs;
  private final Store store;
  private final PubSubHub pubsub;
  private final KeyspaceNotifier notifier;
  private volatile ClusterNode cluster;
  private volatile CommandExecutor executor;
  private volatile Runnable shutdownAction = () -> {};
  private volatile long pauseUntilMs;
  private volatile boolean pauseWritesOnly;
  private volatile int boundPort;

  public Server(
      Settings settings,
      CommandTable commands,
      Store store,
      PubSubHub pubsub,
      KeyspaceNotifier notifier) {
    this.settings = settings;
    this.store = store;
    this.pubsub = pubsub;
    this.notifier = notifier;
    this.commands = commands;
    this.stats = new Stats(commands.all().size());
    byte[] id = new byte[20];
    new SecureRandom().nextBytes(id);
    this.runId = HexFormat.of().formatHex(id);
    this.startMs = System.currentTimeMillis();
  }

  public Settings settings() {
    return settings;
  }

  public CommandTable commands() {
    return commands;
  }

  /** The keyspace: every database. */
  public Store store() {
    return store;
  }

  /** This node's pub/sub: subscriptions and delivery (see {@link PubSubHub} for the seam). */
  public PubSubHub pubsub() {
    return pubsub;
  }

  /** Publishes the store's keyspace events as notify-keyspace-events allows. */
  public KeyspaceNotifier keyspaceNotifier() {
    return notifier;
  }

  /** This node's cluster membership, or null when clustering is off. */
  public ClusterNode cluster() {
    return cluster;
  }

  /** Runs commands on behalf of other nodes (and of split multi-key commands). */
  public CommandExecutor executor() {
    return executor;
  }

  void cluster(ClusterNode node, CommandExecutor executor) {
    this.cluster = node;
    this.executor = executor;
  }

  public Stats stats() {
    return stats;
  }

  public SlowLog slowLog() {
    return slowLog;
  }

  /** Connected clients by id; safe from any thread. */
  public Map<Long, Client> clients() {
    return clients;
  }

  public CopyOnWriteArrayList<Client> monitors() {
    return monitors;
  }

  public long nextClientId() {
    return nextClientId.getAndIncrement();
  }

  public String runId() {
    return runId;
  }

  public long startMs() {
    return startMs;
  }

  public int boundPort() {
    return boundPort;
  }

  void boundPort(int port) {
    boundPort = port;
  }

  /** Pauses clients until {@code untilMs}: all commands, or only writes. */
  public void pause(long untilMs, boolean writesOnly) {
    // A stronger pause is never weakened by a later one, as Redis does.
    if (pauseUntilMs > System.currentTimeMillis() && !pauseWritesOnly && writesOnly) {
      pauseUntilMs = Math.max(pauseUntilMs, untilMs);
      return;
    }
    pauseWritesOnly = writesOnly;
    pauseUntilMs = Math.max(untilMs, pauseUntilMs > System.currentTimeMillis() ? pauseUntilMs : 0);
  }

  public void unpause() {
    pauseUntilMs = 0;
  }

  /** True when a command with write semantics ({@code write}) must wait now. */
  public boolean paused(boolean write, long nowMs) {
    long until = pauseUntilMs;
    return until != 0 && nowMs < until && (write || !pauseWritesOnly);
  }

  public long pauseUntilMs() {
    return pauseUntilMs;
  }

  /** Applies the side effects of a directive that CONFIG SET just changed. */
  public void configChanged(Directive directive) {
    switch (directive.name()) {
      case "loglevel" -> Logging.level(settings.logLevel);
      case "notify-keyspace-events" ->
          notifier.classes(KeyspaceNotifier.parse(settings.notifyKeyspaceEvents));
      case "maxmemory" -> store.maxMemoryBytes(Stores.maxMemoryBytes(settings));
      case "maxmemory-policy" ->
          store.evictionPolicy(EvictionPolicy.ofName(settings.maxMemoryPolicy));
      case "maxmemory-samples" -> store.maxMemorySamples(settings.maxMemorySamples);
      case "lfu-log-factor" -> store.lfuLogFactor(settings.lfuLogFactor);
      case "lfu-decay-time" -> store.lfuDecayTimeMinutes(settings.lfuDecayTimeMinutes);
      case "hash-max-listpack-entries" ->
          store.hashMaxListpackEntries(settings.hashMaxListpackEntries);
      case "hash-max-listpack-value" -> store.hashMaxListpackValue(settings.hashMaxListpackValue);
      default -> {}
    }
  }

  /** What SHUTDOWN does: set by whoever runs the server (the process exits, a test stops it). */
  public void shutdownAction(Runnable action) {
    shutdownAction = action;
  }

  public void shutdown() {
    shutdownAction.run();
  }
}
