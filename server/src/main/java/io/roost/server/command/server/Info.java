package io.roost.server.command.server;

import io.roost.cluster.ClusterNode;
import io.roost.cluster.ClusterStats;
import io.roost.cluster.ClusterView;
import io.roost.server.Server;
import io.roost.server.Stats;
import io.roost.server.Version;
import io.roost.server.command.Call;
import io.roost.server.command.Command;
import io.roost.server.command.CommandSpec;
import io.roost.server.command.cluster.ClusterKeyspace;
import io.roost.server.config.Settings;
import io.roost.store.StoreStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code INFO [section ...]}: the sections and field names of Redis 7.4, with Roost's figures. Cold
 * path: builds text with a StringBuilder.
 */
public final class Info implements Command {
  /** Every section, in the order Redis prints them. */
  private static final List<String> SECTIONS =
      List.of(
          "server",
          "clients",
          "memory",
          "persistence",
          "stats",
          "replication",
          "cpu",
          "modules",
          "commandstats",
          "errorstats",
          "latencystats",
          "cluster",
          "keyspace");

  static final List<String> EXTRA_SECTIONS = List.of("commandstats", "latencystats");

  /** What INFO and INFO default print: every section but the extra ones. */
  static final List<String> DEFAULT_SECTIONS =
      SECTIONS.stream().filter(s -> !EXTRA_SECTIONS.contains(s)).toList();

  @Override
  public void execute(Call call) {
    Set<String> sections = new LinkedHashSet<>();
    if (call.argc() == 1) {
      sections.addAll(DEFAULT_SECTIONS);
    }
    for (int i = 1; i < call.argc(); i++) {
      String s = call.argString(i).toLowerCase(Locale.ROOT);
      switch (s) {
        case "default" -> sections.addAll(DEFAULT_SECTIONS);
        case "all", "everything" -> {
          // "all" leaves out only sections that modules generate, and Roost has none.
          sections.addAll(DEFAULT_SECTIONS);
          sections.addAll(EXTRA_SECTIONS);
        }
        default -> sections.add(s);
      }
    }
    if (sections.contains("keyspace") && ClusterKeyspace.active(call)) {
      // The other sections describe this node; the keyspace is the whole cluster's, and last.
      sections.remove("keyspace");
      ClusterKeyspace.info(call, render(call.server(), sections));
      return;
    }
    String text = render(call.server(), sections);
    call.reply().verbatim("txt", text.getBytes(StandardCharsets.UTF_8));
  }

