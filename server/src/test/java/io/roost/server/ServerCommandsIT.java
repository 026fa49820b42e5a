package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** INFO, CONFIG, TIME, SLOWLOG, MONITOR and the COMMAND family over real sockets. */
class ServerCommandsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  static final List<String> DEFAULT_HEADERS =
      List.of(
          "# Server",
          "# Clients",
          "# Memory",
          "# Persistence",
          "# Stats",
          "# Replication",
          "# CPU",
          "# Modules",
          "# Errorstats",
          "# Cluster",
          "# Keyspace");

  private static String info(RespClient c, String... sections) {
    String[] args = new String[sections.length + 1];
    args[0] = "INFO";
    System.arraycopy(sections, 0, args, 1, sections.length);
    String reply = c.call(args);
    assertEquals('$', reply.charAt(0), reply);
    return RespClient.payload(reply);
  }

  @Test
  void infoHasEveryDefaultSectionAndTheFieldsClientsRead() {
    try (RespClient c = NODE.connect()) {
      String info = info(c);
      int at = -1;
      for (String h : DEFAULT_HEADERS) {
        int i = info.indexOf(h + "\r\n");
        assertTrue(i > at, h + " missing or out of order in\n" + info);
        at = i;
      }
      assertTrue(info.startsWith("# Server\r\n"), info);
      assertTrue(info.contains("\r\nredis_version:7.4.0\r\n"), info);
      assertTrue(info.contains("\r\nrole:master\r\n"), info);
      assertTrue(info.contains("\r\nloading:0\r\n"), info);
      assertTrue(info.contains("\r\nredis_mode:standalone\r\n"), info);
      assertTrue(Pattern.compile("\r\nrun_id:[0-9a-f]{40}\r\n").matcher(info).find(), info);
      assertTrue(info.contains("\r\ntcp_port:" + NODE.port() + "\r\n"), info);
      assertTrue(info.contains("\r\ncluster_enabled:0\r\n"), info);
      assertTrue(info.contains("\r\nconnected_clients:"), info);
      assertTrue(info.contains("\r\nmaxmemory_policy:noeviction\r\n"), info);
      assertFalse(info.contains("# Commandstats"), info);
      for (String line : info.split("\r\n")) {
        assertTrue(line.isEmpty() || line.startsWith("# ") || line.indexOf(':') > 0, line);
      }
      assertTrue(info.endsWith("\r\n"), info);
    }
  }

  @Test
  void infoSections() {
    try (RespClient c = NODE.connect()) {
      String server = info(c, "server");
      assertTrue(server.startsWith("# Server\r\n") && !server.contains("# Clients"), server);
      String two = info(c, "server", "CLIENTS");
      assertTrue(two.startsWith("# Server\r\n"), two);
      assertTrue(two.contains("\r\n\r\n# Clients\r\n"), two);
      assertFalse(two.contains("# Memory"), two);
      String all = info(c, "all");
      for (String h : DEFAULT_HEADERS) {
        assertTrue(all.contains(h + "\r\n"), h + " in INFO all");
      }
      assertTrue(all.contains("# Commandstats\r\n"), all);
      assertTrue(all.contains("# Latencystats\r\n"), all);
      assertTrue(all.contains("cmdstat_info:calls="), all);
      assertEquals("", info(c, "nosuchsection"));
      assertEquals(
          "# Replication\r\n", info(c, "replication").substring(0, "# Replication\r\n".length()));
    }
  }

  @Test
  void configGetGlobsAndMultiplePatterns() {
    try (RespClient c = NODE.connect()) {
      assertEquals(
          "*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n",
          c.call("CONFIG", "GET", "maxmemory-policy"));
      // An exact name is echoed as written, as Redis does.
      assertEquals(
          "*2\r\n$16\r\nMAXMEMORY-POLICY\r\n$10\r\nnoeviction\r\n",
          c.call("CONFIG", "GET", "MAXMEMORY-POLICY"));
      assertTrue(c.call("CONFIG", "GET", "MAXMEM*").contains("$16\r\nmaxmemory-policy\r\n"));
      assertEquals("*0\r\n", c.call("CONFIG", "GET", "no-such-thing"));
      String max = c.call("CONFIG", "GET", "maxmemory*");
      assertTrue(max.startsWith("*6\r\n"), max);
      assertTrue(max.contains("$9\r\nmaxmemory\r\n"), max);
      assertTrue(max.contains("$17\r\nmaxmemory-samples\r\n"), max);
      // CONFIG GET port shows the configured port (0 here), as Redis shows its configured one.
      assertEquals(
          "*4\r\n$4\r\nport\r\n$1\r\n0\r\n$9\r\ndatabases\r\n$2\r\n16\r\n",
          c.call("CONFIG", "GET", "port", "databases", "port"));
      String every = c.call("CONFIG", "GET", "*");
      for (String name : new String[] {"bind", "timeout", "save", "appendonly", "requirepass"}) {
        assertTrue(every.contains("$" + name.length() + "\r\n" + name + "\r\n"), name);
      }
      assertTrue(every.contains("$24\r\nhash-max-ziplist-entries\r\n"), "aliases are listed");
      assertTrue(c.call("CONFIG", "GET", "*max-*-entries").contains("hash-max-listpack-entries"));
      assertEquals(
          "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", c.call("CONFIG", "GET", "appendonly"));
      assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "save"));
      c.call("HELLO", "3");
      assertEquals(
          "%1\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n",
          c.call("CONFIG", "GET", "maxmemory-policy"));
    }
  }

  @Test
  void configSetIsAllOrNothingWithRedisTexts() {
    try (TestNode node = TestNode.start();
        RespClient c = node.connect()) {
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory-samples", "7", "timeout", "0"));
      assertEquals(
          "*2\r\n$17\r\nmaxmemory-samples\r\n$1\r\n7\r\n",
          c.call("CONFIG", "GET", "maxmemory-samples"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument"
              + " must be between 1 and 64 inclusive\r\n",
          c.call("CONFIG", "SET", "timeout", "5", "MAXMEMORY-SAMPLES", "0"));
      assertEquals("*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n", c.call("CONFIG", "GET", "timeout"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'save') - snapshots are not"
              + " supported; save must be empty\r\n",
          c.call("CONFIG", "SET", "maxmemory-samples", "9", "save", "900 1"));
      assertEquals(
          "*2\r\n$17\r\nmaxmemory-samples\r\n$1\r\n7\r\n",
          c.call("CONFIG", "GET", "maxmemory-samples"));
      assertEquals(
          "-ERR Unknown option or number of arguments for CONFIG SET - 'nope'\r\n",
          c.call("CONFIG", "SET", "nope", "1"));
      assertEquals(
          "-ERR Unknown option or number of arguments for CONFIG SET - 'nope'\r\n",
          c.call("CONFIG", "SET", "maxmemory-samples", "x", "nope", "1"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'databases') - can't set"
              + " immutable config\r\n",
          c.call("CONFIG", "SET", "databases", "4"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'timeout') - duplicate"
              + " parameter\r\n",
          c.call("CONFIG", "SET", "timeout", "1", "timeout", "2"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s)"
              + " must be one of the following: volatile-lru, volatile-lfu, volatile-random,"
              + " volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction\r\n",
          c.call("CONFIG", "SET", "maxmemory-policy", "lru"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument"
              + " must be 'yes' or 'no'\r\n",
          c.call("CONFIG", "SET", "protected-mode", "maybe"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be"
              + " a memory value\r\n",
          c.call("CONFIG", "SET", "maxmemory", "lots"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't"
              + " be parsed into an integer\r\n",
          c.call("CONFIG", "SET", "timeout", "soon"));
      assertEquals("-ERR syntax error\r\n", c.call("CONFIG", "SET", "timeout", "1", "hz"));
      assertEquals(
          "-ERR wrong number of arguments for 'config|set' command\r\n",
          c.call("CONFIG", "SET", "timeout"));
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", "1gb"));
      assertEquals(
          "*2\r\n$9\r\nmaxmemory\r\n$10\r\n1073741824\r\n", c.call("CONFIG", "GET", "maxmemory"));
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "maxmemory", "0", "maxmemory-samples", "5"));
    }
  }

  @Test
  void configResetstatClearsCounters() {
    try (RespClient c = NODE.connect()) {
      c.call("NOSUCH");
      assertTrue(info(c, "errorstats").contains("errorstat_ERR:count="));
      assertEquals("+OK\r\n", c.call("CONFIG", "RESETSTAT"));
      String stats = info(c, "errorstats", "commandstats");
      assertFalse(stats.contains("errorstat_ERR"), stats);
      assertFalse(stats.contains("cmdstat_ping"), stats);
    }
  }

  @Test
  void configRewriteWithoutFileFails() {
    try (RespClient c = NODE.connect()) {
      assertEquals(
          "-ERR The server is running without a config file\r\n", c.call("CONFIG", "REWRITE"));
    }
  }

  @Test
  void configRewriteKeepsCommentsAndAppendsChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("roost.conf");
    Files.write(file, List.of("# my comment", "timeout 5", ""), StandardCharsets.UTF_8);
    try (TestNode node = TestNode.start(s -> s.configFile = file.toString());
        RespClient c = node.connect()) {
      assertEquals("+OK\r\n", c.call("CONFIG", "SET", "timeout", "9", "maxmemory-samples", "11"));
      assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      assertEquals("# my comment", lines.get(0));
      assertEquals("timeout 9", lines.get(1));
      assertTrue(lines.contains("maxmemory-samples 11"), lines.toString());
      assertFalse(String.join("\n", lines).contains("requirepass"), lines.toString());
    }
  }

  @Test
  void clusterSecretIsNeverShownNorCopiedIntoTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("roost.conf");
    Files.write(file, List.of("timeout 5"), StandardCharsets.UTF_8);
    String secret = "a-cluster-secret-0123456789";
    try (TestNode node =
            TestNode.start(
                s -> {
                  s.configFile = file.toString();
                  s.clusterSecret = secret;
                });
        RespClient c = node.connect()) {
      assertEquals(
          "*2\r\n$14\r\ncluster-secret\r\n$10\r\n(redacted)\r\n",
          c.call("CONFIG", "GET", "cluster-secret"));
      assertFalse(c.call("CONFIG", "GET", "*").contains(secret));
      assertTrue(c.call("CONFIG", "GET", "cluster-*").contains("(redacted)"));
      assertEquals(
          "-ERR CONFIG SET failed (possibly related to argument 'cluster-secret') - can't set"
              + " immutable config\r\n",
          c.call("CONFIG", "SET", "cluster-secret", "another-secret-0123456789"));
      // Given outside the file (here: as on the command line), it stays out of the file.
      assertEquals("+OK\r\n", c.call("CONFIG", "REWRITE"));
      assertFalse(Files.readString(file).contains("cluster-secret"), Files.readString(file));
    }
    try (TestNode node = TestNode.start();
        RespClient c = node.connect()) {
      assertEquals(
          "*2\r\n$14\r\ncluster-secret\r\n$0\r\n\r\n", c.call("CONFIG", "GET", "cluster-secret"));
    }
  }

  @Test
  void time() {
    try (RespClient c = NODE.connect()) {
      Matcher m =
          Pattern.compile("\\*2\r\n\\$\\d+\r\n(\\d+)\r\n\\$\\d+\r\n(\\d+)\r\n")
              .matcher(c.call("TIME"));
      assertTrue(m.matches());
      long micros = Long.parseLong(m.group(2));
      assertTrue(micros >= 0 && micros < 1_000_000, m.group(2));
      assertTrue(Long.parseLong(m.group(1)) > 1_600_000_000L, m.group(1));
      assertEquals("-ERR wrong number of arguments for 'time' command\r\n", c.call("TIME", "x"));
    }
  }

  @Test
  void slowlogRecordsEveryCommandAtThresholdZero() {
    try (TestNode node = TestNode.start(s -> s.slowlogLogSlowerThanMicros = 0);
        RespClient c = node.connect()) {
      assertEquals("+OK\r\n", c.call("SLOWLOG", "RESET"));
      c.call("CLIENT", "SETNAME", "slow-one");
      c.call("ECHO", "x".repeat(200));
      c.call("CONFIG", "SET", "requirepass", "");
      String[] many = new String[40];
      many[0] = "PING";
      for (int i = 1; i < many.length; i++) {
        many[i] = "a" + i;
      }
      c.call(many);
      // A command is logged after it runs, so the newest entry is the PING.
      String one = c.call("SLOWLOG", "GET", "1");
      String addr = "127.0.0.1:" + c.socket().getLocalPort();
      String more = "... (9 more arguments)";
      assertTrue(
          Pattern.compile(
                  "\\*1\r\n\\*6\r\n:\\d+\r\n:\\d+\r\n:\\d+\r\n\\*32\r\n\\$4\r\nPING\r\n"
                      + "(\\$\\d+\r\na\\d+\r\n){30}"
                      + Pattern.quote("$" + more.length() + "\r\n" + more + "\r\n")
                      + Pattern.quote("$" + addr.length() + "\r\n" + addr + "\r\n")
                      + "\\$8\r\nslow-one\r\n")
              .matcher(one)
              .matches(),
          one);
      String all = c.call("SLOWLOG", "GET", "-1");
      String truncated = "x".repeat(128) + "... (72 more bytes)";
      assertTrue(all.contains("$" + truncated.length() + "\r\n" + truncated + "\r\n"), all);
      assertTrue(
          all.contains(
              "$6\r\nCONFIG\r\n" + "$3\r\nSET\r\n$11\r\nrequirepass\r\n$10\r\n(redacted)\r\n"),
          all);
      String len = c.call("SLOWLOG", "LEN");
      assertTrue(len.matches(":[5-9]\r\n"), len);
      assertEquals(
          "-ERR count should be greater than or equal to -1\r\n", c.call("SLOWLOG", "GET", "-2"));
      assertEquals(
          "-ERR count should be greater than or equal to -1\r\n", c.call("SLOWLOG", "GET", "x"));
      assertEquals("+OK\r\n", c.call("SLOWLOG", "RESET"));
      String after = c.call("SLOWLOG", "LEN");
      assertTrue(after.matches(":[01]\r\n"), after);
      assertTrue(c.call("SLOWLOG", "HELP").contains("+SLOWLOG <subcommand>"));
    }
  }

  @Test
  void slowlogIsOffWhenNegative() {
    try (TestNode node = TestNode.start(s -> s.slowlogLogSlowerThanMicros = -1);
        RespClient c = node.connect()) {
      c.call("PING");
      assertEquals(":0\r\n", c.call("SLOWLOG", "LEN"));
      assertEquals("*0\r\n", c.call("SLOWLOG", "GET"));
    }
  }

  @Test
  void monitorSeesOtherConnectionsCommands() {
    try (RespClient mon = NODE.connect();
        RespClient c = NODE.connect()) {
      assertEquals("+OK\r\n", mon.call("MONITOR"));
      c.call("SELECT", "2");
      c.call("ECHO", "he\"llo\n\u0001");
      String addr = "127.0.0.1:" + c.socket().getLocalPort();
      // Fed after execution, as Redis: SELECT shows the database it selected.
      String first = mon.read();
      assertTrue(
          Pattern.compile(
                  "\\+\\d+\\.\\d{6} \\[2 " + Pattern.quote(addr) + "\\] \"SELECT\" \"2\"\r\n")
              .matcher(first)
              .matches(),
          first);
      String second = mon.read();
      assertTrue(second.endsWith(" [2 " + addr + "] \"ECHO\" \"he\\\"llo\\n\\x01\"\r\n"), second);
      c.call("AUTH", "default", "secret-password");
      String auth = mon.read();
      assertFalse(auth.contains("secret-password"), auth);
      assertTrue(auth.endsWith("\"AUTH\" \"(redacted)\" \"(redacted)\"\r\n"), auth);
      c.call("HELLO", "2", "AUTH", "default", "pw-in-hello");
      String hello = mon.read();
      assertTrue(
          hello.endsWith("\"HELLO\" \"2\" \"AUTH\" \"(redacted)\" \"(redacted)\"\r\n"), hello);
      // Admin commands are never shown, nor rejected ones.
      c.call("CONFIG", "SET", "timeout", "0");
      c.call("CLIENT", "LIST");
      c.call("NOSUCH");
      c.call("PING");
      String ping = mon.read();
      assertTrue(ping.endsWith(" [2 " + addr + "] \"PING\"\r\n"), ping);
    }
  }

  @Test
  void commandCountInfoDocsListGetkeys() {
    try (RespClient c = NODE.connect()) {
      int count =
          (int)
              NODE.server().commands().commands().stream()
                  .filter(s -> !s.has(io.roost.server.command.Flag.INTERNAL))
                  .count();
      assertTrue(count < NODE.server().commands().commands().size(), "internal commands exist");
      assertEquals(":" + count + "\r\n", c.call("COMMAND", "COUNT"));
      assertTrue(c.call("COMMAND").startsWith("*" + count + "\r\n"));
      String ping = c.call("COMMAND", "INFO", "ping");
      assertTrue(
          ping.startsWith("*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n*2\r\n+fast\r\n+sentinel\r\n"), ping);
      assertEquals("*2\r\n$-1\r\n$-1\r\n", c.call("COMMAND", "INFO", "nosuch", "other"));
      String setname = c.call("COMMAND", "INFO", "client|setname");
      assertTrue(setname.startsWith("*1\r\n*10\r\n$14\r\nclient|setname\r\n:3\r\n"), setname);
      String docs = c.call("COMMAND", "DOCS", "echo");
      assertTrue(docs.startsWith("*2\r\n$4\r\necho\r\n*8\r\n$7\r\nsummary\r\n"), docs);
      assertEquals("*0\r\n", c.call("COMMAND", "DOCS", "nosuch"));
      assertEquals("*1\r\n$-1\r\n", c.call("COMMAND", "INFO", "nosuch"));
      String list = c.call("COMMAND", "LIST");
      assertTrue(list.contains("$4\r\nping\r\n") && list.contains("$14\r\nclient|setname\r\n"));
      String filtered = c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "cl*");
      assertTrue(filtered.contains("$6\r\nclient\r\n"), filtered);
      assertFalse(filtered.contains("$4\r\nping\r\n"), filtered);
      assertEquals("-ERR syntax error\r\n", c.call("COMMAND", "LIST", "FILTERBY", "x", "y"));
      assertEquals(
          "-ERR The command has no key arguments\r\n", c.call("COMMAND", "GETKEYS", "PING"));
      assertEquals(
          "-ERR Invalid command specified\r\n", c.call("COMMAND", "GETKEYS", "nosuch", "k"));
      assertEquals(
          "-ERR The command has no key arguments\r\n", c.call("COMMAND", "GETKEYS", "ECHO"));
      assertEquals(
          "-ERR wrong number of arguments for 'command|getkeys' command\r\n",
          c.call("COMMAND", "GETKEYS"));
      assertTrue(c.call("COMMAND", "HELP").contains("+COMMAND <subcommand>"));
      // Internal commands (run only for other nodes) are unknown to clients, as in Redis 8.
      assertEquals("*1\r\n$-1\r\n", c.call("COMMAND", "INFO", "roost.dump"));
      assertEquals("*0\r\n", c.call("COMMAND", "DOCS", "roost.keys"));
      assertFalse(c.call("COMMAND", "LIST").contains("roost."));
      assertEquals(
          "-ERR Invalid command specified\r\n", c.call("COMMAND", "GETKEYS", "roost.dump", "k"));
      assertEquals(
          "-ERR unknown command 'ROOST.DUMP', with args beginning with: 'k' \r\n",
          c.call("ROOST.DUMP", "k"));
      assertEquals(
          "-ERR unknown command 'roost.keycount', with args beginning with: \r\n",
          c.call("roost.keycount"));
      c.call("HELLO", "3");
      String info3 = c.call("COMMAND", "INFO", "ping");
      assertTrue(info3.startsWith("*1\r\n*10\r\n$4\r\nping\r\n:-1\r\n~2\r\n+fast\r\n"), info3);
      assertTrue(c.call("COMMAND", "DOCS", "echo").startsWith("%1\r\n$4\r\necho\r\n%4\r\n"));
    }
  }

  @Test
  void commandGetkeysWithKeyedCommands() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        NODE.server().commands().find("set") != null, "SET not in the command table yet");
    try (RespClient c = NODE.connect()) {
      assertEquals("*1\r\n$1\r\nk\r\n", c.call("COMMAND", "GETKEYS", "SET", "k", "v"));
    }
  }
}
