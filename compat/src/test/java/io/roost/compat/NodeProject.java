package io.roost.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Node.js half of the compatibility tests in {@code compat/node}: installs its locked
 * dependencies once and runs one of its {@code node --test} files against a target. Used by the
 * test thread.
 *
 * <p>Implementation notes: {@code node} and {@code npm} come from PATH (the java-maven machine
 * image has Node 20; elsewhere install Debian's {@code nodejs} and {@code npm}). {@code npm ci}
 * runs when {@code node_modules} is missing or older than {@code package-lock.json}. Every child
 * process has a deadline, writes to a log file under {@link CompatPaths#workDir()}, and is ended
 * with its descendants when the deadline passes; failure messages quote the end of its log.
 */
final class NodeProject {
  private static final Duration VERSION_DEADLINE = Duration.ofSeconds(20);
  private static final Duration INSTALL_DEADLINE = Duration.ofMinutes(3);
  private static final Duration TEST_DEADLINE = Duration.ofSeconds(90);
  private static final int MIN_NODE_MAJOR = 18;
  private static final int TAIL_LINES = 120;
  private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");

  private static boolean installed;

  private NodeProject() {}

  /** Checks Node's version and runs {@code npm ci} if the dependencies are not installed yet. */
  static synchronized void ensureInstalled() {
    if (installed) {
      return;
    }
    Path dir = CompatPaths.nodeDir();
    Path log = CompatPaths.workDir().resolve("node-version.log");
    run(List.of("node", "--version"), dir, Map.of(), log, VERSION_DEADLINE, "node --version");
    Matcher version = NODE_VERSION.matcher(read(log));
    if (!version.find() || Integer.parseInt(version.group(1)) < MIN_NODE_MAJOR) {
      fail("Node.js " + MIN_NODE_MAJOR + " or newer is needed, found: " + read(log).strip());
    }
    if (needsInstall(dir)) {
      run(
          List.of("npm", "ci", "--no-audit", "--no-fund"),
          dir,
          Map.of(),
          CompatPaths.workDir().resolve("npm-ci.log"),
          INSTALL_DEADLINE,
          "npm ci in " + dir);
    }
    installed = true;
  }

  /** Runs {@code node --test file} with {@code ROOST_PORT} set to the target's port. */
  static void test(String file, Target target) {
    String name = target.name() + "-" + file.replace(".test.js", "");
    run(
        List.of("node", "--test", "--test-reporter=spec", file),
        CompatPaths.nodeDir(),
        Map.of(
            "ROOST_HOST", "127.0.0.1",
            "ROOST_PORT", Integer.toString(target.port()),
            "NO_COLOR", "1"),
        CompatPaths.workDir().resolve("node-" + name + ".log"),
        TEST_DEADLINE,
        "node --test " + file + " against " + target.name() + " port=" + target.port());
  }

  private static boolean needsInstall(Path dir) {
    Path marker = dir.resolve("node_modules/.package-lock.json");
    Path lock = dir.resolve("package-lock.json");
    try {
      return !Files.exists(marker)
          || Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(lock)) < 0;
    } catch (IOException e) {
      return true;
    }
  }

  private static void run(
      List<String> command,
      Path dir,
      Map<String, String> env,
      Path log,
      Duration deadline,
      String what) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      fail(
          "cannot run "
              + command.get(0)
              + ": Node.js and npm must be on PATH (Node "
              + MIN_NODE_MAJOR
              + "+; on Debian: apt-get install nodejs npm). "
              + e.getMessage(),
          e);
      return;
    }
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        fail(what + " did not finish within ms=" + deadline.toMillis() + "\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        fail(what + " failed with exit=" + process.exitValue() + " log=" + log + "\n" + tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while waiting for " + what, e);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  static String tail(Path log) {
    List<String> lines = read(log).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }
}
