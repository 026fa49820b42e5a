package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.SYM_ENCRYPT;
import org.jgroups.protocols.dns.DNS_PING;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JGroupsStackTest {
  @Test
  void resolvesValuesAndDefaults() {
    final Properties values = new Properties();
    values.setProperty("a", "1");
    values.setProperty("b", "");
    assertEquals(
        "x=1 y=2 z= w=1", JGroupsStack.resolve("x=${a} y=${c:2} z=${b:9} w=${a:7}", values));
    assertEquals("no placeholders", JGroupsStack.resolve("no placeholders", values));
  }

  @Test
  void missingValueIsAnError() {
    final Properties values = new Properties();
    assertEquals(
        "placeholder=missing has no value",
        assertThrows(
                IllegalArgumentException.class, () -> JGroupsStack.resolve("${missing}", values))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> JGroupsStack.resolve("${open", values));
  }

  @Test
  void productionStackResolvesCompletelyFromTheContext() throws Exception {
    final String xml;
    try (InputStream in =
        JGroupsStack.class.getClassLoader().getResourceAsStream("roost-jgroups-tcp.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    final String resolved =
        JGroupsStack.resolve(xml, new ClusterContext().port(7801).conclude().stackProperties());
    assertFalse(resolved.contains("${"));
    for (String protocol :
        new String[] {
          "<TCP ", "<TCPPING ", "<MERGE3 ", "<FD_SOCK2", "<FD_ALL3 ", "<VERIFY_SUSPECT2 ",
          "<pbcast.NAKACK2 ", "<UNICAST3", "<pbcast.STABLE ", "<pbcast.GMS ", "<UFC ", "<MFC ",
          "<FRAG4 ", "diag.enabled=\"false\"", "bind_port=\"7801\"", "127.0.0.1[7801]"
        }) {
      assertEquals(true, resolved.contains(protocol), protocol);
    }
  }

  @Test
  void userFilesGetRoostValuesAndKeepOtherPlaceholdersForJGroups() {
    final Properties values = new Properties();
    values.setProperty("roost.bind_addr", "10.0.0.7");
    assertEquals(
        "a=10.0.0.7 b=${KUBE_DNS_QUERY} c=${jgroups.x:1} d=5",
        JGroupsStack.resolve(
            "a=${roost.bind_addr} b=${KUBE_DNS_QUERY} c=${jgroups.x:1} d=${roost.fd:5}",
            values,
            JGroupsStack.ROOST_PLACEHOLDER_PREFIX));
    assertEquals(
        "placeholder=roost.nope has no value",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    JGroupsStack.resolve(
                        "${roost.nope}", values, JGroupsStack.ROOST_PLACEHOLDER_PREFIX))
            .getMessage());
  }

  @Test
  void userFileReplacesTheBuiltInStackWithTheContextsValues(@TempDir Path dir) throws Exception {
    final Path file = dir.resolve("stack.xml");
    Files.writeString(
        file,
        builtInStack().replace("<FD_SOCK2 bind_addr=\"${roost.bind_addr}\"/>", "<FD_SOCK2/>"));
    final JChannel channel =
        JGroupsStack.channel(new ClusterContext().port(7802).stackFile(file.toString()).conclude());
    try {
      assertEquals(7802, channel.getProtocolStack().getTransport().getBindPort());
      // A user stack without FD_SOCK2's bind_addr gets the transport's, not every interface.
      final FD_SOCK2 fd = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
      assertEquals(InetAddress.getByName("127.0.0.1"), fd.getBindAddress());
    } finally {
      channel.close();
    }
  }

  @Test
  void unusableUserFilesFailWithTheFileAndTheReason(@TempDir Path dir) throws Exception {
    final Path missing = dir.resolve("missing.xml");
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClusterContext().stackFile(missing.toString()).conclude())
            .getMessage()
            .startsWith("cluster-config=" + missing + " cannot be read: "));

    final Path broken = dir.resolve("broken.xml");
    Files.writeString(broken, "<config><TCP bind_port=\"7800\"");
    assertStackFails(broken, "cluster-config=" + broken + ": ");

    final Path unknown = dir.resolve("unknown.xml");
    Files.writeString(unknown, builtInStack().replace("<UNICAST3/>", "<NO_SUCH_PROTOCOL/>"));
    assertStackFails(unknown, "NO_SUCH_PROTOCOL");

    final Path badAttribute = dir.resolve("attribute.xml");
    Files.writeString(badAttribute, builtInStack().replace("<UNICAST3/>", "<UNICAST3 foo=\"1\"/>"));
    assertStackFails(badAttribute, "foo");

    final Path unresolved = dir.resolve("unresolved.xml");
    Files.writeString(
        unresolved,
        builtInStack().replace("<UNICAST3/>", "<UNICAST3 xmit_interval=\"${roost.nope}\"/>"));
    assertStackFails(unresolved, "placeholder=roost.nope has no value");
  }

  @Test
  void secretAddsEncryptionRightAboveTheTransport(@TempDir Path dir) throws Exception {
    final ClusterContext context =
        new ClusterContext().port(7803).secret("0123456789abcdef").conclude();
    final JChannel channel = JGroupsStack.channel(context);
    try {
      final List<String> names = new ArrayList<>();
      for (Protocol p = channel.getProtocolStack().getBottomProtocol();
          p != null;
          p = p.getUpProtocol()) {
        names.add(p.getName());
      }
      assertEquals(List.of("TCP", "SYM_ENCRYPT", "SERIALIZE", "TCPPING"), names.subList(0, 4));
      final SYM_ENCRYPT encrypt = channel.getProtocolStack().findProtocol(SYM_ENCRYPT.class);
      assertEquals(ClusterConfiguration.PEER_CIPHER, encrypt.symAlgorithm());
      assertEquals(ClusterConfiguration.PEER_NONCE_BYTES, encrypt.simIvLength());
      assertEquals(ClusterConfiguration.PEER_KEY_ALGORITHM, encrypt.secretKey().getAlgorithm());
    } finally {
      channel.close();
    }

    // A user stack that encrypts by itself is refused rather than encrypted twice.
    final Path file = dir.resolve("encrypting.xml");
    Files.writeString(
        file,
        builtInStack().replace("<UNICAST3/>", "<UNICAST3/><SYM_ENCRYPT keystore_name=\"x.p12\"/>"));
    final IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JGroupsStack.channel(
                    new ClusterContext()
                        .stackFile(file.toString())
                        .secret("0123456789abcdef")
                        .conclude()));
    assertTrue(e.getMessage().startsWith("cluster-config=" + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("protocol=SYM_ENCRYPT"), e.getMessage());
  }

  /** The example in config/ stays a valid stack: DNS_PING instead of TCPPING. */
  @Test
  void kubernetesExampleBuilds() throws Exception {
    Path file = Path.of("..", "config", "jgroups-kubernetes.xml");
    if (!Files.exists(file)) {
      file = Path.of("config", "jgroups-kubernetes.xml");
    }
    System.setProperty("ROOST_DNS_QUERY", "roost-peers.test.svc.cluster.local");
    try {
      final JChannel channel =
          JGroupsStack.channel(
              new ClusterContext().port(7805).stackFile(file.toString()).conclude());
      try {
        final DNS_PING ping = channel.getProtocolStack().findProtocol(DNS_PING.class);
        assertEquals("roost-peers.test.svc.cluster.local", ping.getDNSQuery());
        assertFalse(channel.getProtocolStack().getTransport().getDiagnosticsHandler().isEnabled());
      } finally {
        channel.close();
      }
    } finally {
      System.clearProperty("ROOST_DNS_QUERY");
    }
  }

  private static void assertStackFails(Path file, String expected) {
    final IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JGroupsStack.channel(
                        new ClusterContext().port(7804).stackFile(file.toString()).conclude())
                    .close());
    assertTrue(e.getMessage().startsWith("cluster-config=" + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static String builtInStack() throws Exception {
    try (InputStream in =
        JGroupsStack.class.getClassLoader().getResourceAsStream("roost-jgroups-tcp.xml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
