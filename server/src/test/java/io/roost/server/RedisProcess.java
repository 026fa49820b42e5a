package io.roost.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} on loopback for one test class (JUnit 5 extension), for side-by-side
 * tests; the class is skipped when the binary is not installed. Started and stopped by the test
 * thread.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisProcess REDIS = new RedisProcess();
 * }</pre>
 */
public final class RedisProcess implements BeforeAllCallback, AfterAllCallback {
  private Process process;
  private int port;

  private static Path binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "redis-server");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path bin = binary();
    assumeTrue(bin != null, "redis-server is not installed (scripts/test installs it); skipping");
    port = freePort();
    process =
        new ProcessBuilder(
                bin.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
                "--dir",
                Files.createTempDirectory("redis-side-by-side").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (; ; ) {
      try (RespClient c = new RespClient("127.0.0.1", port)) {
        if ("+PONG\r\n".equals(c.call("PING"))) {
          return;
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("redis-server did not start on port=" + port, e);
        }
        Thread.onSpinWait();
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** A new raw RESP connection to the redis-server. */
  public RespClient connect() {
    try {
      return new RespClient("127.0.0.1", port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to redis port=" + port, e);
    }
  }
}
