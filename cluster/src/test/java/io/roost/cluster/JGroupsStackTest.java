package io.roost.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

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
}
