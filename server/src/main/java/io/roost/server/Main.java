package io.roost.server;

import io.roost.server.config.Cli;
import io.roost.server.config.Directive;
import io.roost.server.config.Directives;
import io.roost.server.config.Settings;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process: parses the command line, starts one node, and stops it gracefully on SIGTERM, SIGINT
 * or SHUTDOWN.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Cli.Outcome outcome = Cli.parse(args, Version.ROOST, out, err);
    if (outcome instanceof Cli.Exit exit) {
      System.exit(exit.code());
      return;
    }
    Settings settings = ((Cli.Run) outcome).settings();
    String refusal = refuseUnsafe(settings);
    if (refusal != null) {
      err.println("roost: " + refusal);
      System.exit(2);
      return;
    }
    Logging.file(settings.logFile);
    Logging.level(settings.logLevel);
    Logger log = LoggerFactory.getLogger(Main.class);
    RoostServer node = new RoostServer(settings);
    CountDownLatch stopped = new CountDownLatch(1);
    node.server()
        .shutdownAction(
            () -> {
              log.info("SHUTDOWN requested by a client");
              System.exit(0);
            });
    try {
      node.start();
    } catch (Exception e) {
      log.error("cannot start: {}", e.toString());
      node.close();
      System.exit(1);
      return;
    }
    // Registered once running, so that a failed start keeps its exit status. A graceful stop
    // exits 0 as redis-server does, not the JVM's 143 for SIGTERM.
    Thread hook =
        new Thread(
            () -> {
              log.info("Received SIGTERM, shutting down gracefully");
              node.close();
              stopped.countDown();
              Runtime.getRuntime().halt(0);
            },
            "roost-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    logSettings(log, settings);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A public bind address without a password is refused, as DESIGN.md requires. */
  static String refuseUnsafe(Settings s) {
    if (!s.requirePass.isEmpty() || !s.protectedMode) {
      return null;
    }
    for (String b : s.bind) {
      String host = b.startsWith("-") ? b.substring(1) : b;
      try {
        InetAddress a = InetAddress.getByName(host);
        if (!a.isLoopbackAddress()) {
          return "refusing to bind "
              + host
              + " without a password: set requirepass, or protected-mode no to accept the risk";
        }
      } catch (UnknownHostException e) {
        return "cannot resolve bind address " + host;
      }
    }
    return null;
  }

  private static void logSettings(Logger log, Settings settings) {
    StringBuilder sb = new StringBuilder("effective settings:");
    for (Directive d : Directives.ALL) {
      sb.append(' ').append(d.name()).append('=');
      sb.append(
          d.sensitive() ? (d.format(settings).isEmpty() ? "(none)" : "(set)") : d.format(settings));
    }
    log.info(sb.toString());
  }
}
