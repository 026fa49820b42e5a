package io.roost.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputBufferLimitsTest {
  @Test
  void defaultsMergingAndUnits() {
    Settings s = Settings.defaults();
    assertEquals(OutputBufferLimits.DEFAULT, s.clientOutputBufferLimit.toString());
    Directives.find("client-output-buffer-limit").apply(s, "PUBSUB 1mb 2kb 5");
    assertEquals(
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2048 5",
        s.clientOutputBufferLimit.toString());
    assertEquals(1048576, s.clientOutputBufferLimit.hardBytes(OutputBufferLimits.PUBSUB));
    assertThrows(
        IllegalArgumentException.class,
        () -> Directives.find("client-output-buffer-limit").parse("master 0 0 0"));
  }

  @Test
  void configFileLinesOfSeveralWordsMerge(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("roost.conf");
    Files.writeString(
        f,
        "client-output-buffer-limit pubsub 64mb 16mb 30\n"
            + "client-output-buffer-limit normal 1gb 512mb 10\n"
            + "notify-keyspace-events KEg$\n");
    Settings s = Settings.defaults();
    ConfigFile.load(f, s);
    assertEquals(
        "normal 1073741824 536870912 10 slave 268435456 67108864 60 pubsub 67108864 16777216 30",
        s.clientOutputBufferLimit.toString());
    assertEquals("g$KE", s.notifyKeyspaceEvents);
  }
}
