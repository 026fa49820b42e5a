package io.roost.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Cuts one node of a running {@link LocalCluster} off from the others and heals it, without root
 * and without test code in the server: each node runs the production JGroups stack with two
 * changes, given to it as its {@code --cluster-config} file — JGroups' own fault-injection protocol
 * DISCARD right above the transport (inactive), and JGroups' diagnostics listener on a TCP port of
 * 127.0.0.1 — and the test switches DISCARD at run time through that listener, as JGroups' {@code
 * probe} tool does ({@code jmx=DISCARD.discard_all=true}). Failure detection and merging are made
 * faster than production (seconds instead of tens of seconds); everything else is the built-in
 * stack. Owned by the test thread.
 *
 * <p>With {@code discard_all}, the node drops every message it would send and every one it receives
 * (except its own), so both sides stop hearing each other: the majority's FD_ALL3 suspects it, the
 * node suspects everyone else, and each side installs its own view. FD_SOCK2's connections are not
 * JGroups messages and stay up, which only means suspicion comes from the heartbeat timeout rather
 * than from a closed socket — as for a real network partition. Clearing the flag heals: the
 * coordinators' MERGE3 finds the other side and merges the views.
 *
 * <p>The diagnostics protocol (JGroups 5.4 {@code DiagnosticsHandler}, TCP mode): connect, send one
 * request line, read the reply until the listener closes the connection.
 */
final class Partition {
  /** The built-in stack, on the test classpath through the cluster module. */
  static final String STACK_RESOURCE = "roost-jgroups-tcp.xml";

  static final int PROBE_TIMEOUT_MS = 5_000;

  /**
   * Heartbeat timeout and interval of the test stack (production: 40 s and 5 s); long enough that a
   * busy shared machine does not cause false suspicions.
   */
  static final int FD_TIMEOUT_MS = 12_000;

  static final int FD_INTERVAL_MS = 3_000;

  /** Merge rounds of the test stack (production: every 10 to 30 s). */
  static final int MERGE_MIN_INTERVAL_MS = 2_000;

  static final int MERGE_MAX_INTERVAL_MS = 5_000;

  private final LocalCluster cluster;
  private final int baseDiagPort;

  /** Node {@code i}'s diagnostics listener will be on 127.0.0.1:{@code baseDiagPort + i}. */
  Partition(LocalCluster cluster, int baseDiagPort) {
    this.cluster = cluster;
    this.baseDiagPort = baseDiagPort;
  }

  int diagPort(int node) {
    return baseDiagPort + node;
  }

  /** Writes node {@code node}'s stack file; returns the options that make the node use it. */
  List<String> options(int node) {
    Path file = cluster.dir.resolve("node-" + node).resolve("jgroups-partition.xml");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, stack(diagPort(node)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of("--cluster-config", file.toString());
  }

  /**
   * Like {@link #options} with JGroups' DELAY also in the stack: every message the node receives
   * waits {@code inDelayMs} (on DELAY's own thread, so nothing else stalls). That thread polls its
   * queue without blocking (JGroups 5.5.2), so the node keeps a core busy while it runs: use it for
   * short-lived nodes only.
   */
  List<String> delayedOptions(int node, int inDelayMs) {
    Path file = cluster.dir.resolve("node-" + node).resolve("jgroups-delay.xml");
    String xml =
        replace(
            stack(diagPort(node)),
            "<DISCARD/>",
            "<DISCARD/>\n  <DELAY in_delay=\"" + inDelayMs + "\" constant_delay=\"true\"/>");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, xml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.of("--cluster-config", file.toString());
  }

  /** The built-in stack with DISCARD, TCP diagnostics on {@code diagPort} and faster detection. */
  static String stack(int diagPort) {
    String xml;
    try (InputStream in = Partition.class.getClassLoader().getResourceAsStream(STACK_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource=" + STACK_RESOURCE + " not on the classpath");
      }
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    xml =
        replace(
            xml,
            "diag.enabled=\"false\"",
            "diag.enabled=\"true\" diag.enable_udp=\"false\" diag.enable_tcp=\"true\""
                + " diag.bind_addr=\"127.0.0.1\" diag.port=\""
                + diagPort
                + "\" diag.port_range=\"0\"");
    xml = replace(xml, "<TCPPING ", "<DISCARD/>\n  <TCPPING ");
    xml = replace(xml, "${roost.fd.timeout_ms:40000}", Integer.toString(FD_TIMEOUT_MS));
    xml = replace(xml, "${roost.fd.interval_ms:5000}", Integer.toString(FD_INTERVAL_MS));
    xml =
        replace(
            xml, "${roost.merge.min_interval_ms:10000}", Integer.toString(MERGE_MIN_INTERVAL_MS));
    xml =
        replace(
            xml, "${roost.merge.max_interval_ms:30000}", Integer.toString(MERGE_MAX_INTERVAL_MS));
    return xml;
  }

  /** Node {@code node} stops sending to and receiving from every other node. */
  void isolate(int node) {
    setDiscardAll(node, true);
  }

  /** Node {@code node} talks to the others again. */
  void heal(int node) {
    setDiscardAll(node, false);
  }

  /**
   * Node {@code node} drops this share (0..1) of the messages it sends and of those it receives.
   */
  void loss(int node, double rate) {
    for (String direction : List.of("up", "down")) {
      probe(node, "jmx=DISCARD." + direction + "=" + rate);
      String state = probe(node, "jmx=DISCARD." + direction);
      if (!state.contains(direction + "=" + rate)) {
        throw new AssertionError(
            "node=" + node + " DISCARD." + direction + " not " + rate + ": " + state);
      }
    }
  }

  private void setDiscardAll(int node, boolean on) {
    probe(node, "jmx=DISCARD.discard_all=" + on);
    String state = probe(node, "jmx=DISCARD.discard_all");
    if (!state.contains("discard_all=" + on)) {
      throw new AssertionError("node=" + node + " DISCARD did not switch to " + on + ": " + state);
    }
  }

  /** Sends one diagnostics request to node {@code node}; returns its reply. */
  String probe(int node, String request) {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(PROBE_TIMEOUT_MS);
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), diagPort(node)),
          PROBE_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      out.write((request + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("probe node=" + node + " request=" + request, e);
    }
  }

  private static String replace(String xml, String anchor, String replacement) {
    if (!xml.contains(anchor)) {
      throw new IllegalStateException(
          STACK_RESOURCE + " changed: anchor=" + anchor + " not found; update Partition");
    }
    return xml.replace(anchor, replacement);
  }
}
