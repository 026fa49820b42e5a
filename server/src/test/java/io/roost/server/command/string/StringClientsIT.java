package io.roost.server.command.string;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.roost.server.LettuceClients;
import io.roost.server.RoostExtension;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** Jedis and Lettuce smoke tests of GET, SET, EXPIRE and SCAN in RESP2 and RESP3. */
class StringClientsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedis(RedisProtocol protocol) {
    var config =
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000).build();
    String p = "jedis-" + protocol + ":";
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", NODE.port()), config)) {
      assertNull(jedis.get(p + "missing"));
      assertEquals("OK", jedis.set(p + "k", "v"));
      assertEquals("v", jedis.get(p + "k"));
      assertNull(jedis.set(p + "k", "w", SetParams.setParams().nx()));
      assertEquals("v", jedis.setGet(p + "k", "w", SetParams.setParams().ex(100)));
      assertTrue(jedis.ttl(p + "k") > 90);
      assertEquals(1, jedis.expire(p + "k", 200));
      assertEquals(1, jedis.persist(p + "k"));
      assertEquals(-1, jedis.ttl(p + "k"));
      assertEquals(11, jedis.incrBy(p + "n", 11));
      assertEquals(11.5, jedis.incrByFloat(p + "n", 0.5));
      assertEquals(List.of("w", "11.5"), jedis.mget(p + "k", p + "n"));
      Set<String> seen = new HashSet<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> r = jedis.scan(cursor, new ScanParams().match(p + "*").count(1));
        seen.addAll(r.getResult());
        cursor = r.getCursor();
      } while (!cursor.equals("0"));
      assertEquals(Set.of(p + "k", p + "n"), seen);
      assertEquals(2, jedis.del(p + "k", p + "n"));
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProtocolVersion.class,
      names = {"RESP2", "RESP3"})
  void lettuce(ProtocolVersion protocol) {
    RedisClient client = LettuceClients.create(NODE.port(), protocol);
    String p = "lettuce-" + protocol + ":";
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      RedisCommands<String, String> r = conn.sync();
      assertNull(r.get(p + "missing"));
      assertEquals("OK", r.set(p + "k", "v"));
      assertEquals("v", r.get(p + "k"));
      assertNull(r.set(p + "k", "w", SetArgs.Builder.nx()));
      assertEquals("OK", r.set(p + "k", "w", SetArgs.Builder.xx().px(100_000)));
      assertTrue(r.pttl(p + "k") > 90_000);
      assertTrue(r.expire(p + "k", 50));
      assertTrue(r.ttl(p + "k") <= 50);
      assertEquals("w", r.getdel(p + "k"));
      assertEquals(0, r.exists(p + "k"));
      assertEquals("OK", r.mset(java.util.Map.of(p + "a", "1", p + "b", "2")));
      Set<String> seen = new HashSet<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches(p + "*").limit(1));
        seen.addAll(page.getKeys());
        cursor = page;
      } while (!cursor.isFinished());
      assertEquals(Set.of(p + "a", p + "b"), seen);
    } finally {
      LettuceClients.shutdown(client);
    }
  }
}
