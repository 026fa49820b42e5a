package io.roost.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * express-session with connect-redis, over ioredis and over node-redis, on a 3-node Roost cluster
 * (owners 2, replication sync, {@code cluster-mode roost}) survives the crash of the node its
 * client is connected to: a browser logs in through an express app ({@code
 * compat/node/cluster-app.js}, real HTTP) whose client is on node 1, node 1 is killed with {@code
 * kill -9}, and with the cookie from before the browser reads its session, updates it and logs out
 * through node 2; node 3 sees each change, and the logged-out session stays gone once the failover
 * has settled. A second browser's session, untouched after the crash, keeps its value and absolute
 * expiry to the millisecond.
 *
 * <p>How the app reaches node 2: over ioredis the same app and client carry on, its client having a
 * failover list (nodes 1, 2, 3) through ioredis's {@code Connector} option; over node-redis, whose
 * standalone client takes one endpoint, the app is restarted with its client on node 2, as a web
 * tier would replace an instance whose store went away. The sessions' prefix carries a hash tag
 * whose slot has node 1 as its primary, so the crash takes the primary of the sessions away.
 *
 * <p>Figures (logger {@code roost.figures}): time from the kill to the first successful read
 * through the app, the failed requests before it, the store errors express-session saw meanwhile,
 * the app restart (node-redis), the time until the survivors' slot map no longer names node 1. Only
 * behaviour is asserted.
 */
class NodeSessionClusterIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  @Nested
  class OverIoredis extends Scenario {
    OverIoredis() {
      // Client ports 17311..17313, peer ports 17971..17973.
      super("ioredis", 17310, 17970, true);
    }
  }

  @Nested
  class OverNodeRedis extends Scenario {
    OverNodeRedis() {
      // Client ports 17321..17323, peer ports 17981..17983.
      super("node-redis", 17320, 17980, false);
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  abstract static class Scenario {
    static final int VICTIM = 1;
    static final int OTHER = 2;
    static final int READER = 3;
    static final String COOKIE = "roost.sid";

    /** Longer than the test: the untouched session must not expire while it runs. */
    static final long MAX_AGE_MS = Duration.ofMinutes(20).toMillis();

    static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(60);
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");
    private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("\"errors\":(\\[.*\\])");

    private final String client;
    private final int basePort;
    private final int basePeerPort;
    private final boolean failoverList;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final Browser alice = new Browser("alice");
    private final Browser bob = new Browser("bob");

    /** Asks the app about its store without a cookie, so that no session is read or touched. */
    private final Browser anonymous = new Browser("anonymous");

    private RoostCluster cluster;
    private HttpClient http;
    private NodeApp app;
    private String prefix;
    private String bobValue;
    private long bobExpiresAtMs;
    private long killedNs;

    /**
     * @param failoverList whether the app's client is given every node (else node 1 alone, and the
     *     app is restarted on node 2 after the crash)
     */
    Scenario(String client, int basePort, int basePeerPort, boolean failoverList) {
      this.client = client;
      this.basePort = basePort;
      this.basePeerPort = basePeerPort;
      this.failoverList = failoverList;
    }

    @BeforeAll
    void start() {
      NodeProject.ensureInstalled();
      cluster =
          RoostCluster.start(
              "node-" + client,
              3,
              basePort,
              basePeerPort,
              "--owners",
              "2",
              "--replication",
              "sync",
              "--io-threads",
              "1");
      String tag = cluster.tagWithPrimary(VICTIM);
      prefix = "roost-compat:{" + tag + "}:" + client + ":" + ProcessHandle.current().pid() + ":";
      int slot = SlotHash.getSlot(tag);
      figures.put("slot", Integer.toString(slot));
      figures.put("ownersBeforeKill", cluster.owners(VICTIM, slot).toString());
      http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
      List<Integer> ports =
          failoverList
              ? List.of(cluster.port(VICTIM), cluster.port(OTHER), cluster.port(READER))
              : List.of(cluster.port(VICTIM));
      app = NodeApp.start(client + "-1", client, ports, prefix);
    }

    @AfterAll
    void stop() {
      FIGURES.info("test=node-session-cluster client={} {}", client, figures);
      try {
        if (app != null) {
          app.close();
        }
        if (http != null) {
          http.close();
        }
      } finally {
        if (cluster != null) {
          cluster.close();
        }
      }
    }

    @Test
    @Order(1)
    void loginThroughNode1() {
      for (Browser browser : List.of(alice, bob)) {
        String login =
            "{\"name\":\""
                + browser.name
                + "\",\"role\":\"reader\",\"maxAgeMs\":"
                + MAX_AGE_MS
                + "}";
        Response res = request(browser, "POST", "/login", login);
        assertEquals(200, res.status(), res.body());
        browser.sid = group(SID, res.body());
        assertNotNull(browser.cookie, "no session cookie set for " + browser.name);
      }
      assertStoreOn(VICTIM);
      assertTrue(
          stored(VICTIM, alice).contains("\"user\":{\"name\":\"alice\",\"role\":\"reader\"}"));
      bobValue = stored(VICTIM, bob);
      bobExpiresAtMs = pexpiretime(VICTIM, bob);
      assertTrue(bobExpiresAtMs > System.currentTimeMillis(), "expiresAtMs=" + bobExpiresAtMs);
    }

    @Test
    @Order(2)
    void killNode1ThenReadWithTheCookieFromBefore() {
      assertNotNull(alice.sid, "login did not leave a session");
      cluster.kill(VICTIM);
      killedNs = System.nanoTime();
      if (!failoverList) {
        long restartNs = System.nanoTime();
        app.close();
        app = NodeApp.start(client + "-2", client, List.of(cluster.port(OTHER)), prefix);
        figures.put("appRestartMs", Long.toString(msSince(restartNs)));
      }

      String expected = me(alice, "reader");
      Map<String, Integer> failures = new LinkedHashMap<>();
      Await.until(
          () ->
              "alice's session readable through the app; failures=" + failures + "\n" + app.tail(),
          FAILOVER_DEADLINE,
          () -> {
            Response res;
            try {
              res = call(alice, "GET", "/me", null);
            } catch (IOException e) {
              failures.merge("http: " + e, 1, Integer::sum);
              return false;
            }
            if (res.status() != 200) {
              failures.merge(res.status() + " " + truncate(res.body()), 1, Integer::sum);
              return false;
            }
            // An answer without the user is not a transient error: the session is lost.
            assertEquals(expected, res.body(), "session lost after kill of node 1");
            return true;
          });
      figures.put("killToFirstReadMs", Long.toString(msSince(killedNs)));
      figures.put("failedReadsAfterKill", Integer.toString(sum(failures)));
      figures.put("failures", failures.toString());
      String store = get(anonymous, "/_store").body();
      figures.put("storeErrorsDuringFailover", group(ERRORS, store));
      assertEquals(cluster.port(OTHER), Integer.parseInt(group(PORT, store)), store);

      long pttl = cluster.probe(READER, c -> c.pttl(key(alice))).longValue();
      assertTrue(pttl > 0 && pttl <= MAX_AGE_MS, "pttl=" + pttl);
      // The untouched session: same bytes, same absolute expiry, through both survivors.
      for (int node : List.of(OTHER, READER)) {
        assertEquals(bobValue, stored(node, bob), "bob's session through node=" + node);
        assertEquals(bobExpiresAtMs, pexpiretime(node, bob), "bob's expiry through node=" + node);
      }
    }

    @Test
    @Order(3)
    void updateThroughNode2ReadThroughNode3() {
      Response res = request(alice, "POST", "/update", "{\"role\":\"admin\"}");
      assertEquals(200, res.status(), res.body());
      assertTrue(
          stored(READER, alice).contains("\"user\":{\"name\":\"alice\",\"role\":\"admin\"}"),
          stored(READER, alice));
      assertEquals(me(alice, "admin"), request(alice, "GET", "/me", null).body());
      assertStoreOn(OTHER);
    }

    @Test
    @Order(4)
    void logoutThroughNode2() {
      Response res = request(alice, "POST", "/logout", null);
      assertEquals(200, res.status(), res.body());
      for (int node : List.of(OTHER, READER)) {
        assertEquals(0L, exists(node, alice), "node=" + node);
      }
      // The old cookie gets a new, empty session.
      String me = request(alice, "GET", "/me", null).body();
      assertTrue(me.endsWith(",\"user\":null}"), me);
      assertStoreOn(OTHER);
    }

    @Test
    @Order(5)
    void afterFailoverSettledTheLogoutHoldsAndTheOtherSessionStays() {
      int dead = cluster.port(VICTIM);
      Await.until(
          "nodes 2 and 3 serve every slot without node 1",
          FAILOVER_DEADLINE,
          () -> cluster.settledWithout(OTHER, dead) && cluster.settledWithout(READER, dead));
      figures.put("killToSettledMs", Long.toString(msSince(killedNs)));

      for (int node : List.of(OTHER, READER)) {
        assertEquals(0L, exists(node, alice), "logged-out session back through node=" + node);
        assertEquals(bobValue, stored(node, bob), "bob's session through node=" + node);
      }
      assertEquals(me(bob, "reader"), request(bob, "GET", "/me", null).body());
      assertStoreOn(OTHER);
    }

    /** The body of GET /me for a logged-in browser. */
    private static String me(Browser browser, String role) {
      return "{\"sid\":\"%s\",\"user\":{\"name\":\"%s\",\"role\":\"%s\"}}"
          .formatted(browser.sid, browser.name, role);
    }

    private String key(Browser browser) {
      assertNotNull(browser.sid, "an earlier step did not log " + browser.name + " in");
      return prefix + browser.sid;
    }

    private long pexpiretime(int node, Browser browser) {
      return cluster.probe(node, c -> c.pexpiretime(key(browser))).longValue();
    }

    private long exists(int node, Browser browser) {
      return cluster.probe(node, c -> c.exists(key(browser))).longValue();
    }

    private String stored(int node, Browser browser) {
      String value = cluster.probe(node, c -> c.get(key(browser)));
      assertNotNull(value, "no value at " + key(browser) + " through node=" + node);
      return value;
    }

    /** The app's client is on {@code node}, and the store returned no error since last asked. */
    private void assertStoreOn(int node) {
      String store = get(anonymous, "/_store").body();
      assertEquals(cluster.port(node), Integer.parseInt(group(PORT, store)), store);
      assertEquals("[]", group(ERRORS, store), "store errors: " + store);
    }

    private Response get(Browser browser, String path) {
      return request(browser, "GET", path, null);
    }

    private Response request(Browser browser, String method, String path, String json) {
      try {
        return call(browser, method, path, json);
      } catch (IOException e) {
        return fail(method + " " + path + ": " + e + "\n" + app.tail(), e);
      }
    }

    /** One HTTP call as {@code browser}: sends its cookie, keeps a new one. */
    private Response call(Browser browser, String method, String path, String json)
        throws IOException {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(app.uri(path))
              .timeout(HTTP_TIMEOUT)
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) {
        builder.header("content-type", "application/json");
      }
      if (browser.cookie != null) {
        builder.header("cookie", browser.cookie);
      }
      HttpResponse<String> res;
      try {
        res = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      for (String line : res.headers().allValues("set-cookie")) {
        String pair = line.split(";", 2)[0];
        // A clearing Set-Cookie (logout) is ignored on purpose, as in scenario.js: the browser
        // keeps
        // sending the old cookie, which proves the server side forgot the session.
        boolean cleared =
            pair.equals(COOKIE + "=") || line.toLowerCase().contains("expires=thu, 01 jan 1970");
        if (pair.startsWith(COOKIE + "=") && !cleared) {
          browser.cookie = pair;
        }
      }
      return new Response(res.statusCode(), res.body());
    }

    private static String group(Pattern pattern, String text) {
      Matcher m = pattern.matcher(text);
      if (!m.find()) {
        fail("no " + pattern + " in " + text);
      }
      return m.group(1);
    }

    private static String truncate(String text) {
      return text.length() > 80 ? text.substring(0, 80) : text;
    }

    private static int sum(Map<String, Integer> counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static long msSince(long startNs) {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
  }

  /** A browser's cookie jar and the session id the app reported at login. */
  static final class Browser {
    final String name;
    String cookie;
    String sid;

    Browser(String name) {
      this.name = name;
    }
  }

  record Response(int status, String body) {}
}
