package io.roost.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line parsing: defaults &lt; config file &lt; options; help and version exit 0. */
class CliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Cli.Outcome parse(String... args) {
    return Cli.parse(args, "9.9.9", new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Settings run(String... args) {
    Cli.Outcome o = parse(args);
    return assertInstanceOf(Cli.Run.class, o, () -> "err: " + err).settings();
  }

  private int exit(String... args) {
    return assertInstanceOf(Cli.Exit.class, parse(args)).code();
  }

  private Path config(String... lines) throws IOException {
    Path f = dir.resolve("roost.conf");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void noArgumentsGiveTheDefaults() {
    Settings s = run();
    Settings d = Settings.defaults();
    for (Directive x : Directives.ALL) {
      assertEquals(x.format(d), x.format(s), x.name());
    }
    assertEquals(6379, s.port);
    assertEquals("", s.configFile);
  }

  @Test
  void fileOverridesDefaultsAndOptionsOverrideTheFile() throws IOException {
    Path f = config("port 7000", "timeout 5", "maxmemory-policy allkeys-lru");
    Settings s = run("--config", f.toString(), "--port", "7001", "--maxmemory", "1m");
    assertEquals(7001, s.port);
    assertEquals(5, s.timeoutSeconds);
    assertEquals("allkeys-lru", s.maxMemoryPolicy);
    assertEquals(1_000_000L, s.maxMemoryBytes);
    assertEquals(f.toAbsolutePath().toString(), s.configFile);
  }

  @Test
  void optionOrderDoesNotMatterForLayering() throws IOException {
    Path f = config("port 7000");
    assertEquals(7002, run("--port", "7002", "--config", f.toString()).port);
  }

  @Test
  void aliasesAndRepeatedOptionsWork() {
    assertEquals(9, run("--hash-max-ziplist-entries", "9").hashMaxListpackEntries);
    assertEquals(8, run("--port", "7", "--port", "8").port);
  }

  @Test
  void helpAndVersionExitZero() {
    assertEquals(0, exit("--help"));
    assertTrue(out.toString().contains("--port"), out.toString());
    assertTrue(out.toString().contains("--config"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, exit("--version"));
    assertTrue(out.toString().contains("Roost 9.9.9"), out.toString());
  }

  @Test
  void badOptionValueExitsNonZeroWithTheReason() {
    assertEquals(2, exit("--port", "notanumber"));
    assertTrue(err.toString().contains("--port"), err.toString());
    assertTrue(err.toString().contains("notanumber"), err.toString());
    assertTrue(
        err.toString().contains("argument couldn't be parsed into an integer"), err.toString());
  }

  @Test
  void clusterSecretIsNeverEchoedInErrors() throws IOException {
    assertEquals(2, exit("--cluster-secret", "too-short-123"));
    assertTrue(err.toString().contains("--cluster-secret (redacted)"), err.toString());
    assertTrue(err.toString().contains("16..1024 characters"), err.toString());
    assertFalse(err.toString().contains("too-short-123"), err.toString());

    err.getBuffer().setLength(0);
    Path f = config("cluster-secret \"unbalanced-secret-0123456789");
    assertEquals(2, exit("--config", f.toString()));
    assertTrue(err.toString().contains("line 1: unbalanced quotes"), err.toString());
    assertFalse(err.toString().contains("unbalanced-secret"), err.toString());

    err.getBuffer().setLength(0);
    f = config("cluster-secret short-secret");
    assertEquals(2, exit("--config", f.toString()));
    assertTrue(err.toString().contains("line 1: bad value for 'cluster-secret'"), err.toString());
    assertFalse(err.toString().contains("short-secret"), err.toString());
  }

  @Test
  void clusterSecretFileAndClusterConfigMustBeReadableFiles() throws IOException {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "a-cluster-secret-0123456789\n");
    Settings s = run("--cluster-secret-file", secret.toString());
    assertEquals(secret.toString(), s.clusterSecretFile);
    assertEquals(2, exit("--cluster-config", dir.resolve("missing.xml").toString()));
    assertTrue(err.toString().contains("missing.xml' is not a readable file"), err.toString());
  }

  @Test
  void unknownOptionExitsNonZero() {
    assertEquals(2, exit("--no-such-option", "1"));
    assertTrue(err.toString().contains("--no-such-option"), err.toString());
  }

  @Test
  void badConfigFileExitsNonZeroNamingFileAndLine() throws IOException {
    Path f = config("port 7000", "bogus yes");
    assertEquals(2, exit("--config", f.toString()));
    assertTrue(err.toString().contains(f + " line 2: unknown directive 'bogus'"), err.toString());
  }
}
