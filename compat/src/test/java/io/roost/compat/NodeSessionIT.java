package io.roost.compat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * express-session with connect-redis, over ioredis and over node-redis, runs login → read → update
 * → id change → logout → expiry through a real express app (the scenario is {@code
 * compat/node/scenario.js}) against a real {@code redis-server} and against an in-process Roost
 * node. Each client is one {@code node --test} process; its output is in the failure message and in
 * {@code target/compat/node-*.log}.
 */
class NodeSessionIT {

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
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  abstract static class Scenario {
    private Target target;

    abstract Target startTarget();

    @BeforeAll
    void start() {
      NodeProject.ensureInstalled();
      target = startTarget();
    }

    @AfterAll
    void stop() {
      if (target != null) {
        target.close();
      }
    }

    @Test
    void connectRedisOverIoredis() {
      NodeProject.test("ioredis.test.js", target);
    }

    @Test
    void connectRedisOverNodeRedis() {
      NodeProject.test("node-redis.test.js", target);
    }
  }
}
