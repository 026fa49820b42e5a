package io.roost.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.session.Session;

/**
 * Spring Session ({@link SpringSessionStack}: {@code RedisSessionRepository} over Lettuce) on a
 * 3-node Roost cluster (owners 2, replication sync, {@code cluster-mode roost}) survives the crash
 * of the node it is connected to: a session created through node 1 is found through node 2 after
 * {@code kill -9} of node 1 with its attributes and expiry, updated there, and the update is read
 * through node 3; a session deleted after the crash stays deleted once the failover has settled.
 *
 * <p>The web tier's Lettuce client is one standalone client with a failover list (nodes 1, 2, 3;
 * see {@link FirstReachableResolver}): after the crash its own reconnect lands on node 2, and the
 * repository object of the web tier is the same before and after. Node 3 is read through a second
 * repository connected to node 3 only. The sessions' namespace carries a hash tag whose slot has
 * node 1 as its primary, so the crash takes the primary of the sessions away (the worst case; a
 * backup's crash is not even noticed by the client of another node).
 *
 * <p>Figures (logger {@code roost.figures}): time from the kill to the first successful read
 * through node 2, the failed attempts before it and their kinds, time until the survivors' slot map
 * no longer names node 1. Only behaviour is asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpringSessionClusterIT {
  private static final Logger FIGURES = LoggerFactory.getLogger("roost.figures");

  /** Client ports 17301..17303, peer ports 17961..17963. */
  static final int BASE_PORT = 17300;

  static final int BASE_PEER_PORT = 17960;
  static final int VICTIM = 1;
  static final int OTHER = 2;
  static final int READER = 3;
  static final Duration MAX_INACTIVE = Duration.ofMinutes(20);
  static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(60);

  private RoostCluster cluster;
  private FirstReachableResolver addresses;
  private SpringSessionStack web;
  private SpringSessionStack node3;
  private final Map<String, String> figures = new LinkedHashMap<>();

  /** What the steps share; set by earlier steps. */
  private String sessionId;

  private String deletedId;
  private Instant created;
  private Instant lastAccessed;
  private long expiresAtMs;
  private long killedNs;

  @BeforeAll
  void start() {
    cluster =
        RoostCluster.start(
            "spring",
            3,
            BASE_PORT,
            BASE_PEER_PORT,
            "--owners",
            "2",
            "--replication",
            "sync",
            "--io-threads",
            "1");
    String tag = cluster.tagWithPrimary(VICTIM);
    String namespace = "roost-compat:{" + tag + "}:spring:" + ProcessHandle.current().pid();
    addresses =
        new FirstReachableResolver(
            List.of(cluster.port(VICTIM), cluster.port(OTHER), cluster.port(READER)));
    web =
        SpringSessionStack.open(
            cluster.port(VICTIM),
            DefaultClientResources.builder().socketAddressResolver(addresses).build(),
            namespace);
    node3 = SpringSessionStack.open(cluster.port(READER), namespace);
    int slot = SlotHash.getSlot(tag);
    figures.put("slot", Integer.toString(slot));
    figures.put("ownersBeforeKill", cluster.owners(VICTIM, slot).toString());
  }

  @AfterAll
  void stop() {
    FIGURES.info("test=spring-session-cluster {}", figures);
    try {
      closeStacks();
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private void closeStacks() {
    try {
      if (web != null) {
        web.close();
      }
    } finally {
      if (node3 != null) {
        node3.close();
      }
    }
  }

  @Test
  @Order(1)
  void loginThroughNode1() {
    Session session = web.repository.createSession();
    session.setMaxInactiveInterval(MAX_INACTIVE);
    session.setAttribute("user", "alice");
    session.setAttribute("role", "reader");
    session.setAttribute("cart", new ArrayList<>(List.of("book", "pen")));
    web.repository.save(session);
    sessionId = session.getId();
    created = session.getCreationTime().truncatedTo(ChronoUnit.MILLIS);
    lastAccessed = session.getLastAccessedTime().truncatedTo(ChronoUnit.MILLIS);

    Session doomed = web.repository.createSession();
    doomed.setAttribute("user", "bob");
    web.repository.save(doomed);
    deletedId = doomed.getId();

    assertEquals(cluster.port(VICTIM), web.serverPort(), "the web tier starts on node 1");
    expiresAtMs = pexpiretime(VICTIM, sessionId);
    assertTrue(expiresAtMs > System.currentTimeMillis(), "expiresAtMs=" + expiresAtMs);
    assertEquals(1L, exists(VICTIM, deletedId));
  }

  @Test
  @Order(2)
  void killNode1ThenReadThroughNode2() {
    assertNotNull(sessionId, "login did not leave a session");
    cluster.kill(VICTIM);
    killedNs = System.nanoTime();

    Map<String, Integer> errors = new LinkedHashMap<>();
    AtomicReference<Session> found = new AtomicReference<>();
    Await.until(
        () -> "session " + sessionId + " readable through the web tier; errors=" + errors,
        FAILOVER_DEADLINE,
        () -> {
          try {
            Session session = web.repository.findById(sessionId);
            // Not found is not a transient error: the session is lost. Fail at once.
            assertNotNull(session, "session " + sessionId + " lost after kill of node 1");
            found.set(session);
            return true;
          } catch (DataAccessException e) {
            errors.merge(kind(e), 1, Integer::sum);
            return false;
          }
        });
    figures.put("killToFirstReadMs", Long.toString(msSince(killedNs)));
    figures.put("failedReadsAfterKill", Integer.toString(sum(errors)));
    figures.put("errorKinds", errors.toString());
    figures.put("readThroughPort", Integer.toString(web.serverPort()));
    figures.put("resolverPort", Integer.toString(addresses.lastPort()));

    Session session = found.get();
    assertEquals(cluster.port(OTHER), web.serverPort(), "the web tier reconnected to node 2");
    assertEquals("alice", session.getAttribute("user"));
    assertEquals("reader", session.getAttribute("role"));
    assertEquals(List.of("book", "pen"), session.getAttribute("cart"));
    assertEquals(Set.of("user", "role", "cart"), session.getAttributeNames());
    assertEquals(MAX_INACTIVE, session.getMaxInactiveInterval());
    assertEquals(created, session.getCreationTime());
    assertEquals(lastAccessed, session.getLastAccessedTime());
    // The absolute expiry the primary computed is the one its backup took over, to the millisecond.
    assertEquals(expiresAtMs, pexpiretime(OTHER, sessionId), "expiry through node 2");
    assertEquals(expiresAtMs, pexpiretime(READER, sessionId), "expiry through node 3");
  }

  @Test
  @Order(3)
  void deleteAfterKill() {
    assertNotNull(deletedId, "login did not leave a second session");
    web.repository.deleteById(deletedId);

    assertNull(web.repository.findById(deletedId));
    assertNull(node3.repository.findById(deletedId));
    assertEquals(0L, exists(OTHER, deletedId));
    assertEquals(0L, exists(READER, deletedId));
  }

  @Test
  @Order(4)
  void updateThroughNode2ReadThroughNode3() {
    Session session = web.repository.findById(sessionId);
    assertNotNull(session, "session " + sessionId + " gone before the update");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    session.setAttribute("role", "admin");
    session.setLastAccessedTime(now);
    web.repository.save(session);
    assertEquals(cluster.port(OTHER), web.serverPort());

    Session read = node3.repository.findById(sessionId);
    assertNotNull(read, "node 3 does not find session " + sessionId);
    assertEquals("alice", read.getAttribute("user"));
    assertEquals("admin", read.getAttribute("role"));
    assertEquals(List.of("book", "pen"), read.getAttribute("cart"));
    assertEquals(MAX_INACTIVE, read.getMaxInactiveInterval());
    assertEquals(created, read.getCreationTime());
    assertEquals(now, read.getLastAccessedTime());
    long ttlMs = node3.template.getExpire(node3.key(sessionId), TimeUnit.MILLISECONDS);
    assertTrue(ttlMs > 0 && ttlMs <= MAX_INACTIVE.toMillis(), "ttlMs=" + ttlMs);
    assertTrue(pexpiretime(READER, sessionId) >= expiresAtMs, "the save moved the expiry back");
  }

  @Test
  @Order(5)
  void afterFailoverSettledTheUpdateStaysAndTheDeletedSessionStaysDeleted() {
    int dead = cluster.port(VICTIM);
    Await.until(
        "nodes 2 and 3 serve every slot without node 1",
        FAILOVER_DEADLINE,
        () -> cluster.settledWithout(OTHER, dead) && cluster.settledWithout(READER, dead));
    figures.put("killToSettledMs", Long.toString(msSince(killedNs)));
    int slot = SlotHash.getSlot(web.key(sessionId));
    figures.put("ownersAfterSettled", cluster.owners(OTHER, slot).toString());

    for (int node : List.of(OTHER, READER)) {
      assertEquals(0L, exists(node, deletedId), "deleted session back through node=" + node);
    }
    assertNull(web.repository.findById(deletedId));
    assertNull(node3.repository.findById(deletedId));
    for (SpringSessionStack tier : List.of(web, node3)) {
      Session session = tier.repository.findById(sessionId);
      assertNotNull(session, "session " + sessionId + " lost after the failover settled");
      assertEquals("admin", session.getAttribute("role"));
    }
    assertEquals(pexpiretime(OTHER, sessionId), pexpiretime(READER, sessionId));
  }

  private long pexpiretime(int node, String id) {
    Long at = cluster.probe(node, c -> c.pexpiretime(web.key(id)));
    assertNotNull(at);
    return at;
  }

  private long exists(int node, String id) {
    return cluster.probe(node, c -> c.exists(web.key(id)));
  }

  private static String kind(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    return root.getClass().getSimpleName()
        + ": "
        + (message.length() > 80 ? message.substring(0, 80) : message);
  }

  private static int sum(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static long msSince(long startNs) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
  }
}
