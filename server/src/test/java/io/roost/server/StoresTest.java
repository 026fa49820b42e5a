package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.cluster.ClusterContext;
import io.roost.server.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's context from the cluster directives: the peer secret and the stack file. */
class StoresTest {
  static final String SECRET = "a-cluster-secret-0123456789";

  @TempDir Path dir;

  @Test
  void secretComesFromTheDirectiveOrTheFirstLineOfTheFile() throws Exception {
    Settings s = Settings.defaults();
    assertEquals("", Stores.clusterSecret(s));
    assertFalse(Stores.clusterContext(s).peerEncryption());

    s.clusterSecret = SECRET;
    assertEquals(SECRET, Stores.clusterSecret(s));
    assertTrue(Stores.clusterContext(s).peerEncryption());

    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\r\nsecond line\n", StandardCharsets.UTF_8);
    Settings fromFile = Settings.defaults();
    fromFile.clusterSecretFile = file.toString();
    assertEquals(SECRET, Stores.clusterSecret(fromFile));

    fromFile.clusterSecret = SECRET;
    assertEquals(
        "cluster-secret and cluster-secret-file are both set; set one of them",
        assertThrows(IllegalArgumentException.class, () -> Stores.clusterSecret(fromFile))
            .getMessage());

    Files.writeString(file, "\n" + SECRET, StandardCharsets.UTF_8);
    Settings empty = Settings.defaults();
    empty.clusterSecretFile = file.toString();
    assertEquals(
        "cluster-secret-file=" + file + " holds no secret on its first line",
        assertThrows(IllegalArgumentException.class, () -> Stores.clusterSecret(empty))
            .getMessage());

    Files.writeString(file, "short\n", StandardCharsets.UTF_8);
    IllegalArgumentException tooShort =
        assertThrows(IllegalArgumentException.class, () -> Stores.clusterContext(empty));
    assertFalse(tooShort.getMessage().contains("short\n"), tooShort.getMessage());
  }

  @Test
  void clusterConfigReachesTheContext() throws Exception {
    Path file = dir.resolve("stack.xml");
    Files.writeString(file, "<config/>", StandardCharsets.UTF_8);
    Settings s = Settings.defaults();
    s.clusterConfig = file.toString();
    ClusterContext context = Stores.clusterContext(s);
    assertEquals(file.toString(), context.stackFile());
  }

  /** A node whose stack file is unusable does not start, and says which file and why. */
  @Test
  void invalidClusterConfigStopsStartUpNamingTheFileAndTheReason() throws Exception {
    Path file = dir.resolve("stack.xml");
    Files.writeString(
        file, "<config><TCP bind_port=\"${roost.bind_port}\"/><NO_SUCH_PROTOCOL/></config>");
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                TestNode.start(
                        s -> {
                          s.clusterEnabled = true;
                          s.clusterConfig = file.toString();
                          s.clusterPort = 17990;
                        })
                    .close());
    assertTrue(e.getMessage().contains("cluster-config=" + file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("NO_SUCH_PROTOCOL"), e.getMessage());
  }
}
