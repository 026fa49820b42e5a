package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClusterContextTest {
  @Test
  void defaults() {
    final ClusterContext context = new ClusterContext().conclude();
    assertEquals("roost", context.clusterName());
    assertEquals("127.0.0.1", context.bindAddress());
    assertEquals(7800, context.port());
    assertEquals(2, context.owners());
    assertEquals(ClusterContext.Replication.SYNC, context.replication());
    assertEquals(ClusterContext.ClusterMode.ROOST, context.clusterMode());
    assertTrue(context.requireMajority());
    assertEquals(List.of(), context.members());
    final Properties stack = context.stackProperties();
    assertEquals("127.0.0.1[7800]", stack.getProperty("roost.initial_hosts"));
    assertEquals("7800", stack.getProperty("roost.bind_port"));
  }

  @Test
  void parsesConfigText() {
    final ClusterContext context =
        new ClusterContext()
            .members("10.0.0.1:7800, node-b:7801,[::1]:7802")
            .owners("all")
            .replication("async")
            .clusterMode("Redis")
            .conclude();
    assertEquals(
        List.of(
            InetSocketAddress.createUnresolved("10.0.0.1", 7800),
            InetSocketAddress.createUnresolved("node-b", 7801),
            InetSocketAddress.createUnresolved("::1", 7802)),
        context.members());
    assertEquals(ClusterConfiguration.OWNERS_ALL, context.owners());
    assertEquals(ClusterContext.Replication.ASYNC, context.replication());
    assertEquals(ClusterContext.ClusterMode.REDIS, context.clusterMode());
    assertEquals(
        "10.0.0.1[7800],node-b[7801],::1[7802]",
        context.stackProperties().getProperty("roost.initial_hosts"));
    assertEquals(3, new ClusterContext().owners(" 3 ").conclude().owners());
  }

  @Test
  void rejectsInvalidSettingsWithNameEqualsValue() {
    assertMessage("port=0", () -> new ClusterContext().port(0).conclude());
    assertMessage("owners=0", () -> new ClusterContext().owners(0).conclude());
    assertMessage("owners=two", () -> new ClusterContext().owners("two"));
    assertMessage("replication=semi", () -> new ClusterContext().replication("semi"));
    assertMessage("cluster-mode=x", () -> new ClusterContext().clusterMode("x"));
    assertMessage("clusterName=", () -> new ClusterContext().clusterName("").conclude());
    assertMessage("members=a", () -> new ClusterContext().members("a").conclude());
    assertMessage("members=a:1,", () -> new ClusterContext().members("a:1,").conclude());
    assertMessage("members=::1:7800", () -> new ClusterContext().members("::1:7800").conclude());
    assertMessage("members port=70000", () -> new ClusterContext().members("a:70000").conclude());
  }

  @Test
  void concludedContextIsReadOnly() {
    final ClusterContext context = new ClusterContext().conclude();
    assertThrows(IllegalStateException.class, () -> context.port(1));
    assertThrows(IllegalStateException.class, () -> new ClusterContext().stackProperties());
  }

  private static void assertMessage(String prefix, Runnable action) {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }

  @Test
  void secretIsCheckedDerivedAndNeverShown() {
    final String secret = "a-shared-secret-of-32-characters";
    final IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ClusterContext().secret("short-secret").conclude());
    assertEquals("secret must be 16..1024 characters long, length=12", tooShort.getMessage());

    final ClusterContext context = new ClusterContext().secret(secret).conclude();
    assertTrue(context.peerEncryption());
    assertFalse(new ClusterContext().conclude().peerEncryption());
    assertFalse(context.toString().contains(secret), context.toString());
    assertTrue(context.toString().contains("peerEncryption=true"), context.toString());
    assertEquals(ClusterConfiguration.PEER_KEY_BYTES, context.peerKey().length);

    // Deterministic per (secret, cluster name); another name or secret gives another key. The
    // variations use few iterations: a full derivation costs about a second.
    assertArrayEquals(ClusterContext.deriveKey(secret, "roost"), context.peerKey());
    final byte[] key = ClusterContext.deriveKey(secret, "roost", 1_000);
    assertArrayEquals(key, ClusterContext.deriveKey(secret, "roost", 1_000));
    assertFalse(Arrays.equals(key, ClusterContext.deriveKey(secret, "roost-2", 1_000)));
    assertFalse(Arrays.equals(key, ClusterContext.deriveKey(secret + "!", "roost", 1_000)));
  }
}
