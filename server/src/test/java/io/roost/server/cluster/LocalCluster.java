package io.roost.server.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A cluster of Roost processes on loopback, started and stopped through {@code scripts/cluster} as
 * an operator does it. Owned by the test thread that created it.
 *
 * <p>Each instance has its own client and peer ports and its own directory under {@code
 * server/target/cluster-it/}, where the nodes' logs and pid files stay for a post-mortem. {@link
 * #close()} runs {@code scripts/cluster stop} and then kills with SIGKILL every node process still
 * alive (found by the pids recorded at start and in the pid files), so a failed test leaves nothing
 * running; {@link #start} does the same for leftovers of an earlier aborted run in the same
 * directory. Every wait has a deadline. The scripts run with {@code ROOST_NO_BUILD=1}: the nodes
 * run the jar this build packaged, never one rebuilt under the running test.
 *
 * <p>Ports and directories are fixed per test class, so two runs of the same class in one checkout
 * at the same time collide; run them one after the other.
 */
final class LocalCluster implements AutoCloseable {
  /** Starting three JVMs on a busy two-core machine takes a while; give it room. */
  static final long START_DEADLINE_S = 120;

  static final long SCRIPT_DEADLINE_S = 60;
  static final long FORMED_DEADLINE_S = 60;
  static final long POLL_MS = 20;

  private static final JedisClientConfig PROBE =
      DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis(1_000)
          .socketTimeoutMillis(2_000)
          .clientName("cluster-it-probe")
          .build();

  final String name;
  final int size;
  final int basePort;
  final int basePeerPort;
  final Path root;
  final Path dir;
  private final Map<Integer, Long> pids = new HashMap<>();
  private int scriptRuns;

  LocalCluster(String name, int size, int basePort, int basePeerPort) {
    this.name = name;
    this.size = size;
    this.basePort = basePort;
    this.basePeerPort = basePeerPort;
    this.root = root();
    this.dir = root.resolve("server/target/cluster-it").resolve(name);
  }

  /** The repository root: the failsafe working directory is the server module. */
  static Path root() {
    Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path root = Files.exists(base.resolve("scripts/cluster")) ? base : base.getParent();
    assertTrue(
        Files.isExecutable(root.resolve("scripts/cluster")), "no scripts/cluster in " + root);
    return root;
  }

  /**
   * Starts every node with {@code options} and waits until each reports {@code cluster_state:ok}
   * with all {@code size} members known.
   */
  LocalCluster start(String... options) {
    return startFirst(size, options);
  }

  /**
   * Starts nodes 1..{@code count} like {@link #start} (the others can join later through {@link
   * #startNode}) and waits until they report {@code cluster_state:ok} with {@code count} members.
   */
  LocalCluster startFirst(int count, String... options) {
    killLeftovers();
    List<String> args = new ArrayList<>(List.of("start", Integer.toString(count)));
    args.addAll(List.of(options));
    Result r = script(START_DEADLINE_S, args.toArray(String[]::new));
    for (int i = 1; i <= count; i++) {
      int node = i;
      readPid(node).ifPresent(pid -> pids.put(node, pid));
    }
    if (r.code() != 0) {
      throw new AssertionError("scripts/cluster start failed: code=" + r.code() + "\n" + r.out());
    }
    awaitFormed(count, nodes().subList(0, count));
    return this;
  }

  /**
   * Starts every node through {@link #startNode} with {@code options} followed by its own {@code
   * perNode.apply(node)} options (for example a per-node {@code --cluster-config}), and waits until
   * each reports {@code cluster_state:ok} with all {@code size} members known.
   */
  LocalCluster startEach(IntFunction<List<String>> perNode, String... options) {
    killLeftovers();
    for (int node = 1; node <= size; node++) {
      List<String> all = new ArrayList<>(List.of(options));
      all.addAll(perNode.apply(node));
      startNode(node, all.toArray(String[]::new));
    }
    String expect = "cluster_known_nodes:" + size + "\r\n";
    await(
        START_DEADLINE_S,
        () ->
            nodes().stream()
                .map(this::clusterInfo)
                .allMatch(info -> info.contains("cluster_state:ok") && info.contains(expect)),
        () -> "nodes did not start and form: size=" + size + " " + describe(nodes()));
    return this;
  }

  /**
   * Starts node {@code node} alone through {@code scripts/run} with the arguments {@code
   * scripts/cluster start} gives it, and writes its pid file so that {@link #close()} stops it.
   * Does not wait for it.
   */
  void startNode(int node, String... options) {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("scripts/run").toString()));
    StringBuilder members = new StringBuilder();
    for (int i = 1; i <= size; i++) {
      members.append(i > 1 ? "," : "").append("127.0.0.1:").append(basePeerPort + i);
    }
    cmd.addAll(
        List.of(
            "--port",
            Integer.toString(port(node)),
            "--cluster-enabled",
            "yes",
            "--cluster-port",
            Integer.toString(basePeerPort + node),
            "--cluster-members",
            members.toString()));
    cmd.addAll(List.of(options));
    try {
      Path d = dir.resolve("node-" + node);
      Files.createDirectories(d);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(d.resolve("roost.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().put("ROOST_NO_BUILD", "1");
      Process p = pb.start();
      pids.put(node, p.pid());
      Files.writeString(d.resolve("pid"), p.pid() + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Node numbers 1..size. */
  List<Integer> nodes() {
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      all.add(i);
    }
    return all;
  }

  int port(int node) {
    return basePort + node;
  }

  HostAndPort endpoint(int node) {
    return new HostAndPort("127.0.0.1", port(node));
  }

  Path log(int node) {
    return dir.resolve("node-" + node).resolve("roost.log");
  }

  /** The pid in node {@code node}'s pid file, if there is one. */
  Optional<Long> readPid(int node) {
    Path f = dir.resolve("node-" + node).resolve("pid");
    try {
      return Files.exists(f)
          ? Optional.of(Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code scripts/cluster kill node}: SIGKILL. */
  void kill(int node) {
    Result r = script(SCRIPT_DEADLINE_S, "kill", Integer.toString(node));
    if (r.code() != 0) {
      throw new AssertionError("scripts/cluster kill failed: code=" + r.code() + "\n" + r.out());
    }
  }

  /** SIGTERM to the pid in the node's pid file, as {@code scripts/cluster stop} sends it. */
  ProcessHandle terminate(int node) {
    long pid = readPid(node).orElseThrow(() -> new AssertionError("no pid file for node=" + node));
    ProcessHandle handle =
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("not running: pid=" + pid));
    Result r = run(SCRIPT_DEADLINE_S, "bash", "-c", "kill -TERM " + pid);
    if (r.code() != 0) {
      throw new AssertionError("kill -TERM failed: pid=" + pid + "\n" + r.out());
    }
    return handle;
  }

  /** Waits until {@code process} exited; false when it is still alive at the deadline. */
  static boolean awaitExit(ProcessHandle process, long timeoutS) {
    try {
      process.onExit().get(timeoutS, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A short-lived connection for probes and checks. */
  Jedis connect(int node) {
    return new Jedis(endpoint(node), PROBE);
  }

  /** CLUSTER INFO of a node, or the error text when it cannot answer. */
  String clusterInfo(int node) {
    try (Jedis j = connect(node)) {
      return j.clusterInfo();
    } catch (JedisException e) {
      return "error: " + e.getMessage();
    }
  }

  /** Waits until every node in {@code nodes} reports cluster_state:ok with {@code members}. */
  void awaitFormed(int members, List<Integer> nodes) {
    String expect = "cluster_known_nodes:" + members + "\r\n";
    await(
        FORMED_DEADLINE_S,
        () -> {
          for (int n : nodes) {
            String info = clusterInfo(n);
            if (!info.contains("cluster_state:ok") || !info.contains(expect)) {
              return false;
            }
          }
          return true;
        },
        () -> "cluster did not form: members=" + members + " " + describe(nodes));
  }

  /**
   * True when {@code node} says cluster_state:ok and its CLUSTER SLOTS covers all 16384 slots and
   * names no endpoint whose port is {@code deadPort}.
   */
  boolean slotsWithout(int node, int deadPort) {
    try (Jedis j = connect(node)) {
      if (!j.clusterInfo().contains("cluster_state:ok")) {
        return false;
      }
      Set<Long> covered = new HashSet<>();
      long slots = 0;
      for (Object range : (List<?>) j.sendCommand(Protocol.Command.CLUSTER, "SLOTS")) {
        List<?> r = (List<?>) range;
        long start = (Long) r.get(0);
        long end = (Long) r.get(1);
        if (!covered.add(start) || r.size() < 3) {
          return false;
        }
        slots += end - start + 1;
        for (int k = 2; k < r.size(); k++) {
          if (((Long) ((List<?>) r.get(k)).get(1)) == deadPort) {
            return false;
          }
        }
      }
      return slots == 16384;
    } catch (JedisException e) {
      return false;
    }
  }

  /** CLUSTER INFO of each listed node, for failure messages. */
  String describe(List<Integer> nodes) {
    StringBuilder sb = new StringBuilder();
    for (int n : nodes) {
      sb.append("\nnode=").append(n).append(' ').append(clusterInfo(n).replace("\r\n", " "));
    }
    return sb.toString();
  }

  /** Polls {@code condition} every {@link #POLL_MS} until it holds or the deadline passes. */
  static void await(
      long timeoutS, BooleanSupplier condition, java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timeout=" + timeoutS + "s: " + what.get());
      }
      pause(POLL_MS);
    }
  }

  /** Waits between polls; not a synchronisation, never an assertion. */
  static void pause(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Stops the cluster gracefully, then SIGKILLs whatever is left. */
  @Override
  public void close() {
    try {
      script(SCRIPT_DEADLINE_S, "stop", Integer.toString(size));
    } catch (RuntimeException | AssertionError e) {
      // Fall through to the forced clean-up below.
    }
    killLeftovers();
  }

  /** SIGKILLs every Roost process recorded or named by a pid file in this cluster's directory. */
  void killLeftovers() {
    Set<Long> candidates = new HashSet<>(pids.values());
    for (int i = 1; i <= Math.max(size, 16); i++) {
      readPid(i).ifPresent(candidates::add);
    }
    for (long pid : candidates) {
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(LocalCluster::isRoost).orElse(false))
          .ifPresent(
              h -> {
                h.destroyForcibly();
                awaitExit(h, 30);
              });
    }
    for (int i = 1; i <= Math.max(size, 16); i++) {
      try {
        Files.deleteIfExists(dir.resolve("node-" + i).resolve("pid"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static boolean isRoost(String commandLine) {
    return commandLine.contains("roost.jar") || commandLine.contains("scripts/run");
  }

  /** What a script printed, and its exit code. */
  record Result(int code, String out) {}

  /** Runs {@code scripts/cluster args} with this cluster's ports and directory. */
  Result script(long timeoutS, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("scripts/cluster").toString()));
    cmd.addAll(List.of(args));
    return run(timeoutS, cmd.toArray(String[]::new));
  }

  private Result run(long timeoutS, String... cmd) {
    try {
      Files.createDirectories(dir);
      Path out = dir.resolve("script-" + ++scriptRuns + ".out");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().put("ROOST_CLUSTER_BASE_PORT", Integer.toString(basePort));
      pb.environment().put("ROOST_CLUSTER_BASE_PEER_PORT", Integer.toString(basePeerPort));
      pb.environment().put("ROOST_CLUSTER_DIR", dir.toString());
      // The jar under test is the one this build packaged; sources others edit meanwhile must not
      // trigger a rebuild under the running test.
      pb.environment().put("ROOST_NO_BUILD", "1");
      Process p = pb.start();
      if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutS + "s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
