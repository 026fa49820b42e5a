package io.roost.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on 127.0.0.1, without persistence, for side-by-side
 * runs of the same scenario. Started and closed by the test thread.
 *
 * <p>Implementation notes: the port is one the kernel handed out a moment before and released, so
 * another process may take it first; start-up then fails and is retried on a new port, a bounded
 * number of times. Readiness is a {@code PING} answered with {@code +PONG} before a deadline. The
 * server's output goes to a log file under {@link CompatPaths#workDir()} that failure messages
 * quote. {@link #close()} always ends the process, forcibly if it does not stop within seconds.
 */
final class RedisServerTarget implements Target {
  private static final int START_ATTEMPTS = 3;
  private static final long READY_DEADLINE_MS = 10_000;
  private static final long STOP_WAIT_MS = 5_000;

  private final Process process;
  private final int port;

  private RedisServerTarget(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static RedisServerTarget start() {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freeLoopbackPort();
      Path log = CompatPaths.workDir().resolve("redis-server-" + port + ".log");
      Process process = launch(port, log);
      try {
        awaitPong(process, port, log);
        return new RedisServerTarget(process, port);
      } catch (IllegalStateException e) {
        stop(process);
        last = e;
      }
    }
    throw last;
  }

  private static Process launch(int port, Path log) {
    List<String> command =
        List.of(
            "redis-server",
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no");
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run redis-server (it must be on PATH; scripts/test installs Debian's"
              + " redis-server): "
              + e.getMessage(),
          e);
    }
  }

  private static void awaitPong(Process process, int port, Path log) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_DEADLINE_MS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with code="
                + process.exitValue()
                + " port="
                + port
                + "\n"
                + tail(log));
      }
      if (ping(port)) {
        return;
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for redis-server", e);
      }
    }
    throw new IllegalStateException(
        "redis-server did not answer PING within ms="
            + READY_DEADLINE_MS
            + " port="
            + port
            + "\n"
            + tail(log));
  }

  private static boolean ping(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String name() {
    return "redis-server";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop(process);
  }
}
