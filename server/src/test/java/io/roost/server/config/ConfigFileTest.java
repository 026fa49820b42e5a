package io.roost.server.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis-style config files: quoting, comments, and failures that name file, line and reason. */
class ConfigFileTest {
  @TempDir Path dir;

  private Path write(String... lines) throws IOException {
    Path f = dir.resolve("roost.conf");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  private String failure(String... lines) throws IOException {
    Path f = write(lines);
    return assertThrows(ConfigException.class, () -> ConfigFile.load(f, Settings.defaults()))
        .getMessage();
  }

  @Test
  void appliesDirectivesSkippingCommentsAndBlankLines() throws Exception {
    Path f =
        write(
            "# a comment",
            "",
            "   # indented comment",
            "maxmemory 100mb",
            "  MAXMEMORY-POLICY   allkeys-lru  ",
            "protected-mode no",
            "bind 127.0.0.1 ::1",
            "hash-max-ziplist-entries 7",
            "requirepass \"sec ret\"",
            "notify-keyspace-events 'Ex'");
    Settings s = Settings.defaults();
    ConfigFile.load(f, s);
    assertEquals(100L * 1024 * 1024, s.maxMemoryBytes);
    assertEquals("allkeys-lru", s.maxMemoryPolicy);
    assertEquals(false, s.protectedMode);
    assertArrayEquals(new String[] {"127.0.0.1", "::1"}, s.bind);
    assertEquals(7, s.hashMaxListpackEntries);
    assertEquals("sec ret", s.requirePass);
    // stored as Redis prints it (keyspaceEventsFlagsToString order)
    assertEquals("xE", s.notifyKeyspaceEvents);
    assertEquals(f.toAbsolutePath().toString(), s.configFile);
  }

  @Test
  void laterLinesWin() throws Exception {
    Settings s = Settings.defaults();
    ConfigFile.load(write("timeout 5", "timeout 7"), s);
    assertEquals(7, s.timeoutSeconds);
  }

  @Test
  void quotingFollowsRedis() {
    assertEquals(List.of("a", "b c", "d"), ConfigFile.split("a \"b c\" d"));
    assertEquals(List.of("x", "a\nb\tc\"\\"), ConfigFile.split("x \"a\\nb\\tc\\\"\\\\\""));
    assertEquals(List.of("x", "\u0041"), ConfigFile.split("x \"\\x41\""));
    assertEquals(List.of("x", "it's"), ConfigFile.split("x 'it\\'s'"));
    assertEquals(List.of("x", "a\\nb"), ConfigFile.split("x 'a\\nb'"));
    assertEquals(List.of("x", ""), ConfigFile.split("x \"\""));
    assertEquals(List.of(), ConfigFile.split("   "));
    assertNull(ConfigFile.split("x \"open"));
    assertNull(ConfigFile.split("x 'open"));
    assertNull(ConfigFile.split("x \"a\"b"));
  }

  @Test
  void emptyQuotedStringClearsAString() throws Exception {
    Settings s = Settings.defaults();
    ConfigFile.load(write("requirepass foo", "requirepass \"\""), s);
    assertEquals("", s.requirePass);
  }

  @Test
  void unknownDirectiveNamesFileLineAndReason() throws Exception {
    String msg = failure("# first", "port 7000", "no-such-thing 1");
    assertEquals(
        "config file " + dir.resolve("roost.conf") + " line 3: unknown directive 'no-such-thing'",
        msg);
  }

  @Test
  void badValueNamesFileLineAndRedisReason() throws Exception {
    String msg = failure("maxmemory-samples 0");
    assertTrue(msg.startsWith("config file " + dir.resolve("roost.conf") + " line 1: "), msg);
    assertTrue(msg.endsWith("argument must be between 1 and 64 inclusive"), msg);
    assertTrue(msg.contains("maxmemory-samples"), msg);
    assertTrue(failure("", "protected-mode maybe").contains(" line 2: "));
    assertTrue(failure("protected-mode maybe").endsWith("argument must be 'yes' or 'no'"));
  }

  @Test
  void structuralErrorsAreReported() throws Exception {
    assertTrue(failure("port").contains("line 1: 'port' needs a value"));
    assertTrue(failure("port 1 2").contains("line 1: 'port' takes one value"));
    assertTrue(failure("requirepass \"abc").contains("line 1: unbalanced quotes"));
  }

  @Test
  void missingFileIsReported() {
    Path missing = dir.resolve("missing.conf");
    String msg =
        assertThrows(ConfigException.class, () -> ConfigFile.load(missing, Settings.defaults()))
            .getMessage();
    assertTrue(msg.startsWith("config file " + missing + ": cannot read"), msg);
  }
}
