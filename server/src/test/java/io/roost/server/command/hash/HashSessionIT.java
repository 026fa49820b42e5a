package io.roost.server.command.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.roost.server.LettuceClients;
import io.roost.server.RoostExtension;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The traffic of Spring Session Data Redis's {@code RedisSessionRepository}, sent with Lettuce in
 * RESP2 and RESP3: create a session hash with HMSET and PEXPIRE, read it with HGETALL, save the
 * changed attributes, then invalidate it with DEL. Values are binary (serialized Java objects).
 */
class HashSessionIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(
      value = ProtocolVersion.class,
      names = {"RESP2", "RESP3"})
  void springSessionLifecycle(ProtocolVersion protocol) {
    RedisClient client = LettuceClients.create(NODE.port(), protocol);
    try (StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> redis = conn.sync();
      byte[] key = b("spring:session:sessions:" + protocol + "-7d1a0c1e");
      byte[] serialized = {(byte) 0xAC, (byte) 0xED, 0, 5, 't', 0, 3, 'b', 'o', 'b'};
      Map<byte[], byte[]> created = new LinkedHashMap<>();
      created.put(b("creationTime"), b("1700000000000"));
      created.put(b("lastAccessedTime"), b("1700000000000"));
      created.put(b("maxInactiveInterval"), b("1800"));
      created.put(b("sessionAttr:user"), serialized);
      assertEquals("OK", redis.hmset(key, created));
      assertTrue(redis.pexpire(key, 1_800_000));

      Map<String, byte[]> read = strings(redis.hgetall(key));
      assertEquals(4, read.size());
      assertEquals("1800", new String(read.get("maxInactiveInterval"), StandardCharsets.UTF_8));
      assertEquals(
          java.util.Arrays.toString(serialized),
          java.util.Arrays.toString(read.get("sessionAttr:user")));
      long pttl = redis.pttl(key);
      assertTrue(pttl > 1_790_000 && pttl <= 1_800_000, "pttl=" + pttl);

      Map<byte[], byte[]> changed = new LinkedHashMap<>();
      changed.put(b("lastAccessedTime"), b("1700000060000"));
      changed.put(b("sessionAttr:cart"), b("3 items"));
      assertEquals("OK", redis.hmset(key, changed));
      assertTrue(redis.pexpire(key, 1_800_000));
      read = strings(redis.hgetall(key));
      assertEquals(5, read.size());
      assertEquals(
          "1700000060000", new String(read.get("lastAccessedTime"), StandardCharsets.UTF_8));
      assertEquals("3 items", new String(read.get("sessionAttr:cart"), StandardCharsets.UTF_8));
      assertEquals(
          "1800", new String(redis.hget(key, b("maxInactiveInterval")), StandardCharsets.UTF_8));
      assertEquals(1L, redis.hdel(key, b("sessionAttr:cart")));

      assertEquals(1L, redis.del(key));
      assertTrue(redis.hgetall(key).isEmpty());
      assertEquals(-2L, redis.pttl(key));
    } finally {
      LettuceClients.shutdown(client);
    }
  }

  private static Map<String, byte[]> strings(Map<byte[], byte[]> map) {
    Map<String, byte[]> out = new TreeMap<>();
    map.forEach((k, v) -> out.put(new String(k, StandardCharsets.UTF_8), v));
    return out;
  }
}
