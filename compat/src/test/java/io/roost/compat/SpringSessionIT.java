package io.roost.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * Spring Session's default Redis repository ({@code RedisSessionRepository} over Lettuce, wired the
 * way {@code @EnableRedisHttpSession} wires it, see {@link SpringSessionStack}) runs login → read →
 * update → id change → logout → expiry against a real {@code redis-server} and against an
 * in-process Roost node.
 *
 * <p>Each step drives the repository as {@code SessionRepositoryFilter} would for one request and
 * then checks the stored hash directly through the template, so a store that only seems to work
 * through the repository's own view still fails. The steps of one target share one session and run
 * in order.
 */
class SpringSessionIT {

  @Nested
  class AgainstRedisServer extends Scenario {
    @Override
    Target startTarget() {
      return RedisServerTarget.start();
    }
  }

  @Nested
  class AgainstRoost extends Scenario {
    @Override
    Target startTarget() {
      return RoostTarget.start();
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  abstract static class Scenario {
    private static final String ATTR = "sessionAttr:";
    private static final Duration DEFAULT_MAX_INACTIVE = SpringSessionStack.DEFAULT_MAX_INACTIVE;
    private static final Duration EXPIRY_DEADLINE = Duration.ofSeconds(10);

    private Target target;
    private SpringSessionStack stack;
    private RedisTemplate<String, Object> template;
    private SessionRepository<Session> repository;

    /** The session the ordered steps share; null until login succeeded. */
    private String sessionId;

    abstract Target startTarget();

    @BeforeAll
    void start() {
      target = startTarget();
      stack =
          SpringSessionStack.open(
              target.port(),
              "roost-compat:spring:" + target.name() + ":" + ProcessHandle.current().pid());
      template = stack.template;
      repository = stack.repository;
    }

    @AfterAll
    void stop() {
      try {
        if (stack != null) {
          stack.close();
        }
      } finally {
        if (target != null) {
          target.close();
        }
      }
    }

    @Test
    @Order(1)
    void login() {
      Session session = repository.createSession();
      session.setAttribute("user", "alice");
      session.setAttribute("role", "reader");
      repository.save(session);
      sessionId = session.getId();

      Map<String, Object> stored = stored(sessionId);
      assertEquals("alice", stored.get(ATTR + "user"));
      assertEquals("reader", stored.get(ATTR + "role"));
      assertEquals((int) DEFAULT_MAX_INACTIVE.toSeconds(), stored.get("maxInactiveInterval"));
      assertEquals(session.getCreationTime().toEpochMilli(), stored.get("creationTime"));
      assertTtlWithin(sessionId, DEFAULT_MAX_INACTIVE);
    }

    @Test
    @Order(2)
    void read() {
      Session session = find(sessionId);
      assertEquals("alice", session.getAttribute("user"));
      assertEquals("reader", session.getAttribute("role"));
      assertEquals(Set.of("user", "role"), session.getAttributeNames());

      // Every request through SessionRepositoryFilter touches the session and saves it.
      Instant now = Instant.now();
      session.setLastAccessedTime(now);
      repository.save(session);
      assertEquals(now.toEpochMilli(), stored(sessionId).get("lastAccessedTime"));
      assertTtlWithin(sessionId, DEFAULT_MAX_INACTIVE);
    }

    @Test
    @Order(3)
    void update() {
      // Two concurrent requests load the same session and change different attributes: only the
      // changed fields are written, so neither save undoes the other.
      Session first = find(sessionId);
      Session second = find(sessionId);
      first.setAttribute("role", "admin");
      second.setAttribute("lastPage", "/cart");
      repository.save(first);
      repository.save(second);

      Map<String, Object> stored = stored(sessionId);
      assertEquals("alice", stored.get(ATTR + "user"));
      assertEquals("admin", stored.get(ATTR + "role"));
      assertEquals("/cart", stored.get(ATTR + "lastPage"));
      Session reread = find(sessionId);
      assertEquals("admin", reread.getAttribute("role"));
      assertEquals("/cart", reread.getAttribute("lastPage"));
      assertTtlWithin(sessionId, DEFAULT_MAX_INACTIVE);
    }

    @Test
    @Order(4)
    void idChange() {
      String oldId = sessionId;
      Session session = find(oldId);
      String newId = session.changeSessionId();
      repository.save(session);
      sessionId = newId;

      assertNotEquals(oldId, newId);
      assertFalse(template.hasKey(key(oldId)), "old session key still present");
      assertNull(repository.findById(oldId));
      Session moved = find(newId);
      assertEquals("alice", moved.getAttribute("user"));
      assertEquals("admin", moved.getAttribute("role"));
      assertEquals("/cart", moved.getAttribute("lastPage"));
      // The rename keeps the key's time to live.
      assertTtlWithin(newId, DEFAULT_MAX_INACTIVE);
    }

    @Test
    @Order(5)
    void logout() {
      Session stale = find(sessionId);
      repository.deleteById(sessionId);

      assertFalse(template.hasKey(key(sessionId)), "session key still present after logout");
      assertNull(repository.findById(sessionId));
      // A request still holding the session cannot bring it back.
      stale.setAttribute("role", "reader");
      assertThrows(IllegalStateException.class, () -> repository.save(stale));
      assertFalse(template.hasKey(key(sessionId)), "logged-out session was written again");
    }

    @Test
    @Order(6)
    void expiry() {
      Session session = repository.createSession();
      session.setMaxInactiveInterval(Duration.ofSeconds(1));
      session.setAttribute("user", "bob");
      repository.save(session);
      String id = session.getId();
      assertEquals("bob", stored(id).get(ATTR + "user"));
      assertTtlWithin(id, Duration.ofSeconds(1));

      // The key itself must go: findById alone would hide a key the store never expires, because
      // the repository also checks lastAccessedTime + maxInactiveInterval and deletes.
      Await.until(
          "session key " + key(id) + " expired by the store",
          EXPIRY_DEADLINE,
          () -> !template.hasKey(key(id)));
      assertNull(repository.findById(id));
    }

    private String key(String id) {
      return stack.key(id);
    }

    private Session find(String id) {
      assertNotNull(id, "an earlier step did not leave a session");
      Session session = repository.findById(id);
      assertNotNull(session, "findById(" + id + ") found nothing");
      return session;
    }

    private Map<String, Object> stored(String id) {
      assertNotNull(id, "an earlier step did not leave a session");
      Map<String, Object> hash = template.<String, Object>opsForHash().entries(key(id));
      assertFalse(hash.isEmpty(), "no hash stored at " + key(id));
      return hash;
    }

    private void assertTtlWithin(String id, Duration max) {
      Long ttlMs = template.getExpire(key(id), TimeUnit.MILLISECONDS);
      assertNotNull(ttlMs);
      assertTrue(
          ttlMs > 0 && ttlMs <= max.toMillis(), "ttlMs=" + ttlMs + " maxMs=" + max.toMillis());
    }
  }
}