  /** The INFO text of {@code sections}, in the order Redis prints them. */
  public static String render(Server server, Set<String> sections) {
    StringBuilder sb = new StringBuilder(4096);
    for (String s : SECTIONS) {
      if (!sections.contains(s)) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append("\r\n");
      }
      switch (s) {
        case "server" -> server(server, sb);
        case "clients" -> clients(server, sb);
        case "memory" -> memory(server, sb);
        case "persistence" -> persistence(server, sb);
        case "stats" -> stats(server, sb);
        case "replication" -> replication(server, sb);
        case "cpu" -> cpu(sb);
        case "modules" -> sb.append("# Modules\r\n");
        case "commandstats" -> commandStats(server, sb);
        case "errorstats" -> errorStats(server, sb);
        case "latencystats" -> sb.append("# Latencystats\r\n");
        case "cluster" -> cluster(server, sb);
        case "keyspace" -> keyspace(server, sb);
        default -> {}
      }
    }
    return sb.toString();
  }

  private static void field(StringBuilder sb, String name, Object value) {
    sb.append(name).append(':').append(value).append("\r\n");
  }

  private static void server(Server server, StringBuilder sb) {
    Settings s = server.settings();
    long now = System.currentTimeMillis();
    long uptime = (now - server.startMs()) / 1000;
    sb.append("# Server\r\n");
    field(sb, "redis_version", Version.REDIS_COMPAT);
    field(sb, "redis_git_sha1", "00000000");
    field(sb, "redis_git_dirty", 0);
    field(sb, "redis_build_id", "0");
    field(sb, "redis_mode", "standalone");
    field(
        sb,
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    field(sb, "arch_bits", 64);
    field(sb, "monotonic_clock", "POSIX clock_gettime");
    field(sb, "multiplexing_api", io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
    field(sb, "atomicvar_api", "java");
    field(sb, "gcc_version", "0.0.0");
    field(sb, "process_id", ProcessHandle.current().pid());
    field(sb, "process_supervised", "no");
    field(sb, "run_id", server.runId());
    field(sb, "tcp_port", server.boundPort());
    field(sb, "server_time_usec", now * 1000);
    field(sb, "uptime_in_seconds", uptime);
    field(sb, "uptime_in_days", uptime / 86400);
    field(sb, "hz", s.hz);
    field(sb, "configured_hz", s.hz);
    field(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
    field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
    field(sb, "config_file", s.configFile);
    field(sb, "io_threads_active", 0);
    for (int i = 0; i < s.bind.length; i++) {
      field(sb, "listener" + i, "name=tcp,bind=" + s.bind[i] + ",port=" + server.boundPort());
    }
    field(sb, "roost_version", Version.ROOST);
    field(sb, "java_version", Runtime.version());
  }

  private static void clients(Server server, StringBuilder sb) {
    sb.append("# Clients\r\n");
    field(sb, "connected_clients", server.clients().size());
    field(sb, "cluster_connections", 0);
    field(sb, "maxclients", server.settings().maxClients);
    field(sb, "client_recent_max_input_buffer", 0);
    field(sb, "client_recent_max_output_buffer", 0);
    field(sb, "blocked_clients", 0);
    field(sb, "tracking_clients", 0);
    field(sb, "pubsub_clients", pubsubClients(server));
    field(sb, "watching_clients", 0);
    field(sb, "clients_in_timeout_table", 0);
    field(sb, "total_watched_keys", 0);
    field(sb, "total_blocking_keys", 0);
    field(sb, "total_blocking_keys_on_nokey", 0);
  }

  private static void memory(Server server, StringBuilder sb) {
    Runtime rt = Runtime.getRuntime();
    long heapUsed = rt.totalMemory() - rt.freeMemory();
    StoreStats st = server.store().stats();
    long used = st.usedMemoryBytes();
    long rss = rss();
    Settings s = server.settings();
    sb.append("# Memory\r\n");
    field(sb, "used_memory", used);
    field(sb, "used_memory_human", human(used));
    field(sb, "used_memory_rss", rss);
    field(sb, "used_memory_rss_human", human(rss));
    field(sb, "used_memory_peak", used);
    field(sb, "used_memory_peak_human", human(used));
    field(sb, "used_memory_dataset", used);
    field(sb, "allocator_allocated", st.allocatedMemoryBytes());
    field(sb, "total_system_memory", totalSystemMemory());
    field(sb, "total_system_memory_human", human(totalSystemMemory()));
    field(sb, "maxmemory", st.maxMemoryBytes());
    field(sb, "maxmemory_human", human(st.maxMemoryBytes()));
    field(sb, "maxmemory_policy", s.maxMemoryPolicy);
    field(
        sb, "mem_fragmentation_ratio", String.format(Locale.ROOT, "%.2f", st.fragmentationRatio()));
    field(sb, "mem_fragmentation_bytes", st.allocatedMemoryBytes() - used);
    field(sb, "mem_allocator", "roost-slab");
    field(sb, "jvm_heap_used", heapUsed);
    field(sb, "jvm_heap_max", rt.maxMemory());
  }

  private static void persistence(Server server, StringBuilder sb) {
    sb.append("# Persistence\r\n");
    field(sb, "loading", 0);
    field(sb, "async_loading", 0);
    field(sb, "current_cow_peak", 0);
    field(sb, "current_cow_size", 0);
    field(sb, "current_cow_size_age", 0);
    field(sb, "current_fork_perc", "0.00");
    field(sb, "current_save_keys_processed", 0);
    field(sb, "current_save_keys_total", 0);
    field(sb, "rdb_changes_since_last_save", 0);
    field(sb, "rdb_bgsave_in_progress", 0);
    field(sb, "rdb_last_save_time", server.startMs() / 1000);
    field(sb, "rdb_last_bgsave_status", "ok");
    field(sb, "rdb_last_bgsave_time_sec", -1);
    field(sb, "rdb_current_bgsave_time_sec", -1);
    field(sb, "aof_enabled", 0);
    field(sb, "aof_rewrite_in_progress", 0);
    field(sb, "aof_rewrite_scheduled", 0);
    field(sb, "aof_last_rewrite_time_sec", -1);
    field(sb, "aof_current_rewrite_time_sec", -1);
    field(sb, "aof_last_bgrewrite_status", "ok");
    field(sb, "aof_last_write_status", "ok");
  }

  private static void stats(Server server, StringBuilder sb) {
    Stats st = server.stats();
    StoreStats store = server.store().stats();
    long errors = 0;
    for (LongAdder a : st.errors.values()) {
      errors += a.sum();
    }
    sb.append("# Stats\r\n");
    field(sb, "total_connections_received", st.connectionsReceived.sum());
    field(sb, "total_commands_processed", st.sum(x -> x.commands));
    field(sb, "instantaneous_ops_per_sec", 0);
    field(sb, "total_net_input_bytes", st.sum(x -> x.inputBytes));
    field(sb, "total_net_output_bytes", st.sum(x -> x.outputBytes));
    field(sb, "rejected_connections", st.rejectedConnections.sum());
    field(sb, "expired_keys", store.expiredKeys());
    field(sb, "expired_subkeys", store.expiredHashFields());
    field(sb, "evicted_keys", store.evictedKeys());
    field(sb, "keyspace_hits", store.keyspaceHits());
    field(sb, "keyspace_misses", store.keyspaceMisses());
    field(sb, "pubsub_channels", server.pubsub().channelCount());
    field(sb, "pubsub_patterns", server.pubsub().patternCount());
    field(sb, "pubsubshard_channels", server.pubsub().shardChannelCount());
    field(sb, "latest_fork_usec", 0);
    field(sb, "total_forks", 0);
    field(sb, "total_error_replies", errors);
    field(sb, "unexpected_error_replies", st.unexpectedErrorReplies.sum());
    field(sb, "total_reads_processed", st.sum(x -> x.commands));
    field(sb, "total_writes_processed", st.sum(x -> x.commands));
    field(sb, "client_query_buffer_limit_disconnections", st.queryBufferLimitDisconnections.sum());
    field(
        sb, "client_output_buffer_limit_disconnections", st.outputBufferLimitDisconnections.sum());
  }

  private static long pubsubClients(Server server) {
    long n = 0;
    for (io.roost.server.net.Client c : server.clients().values()) {
      if (c.subscribed()) {
        n++;
      }
    }
    return n;
  }

  private static void cluster(Server server, StringBuilder sb) {
    sb.append("# Cluster\r\n");
    ClusterNode node = server.cluster();
    field(sb, "cluster_enabled", node == null ? 0 : 1);
    if (node != null) {
      ClusterView v = node.view();
      field(sb, "cluster_state", v.state());
      field(sb, "cluster_members", v.members().size());
      int self = v.ownership() == null ? -1 : v.ownership().indexOf(v.self());
      field(sb, "cluster_primary_slots", self < 0 ? 0 : v.ownership().primaryCounts()[self]);
      field(sb, "cluster_backup_slots", self < 0 ? 0 : v.ownership().backupCounts()[self]);
      field(sb, "cluster_epoch", v.epoch());
      field(sb, "cluster_mode", server.settings().clusterMode);
      ClusterStats cs = node.stats();
      field(sb, "roost_rebalancing", cs.rebalancing() ? 1 : 0);
      field(sb, "roost_transfers_pending", cs.stateTransfersPending());
      field(sb, "roost_slots_incomplete", cs.slotsIncomplete());
      field(sb, "roost_slot_transfers_sent", cs.stateTransfersSent());
      field(sb, "roost_records_received", cs.recordsTransferred());
      field(sb, "roost_handoffs", cs.handoffs());
    }
  }

  private static void replication(Server server, StringBuilder sb) {
    sb.append("# Replication\r\n");
    ClusterNode node = server.cluster();
    field(sb, "role", "master");
    field(sb, "connected_slaves", node == null ? 0 : Math.max(0, node.view().members().size() - 1));
    if (node != null) {
      ClusterStats cs = node.stats();
      field(sb, "roost_replication", server.settings().replication);
      field(sb, "roost_owners", server.settings().owners);
      field(sb, "roost_effects_sent", cs.effectsSent());
      field(sb, "roost_effect_batches_sent", cs.batchesSent());
      field(
          sb, "roost_effects_per_batch", String.format(Locale.ROOT, "%.2f", cs.effectsPerBatch()));
      field(sb, "roost_bytes_sent", cs.bytesSent());
      field(sb, "roost_bytes_in_flight", cs.bytesInFlight());
      field(sb, "roost_effects_applied", cs.effectsApplied());
      field(sb, "roost_batches_resent", cs.batchesResent());
      field(sb, "roost_batches_rejected", cs.batchesRejected());
      field(sb, "roost_pending_acks", cs.pendingTickets());
      field(sb, "roost_replication_lag_effects", cs.maxLagEffects());
      field(sb, "roost_forwards_sent", cs.forwardsSent());
      field(sb, "roost_forwards_executed", cs.forwardsExecuted());
      field(sb, "roost_publishes_sent", cs.publishesSent());
      field(sb, "roost_publishes_received", cs.publishesReceived());
      field(sb, "roost_publishes_dropped", cs.publishesDropped());
    }
    field(sb, "master_failover_state", "no-failover");
    field(sb, "master_replid", server.runId());
    field(sb, "master_replid2", "0000000000000000000000000000000000000000");
    field(sb, "master_repl_offset", 0);
    field(sb, "second_repl_offset", -1);
    field(sb, "repl_backlog_active", 0);
    field(sb, "repl_backlog_size", 1048576);
    field(sb, "repl_backlog_first_byte_offset", 0);
    field(sb, "repl_backlog_histlen", 0);
  }

  private static void cpu(StringBuilder sb) {
    double[] cpu = cpuSeconds();
    sb.append("# CPU\r\n");
    field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", cpu[1]));
    field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu[0]));
    field(sb, "used_cpu_sys_children", "0.000000");
    field(sb, "used_cpu_user_children", "0.000000");
    field(sb, "used_cpu_sys_main_thread", String.format(Locale.ROOT, "%.6f", cpu[1]));
    field(sb, "used_cpu_user_main_thread", String.format(Locale.ROOT, "%.6f", cpu[0]));
  }

  private static void commandStats(Server server, StringBuilder sb) {
    sb.append("# Commandstats\r\n");
    Stats st = server.stats();
    for (CommandSpec spec : server.commands().all()) {
      int id = spec.id();
      long calls = st.sum(x -> x.calls[id]);
      long rejected = st.sum(x -> x.rejected[id]);
      long failed = st.sum(x -> x.failed[id]);
      if (calls == 0 && rejected == 0 && failed == 0) {
        continue;
      }
      long usec = st.sum(x -> x.usec[id]);
      sb.append("cmdstat_")
          .append(spec.fullName())
          .append(":calls=")
          .append(calls)
          .append(",usec=")
          .append(usec)
          .append(",usec_per_call=")
          .append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
          .append(",rejected_calls=")
          .append(rejected)
          .append(",failed_calls=")
          .append(failed)
          .append("\r\n");
    }
  }

  private static void errorStats(Server server, StringBuilder sb) {
    sb.append("# Errorstats\r\n");
    Map<String, LongAdder> sorted = new TreeMap<>(server.stats().errors);
    sorted.forEach((k, v) -> field(sb, "errorstat_" + k, "count=" + v.sum()));
  }

  private static void keyspace(Server server, StringBuilder sb) {
    StoreStats st = server.store().stats();
    keyspace(st.keysPerDb(), st.expiresPerDb(), sb);
  }

  /** The Keyspace section for these keys and keys with a TTL per database. */
  public static void keyspace(long[] keysPerDb, long[] expiresPerDb, StringBuilder sb) {
    sb.append("# Keyspace\r\n");
    for (int db = 0; db < keysPerDb.length; db++) {
      if (keysPerDb[db] > 0) {
        field(
            sb,
            "db" + db,
            "keys="
                + keysPerDb[db]
                + ",expires="
                + expiresPerDb[db]
                + ",avg_ttl=0"
                + ",subexpiry=0");
      }
    }
  }

  /** Redis's bytesToHuman: B, K, M, G with two decimals. */
  static String human(long n) {
    if (n < 1024) {
      return n + "B";
    }
    String[] units = {"K", "M", "G", "T", "P"};
    double d = n;
    int u = -1;
    while (d >= 1024 && u < units.length - 1) {
      d /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
  }

  /** Resident set size of this process, from /proc where available. */
  public static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through.
    }
    return Runtime.getRuntime().totalMemory();
  }

  private static long totalSystemMemory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  /** User and system CPU seconds of this process. */
  private static double[] cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double tick = 100.0;
      return new double[] {Long.parseLong(f[11]) / tick, Long.parseLong(f[12]) / tick};
    } catch (IOException | RuntimeException e) {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        return new double[] {os.getProcessCpuTime() / 1e9, 0};
      }
      return new double[] {0, 0};
    }
  }
}
