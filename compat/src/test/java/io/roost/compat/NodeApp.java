package io.roost.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One running web-tier instance of {@code compat/node/cluster-app.js}: an express app with
 * express-session and connect-redis over ioredis or node-redis, on an HTTP port of 127.0.0.1 the
 * kernel picked. Started and closed by the test thread.
 *
 * <p>Implementation notes: the app prints {@code listening PORT} when it serves; its output goes to
 * a log file under {@link CompatPaths#workDir()} that failure messages quote. {@link #close()}
 * sends SIGTERM and, when the app has not exited within seconds, kills it and its descendants.
 */
final class NodeApp implements AutoCloseable {
  private static final Duration START_DEADLINE = Duration.ofSeconds(30);
  private static final long STOP_WAIT_MS = 5_000;
  private static final Pattern LISTENING = Pattern.compile("^listening (\\d+)$", Pattern.MULTILINE);

  private final Process process;
  private final Path log;
  private final int httpPort;

  private NodeApp(Process process, Path log, int httpPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
  }

  /**
   * Starts the app named {@code name} (for its log file) whose {@code client} ({@code ioredis} or
   * {@code node-redis}) is given the Roost client ports {@code redisPorts} on 127.0.0.1 and stores
   * sessions under {@code prefix}; returns once it serves HTTP.
   */
  static NodeApp start(String name, String client, List<Integer> redisPorts, String prefix) {
    Path log = CompatPaths.workDir().resolve("node-app-" + name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "cluster-app.js")
            .directory(CompatPaths.nodeDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("ROOST_CLIENT", client);
    builder
        .environment()
        .put(
            "ROOST_ENDPOINTS",
            redisPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    builder.environment().put("ROOST_PREFIX", prefix);
    builder.environment().put("NO_COLOR", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (Node.js must be on PATH)", e);
    }
    NodeApp app = null;
    try {
      Await.until(
          () -> "app " + name + " listening, " + tail(log),
          START_DEADLINE,
          () -> {
            if (!process.isAlive()) {
              fail("app " + name + " exited with code=" + process.exitValue() + "\n" + tail(log));
            }
            return LISTENING.matcher(NodeProject.read(log)).find();
          });
      Matcher listening = LISTENING.matcher(NodeProject.read(log));
      if (!listening.find()) {
        fail("no port in " + log);
      }
      app = new NodeApp(process, log, Integer.parseInt(listening.group(1)));
      return app;
    } finally {
      if (app == null) {
        stop(process);
      }
    }
  }

  /** {@code http://127.0.0.1:PORT/path}. */
  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  /** The end of the app's output, for failure messages. */
  String tail() {
    return tail(log);
  }

  private static String tail(Path log) {
    return "log=" + log + "\n" + NodeProject.tail(log);
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the app; never throws. */
  @Override
  public void close() {
    stop(process);
  }
}
