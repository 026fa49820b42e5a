package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process as users run it: {@code scripts/run} as a child process, driven by redis-cli,
 * redis-benchmark and a raw socket, then stopped with SIGTERM.
 */
class ScriptsIT {
  /** scripts/run may build the jar when it is stale; give it room. */
  static final long START_DEADLINE_S = 240;

  @TempDir Path dir;

  private static Path root() {
    Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path root = Files.exists(base.resolve("scripts/run")) ? base : base.getParent();
    assertTrue(Files.isExecutable(root.resolve("scripts/run")), "no scripts/run under " + root);
    return root;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private Process run(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(root().resolve("scripts/run").toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(root().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Runs a tool to completion with a deadline; returns exit code and output. */
  private record Result(int code, String out) {}

  private Result tool(long timeoutS, String... cmd) throws Exception {
    Path out = Files.createTempFile(dir, "tool", ".out");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish in " + timeoutS + "s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static void awaitPing(Process p, int port, Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_DEADLINE_S);
    for (; ; ) {
      assertTrue(p.isAlive(), () -> "roost exited early:\n" + read(log));
      try (RespClient c = new RespClient("127.0.0.1", port)) {
        if ("+PONG\r\n".equals(c.call("PING"))) {
          return;
        }
      } catch (IOException | UncheckedIOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("roost did not answer PING on port " + port + ":\n" + read(log));
        }
        try {
          p.waitFor(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ie);
        }
      }
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Test
  void runServeRedisToolsThenStopGracefullyOnSigterm() throws Exception {
    assumeTrue(
        onPath("redis-cli") && onPath("redis-benchmark"),
        "redis-cli/redis-benchmark are not installed (scripts/test installs them); skipping");
    int port = RedisProcess.freePort();
    Path log = dir.resolve("roost.log");
    Process p = run(log, "--port", Integer.toString(port));
    try {
      awaitPing(p, port, log);
      String ps = Integer.toString(port);
      Result ping = tool(30, "redis-cli", "-p", ps, "PING");
      assertEquals(new Result(0, "PONG\n"), ping);
      Result hello = tool(30, "redis-cli", "-p", ps, "-3", "HELLO", "3");
      assertEquals(0, hello.code(), hello.out());
      assertTrue(hello.out().contains("proto"), hello.out());
      assertTrue(hello.out().contains("proto 3"), hello.out());
      assertTrue(hello.out().contains("standalone"), hello.out());
      Result config = tool(30, "redis-cli", "-p", ps, "CONFIG", "GET", "*");
      assertEquals(0, config.code(), config.out());
      assertTrue(config.out().contains("maxmemory-policy\nnoeviction\n"), config.out());
      Result info = tool(30, "redis-cli", "-p", ps, "INFO");
      assertEquals(0, info.code(), info.out());
      assertTrue(info.out().contains("redis_version:7.4.0"), info.out());
      assertTrue(info.out().contains("role:master"), info.out());
      try (RespClient raw = new RespClient("127.0.0.1", port)) {
        assertEquals("+PONG\r\n", raw.inline("PING"));
      }
      Result bench =
          tool(
              120,
              "redis-benchmark",
              "-p",
              ps,
              "-t",
              "ping_inline,ping_mbulk",
              "-n",
              "20000",
              "-c",
              "50",
              "-q");
      assertEquals(0, bench.code(), bench.out());
      assertTrue(bench.out().contains("PING_INLINE"), bench.out());
      assertTrue(bench.out().contains("PING_MBULK"), bench.out());
      for (String line : bench.out().split("[\r\n]")) {
        assertFalse(line.toLowerCase(java.util.Locale.ROOT).contains("error"), line);
        assertFalse(line.startsWith("ERR"), line);
      }
    } finally {
      p.destroy();
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "roost did not stop on SIGTERM");
    String out = read(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("shutting down gracefully"), out);
    assertTrue(out.contains("Roost stopped"), out);
  }

  @Test
  void badPortExitsNonZeroWithTheReason() throws Exception {
    Path log = dir.resolve("bad-port.log");
    Process p = run(log, "--port", "notanumber");
    assertTrue(p.waitFor(START_DEADLINE_S, TimeUnit.SECONDS));
    String out = read(log);
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains("--port"), out);
    assertTrue(out.contains("notanumber"), out);
    assertTrue(out.contains("argument couldn't be parsed into an integer"), out);
  }

  @Test
  void unknownDirectiveInConfigFileNamesFileAndLine() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.write(conf, List.of("# roost", "port 0", "no-such-directive 1"), StandardCharsets.UTF_8);
    Path log = dir.resolve("bad-conf.log");
    Process p = run(log, "--config", conf.toString());
    assertTrue(p.waitFor(START_DEADLINE_S, TimeUnit.SECONDS));
    String out = read(log);
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.contains(conf + " line 3: unknown directive 'no-such-directive'"), out);
  }
}
