package io.roost.compat;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A local cluster of Roost processes on 127.0.0.1, run through {@code scripts/cluster} as an
 * operator runs it, from the jar the build packaged ({@code server/target/roost.jar}). Owned by the
 * test thread that started it.
 *
 * <p>Implementation notes: node {@code i} listens for clients on {@code basePort + i} and for peers
 * on {@code basePeerPort + i}; its log and pid file are in {@code
 * compat/target/compat/cluster-NAME/node-i/}. The scripts run with {@code ROOST_NO_BUILD=1} and
 * {@code ROOST_JAR} set, so a source edited meanwhile never rebuilds the jar under a running test;
 * a missing or stale jar fails the test instead. {@link #close()} runs {@code scripts/cluster stop}
 * and then SIGKILLs every node process still alive (by the pids recorded at start), so a failed
 * test leaves nothing running; {@link #start} first does the same for leftovers of an aborted run
 * in the same directory. Probes open a short-lived Lettuce connection per call, so a dead node
 * costs one refused connection, never a stuck client. Every wait has a deadline.
 */
final class RoostCluster implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofMinutes(3);
  private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(1);
  private static final Duration FORMED_DEADLINE = Duration.ofMinutes(1);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final int SLOTS = 16384;

  private final String name;
  private final int size;
  private final int basePort;
  private final int basePeerPort;
  private final Path dir;
  private final Set<Long> pids = new HashSet<>();
  private final RedisClient probes;
  private int scriptRuns;

  private RoostCluster(String name, int size, int basePort, int basePeerPort) {
    this.name = name;
    this.size = size;
    this.basePort = basePort;
    this.basePeerPort = basePeerPort;
    this.dir = CompatPaths.workDir().resolve("cluster-" + name);
    this.probes = RedisClient.create();
    probes.setOptions(ClientOptions.builder().autoReconnect(false).build());
  }

  /**
   * Starts {@code size} nodes with {@code options} and returns once every node reports {@code
   * cluster_state:ok} with all of them known. Stops whatever it started when that fails.
   */
  static RoostCluster start(
      String name, int size, int basePort, int basePeerPort, String... options) {
    RoostCluster cluster = new RoostCluster(name, size, basePort, basePeerPort);
    try {
      cluster.launch(options);
      return cluster;
    } catch (RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  private void launch(String... options) {
    Path jar = jar();
    killLeftovers();
    List<String> args = new ArrayList<>(List.of("start", Integer.toString(size)));
    args.addAll(List.of(options));
    String out = script(START_DEADLINE, args);
    for (int node = 1; node <= size; node++) {
      pid(node).ifPresent(pids::add);
    }
    if (out != null) {
      fail("scripts/cluster start failed (jar=" + jar + "):\n" + out + logTails());
    }
    String members = "cluster_known_nodes:" + size + "\r\n";
    Await.until(
        "cluster " + name + " formed with members=" + size,
        FORMED_DEADLINE,
        () -> {
          for (int node = 1; node <= size; node++) {
            String info = clusterInfo(node);
            if (!info.contains("cluster_state:ok") || !info.contains(members)) {
              return false;
            }
          }
          return true;
        });
  }

  /** The client port of node {@code node} (1-based). */
  int port(int node) {
    return basePort + node;
  }

  /** {@code scripts/cluster kill node}: SIGKILL, as a crashed machine would stop. */
  void kill(int node) {
    String out = script(SCRIPT_DEADLINE, List.of("kill", Integer.toString(node)));
    if (out != null) {
      fail("scripts/cluster kill " + node + " failed:\n" + out);
    }
  }

  /** Runs {@code command} on a fresh connection to {@code node}; its errors reach the caller. */
  <T> T probe(int node, Function<RedisCommands<String, String>, T> command) {
    RedisURI uri =
        RedisURI.builder()
            .withHost("127.0.0.1")
            .withPort(port(node))
            .withTimeout(PROBE_TIMEOUT)
            .build();
    try (StatefulRedisConnection<String, String> connection = probes.connect(uri)) {
      return command.apply(connection.sync());
    }
  }

  /** CLUSTER INFO of {@code node}, or the error when it cannot answer. */
  String clusterInfo(int node) {
    try {
      return probe(node, RedisCommands::clusterInfo);
    } catch (RedisException e) {
      return "error: " + e;
    }
  }

  /**
   * The client ports of the owners of {@code slot} as {@code node} sees them (CLUSTER SLOTS),
   * primary first; empty when no range covers the slot.
   */
  List<Integer> owners(int node, int slot) {
    for (Object range : probe(node, RedisCommands::clusterSlots)) {
      List<?> r = (List<?>) range;
      if ((Long) r.get(0) <= slot && slot <= (Long) r.get(1)) {
        List<Integer> ports = new ArrayList<>();
        for (Object endpoint : r.subList(2, r.size())) {
          ports.add(((Long) ((List<?>) endpoint).get(1)).intValue());
        }
        return ports;
      }
    }
    return List.of();
  }

  /**
   * A hash tag ({@code {tag}}) whose slot has {@code node} as its primary: keys that contain it are
   * lost to that node's crash, which is the case worth testing. Slots come from Lettuce's CRC16,
   * ownership from the cluster itself.
   */
  String tagWithPrimary(int node) {
    for (int i = 0; i < 1_000; i++) {
      String tag = "s" + i;
      List<Integer> owners = owners(node, SlotHash.getSlot(tag));
      if (!owners.isEmpty() && owners.get(0) == port(node)) {
        return tag;
      }
    }
    throw new AssertionError("no slot with primary node=" + node + " among 1000 tags");
  }

  /**
   * True when {@code node} reports {@code cluster_state:ok} and its CLUSTER SLOTS covers every slot
   * without naming the client port {@code deadPort}: the failover after a crash is complete there.
   */
  boolean settledWithout(int node, int deadPort) {
    try {
      if (!clusterInfo(node).contains("cluster_state:ok")) {
        return false;
      }
      long covered = 0;
      for (Object range : probe(node, RedisCommands::clusterSlots)) {
        List<?> r = (List<?>) range;
        for (Object endpoint : r.subList(2, r.size())) {
          if (((Long) ((List<?>) endpoint).get(1)) == deadPort) {
            return false;
          }
        }
        covered += (Long) r.get(1) - (Long) r.get(0) + 1;
      }
      return covered == SLOTS;
    } catch (RedisException e) {
      return false;
    }
  }

  /** Stops every node gracefully, then SIGKILLs whatever is left; never throws. */
  @Override
  public void close() {
    try {
      script(SCRIPT_DEADLINE, List.of("stop", Integer.toString(size)));
    } catch (RuntimeException | AssertionError e) {
      // The forced clean-up below still runs.
    }
    try {
      killLeftovers();
    } finally {
      probes.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** The jar the nodes run; fails when it is missing or older than the server's classes. */
  private static Path jar() {
    Path server = CompatPaths.rootDir().resolve("server/target");
    Path jar = server.resolve("roost.jar");
    if (!Files.isRegularFile(jar)) {
      fail("no " + jar + ": build it in the same reactor (./mvnw -pl compat -am verify)");
    }
    try (Stream<Path> classes = Files.walk(server.resolve("classes"))) {
      FileTime built = Files.getLastModifiedTime(jar);
      Optional<Path> newer =
          classes.filter(Files::isRegularFile).filter(p -> isNewer(p, built)).findFirst();
      if (newer.isPresent()) {
        fail("stale " + jar + ": " + newer.get() + " is newer; run with -pl compat -am");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  private static boolean isNewer(Path file, FileTime than) {
    try {
      return Files.getLastModifiedTime(file).compareTo(than) > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<Long> pid(int node) {
    Path file = dir.resolve("node-" + node).resolve("pid");
    try {
      return Files.exists(file)
          ? Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** SIGKILLs every Roost process recorded or named by a pid file here, and removes the files. */
  private void killLeftovers() {
    Set<Long> candidates = new HashSet<>(pids);
    for (int node = 1; node <= size; node++) {
      pid(node).ifPresent(candidates::add);
    }
    for (long pid : candidates) {
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains("roost.jar")).orElse(false))
          .ifPresent(
              h -> {
                h.destroyForcibly();
                awaitExit(h);
              });
    }
    for (int node = 1; node <= size; node++) {
      try {
        Files.deleteIfExists(dir.resolve("node-" + node).resolve("pid"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void awaitExit(ProcessHandle process) {
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Reported by the next start, which finds the process still alive.
    }
  }

  /**
   * Runs {@code scripts/cluster args} with this cluster's ports, directory and jar; returns null on
   * success, else what it printed with its exit code.
   */
  private String script(Duration deadline, List<String> args) {
    Path root = CompatPaths.rootDir();
    List<String> command =
        new ArrayList<>(List.of("bash", root.resolve("scripts/cluster").toString()));
    command.addAll(args);
    try {
      Files.createDirectories(dir);
      Path out = dir.resolve("script-" + ++scriptRuns + "-" + args.get(0) + ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().put("ROOST_CLUSTER_BASE_PORT", Integer.toString(basePort));
      builder.environment().put("ROOST_CLUSTER_BASE_PEER_PORT", Integer.toString(basePeerPort));
      builder.environment().put("ROOST_CLUSTER_DIR", dir.toString());
      builder.environment().put("ROOST_JAR", root.resolve("server/target/roost.jar").toString());
      builder.environment().put("ROOST_NO_BUILD", "1");
      Process process = builder.start();
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return "did not finish within ms=" + deadline.toMillis() + ": " + command;
      }
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      return process.exitValue() == 0 ? null : "exit=" + process.exitValue() + "\n" + printed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private String logTails() {
    StringBuilder sb = new StringBuilder();
    for (int node = 1; node <= size; node++) {
      Path log = dir.resolve("node-" + node).resolve("roost.log");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        sb.append("\n--- node ").append(node).append(' ').append(log).append('\n');
        sb.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      } catch (IOException e) {
        sb.append("\n--- node ").append(node).append(": no log at ").append(log);
      }
    }
    return sb.toString();
  }
}
