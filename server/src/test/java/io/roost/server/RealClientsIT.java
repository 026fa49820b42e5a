package io.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/** Jedis and Lettuce connect in RESP2 and RESP3: their handshakes, PING and client names. */
class RealClientsIT {
  @RegisterExtension static final RoostExtension NODE = new RoostExtension();

  @RegisterExtension
  static final RoostExtension SECURED = new RoostExtension(s -> s.requirePass = "pw");

  private static String clientInfo(RespClient c, String name) {
    for (String line : RespClient.payload(c.call("CLIENT", "LIST")).split("\n")) {
      if (line.contains(" name=" + name + " ")) {
        return line;
      }
    }
    throw new AssertionError("no client named " + name);
  }

  @ParameterizedTest
  @EnumSource(RedisProtocol.class)
  void jedis(RedisProtocol protocol) {
    String name = "jedis-" + protocol.name().toLowerCase(java.util.Locale.ROOT);
    var config =
        DefaultJedisClientConfig.builder()
            .protocol(protocol)
            .clientName(name)
            .timeoutMillis(10_000)
            .build();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", NODE.port()), config);
        RespClient admin = NODE.connect()) {
      assertEquals("PONG", jedis.ping());
      assertEquals(name, jedis.clientGetname());
      assertTrue(jedis.clientId() > 0);
      assertEquals("hi", jedis.echo("hi"));
      String line = clientInfo(admin, name);
      assertTrue(line.contains(" resp=" + (protocol == RedisProtocol.RESP3 ? 3 : 2) + " "), line);
      assertTrue(line.contains(" lib-name=jedis "), line);
      assertTrue(!line.contains(" lib-ver= "), line);
      assertTrue(jedis.info().contains("redis_version:"));
      assertTrue(jedis.configGet("maxmemory*").containsKey("maxmemory-policy"));
    }
  }

  @Test
  void jedisWithPassword() {
    var config =
        DefaultJedisClientConfig.builder()
            .protocol(RedisProtocol.RESP3)
            .password("pw")
            .clientName("jedis-auth")
            .build();
    try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", SECURED.port()), config)) {
      assertEquals("PONG", jedis.ping());
      assertEquals("jedis-auth", jedis.clientGetname());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProtocolVersion.class,
      names = {"RESP2", "RESP3"})
  void lettuce(ProtocolVersion protocol) {
    String name = "lettuce-" + protocol.name().toLowerCase(java.util.Locale.ROOT);
    RedisClient client = LettuceClients.create(NODE.port(), protocol, name);
    try (StatefulRedisConnection<String, String> conn = client.connect();
        RespClient admin = NODE.connect()) {
      assertEquals("PONG", conn.sync().ping());
      assertEquals(name, conn.sync().clientGetname());
      assertEquals("hi", conn.sync().echo("hi"));
      String line = clientInfo(admin, name);
      assertTrue(line.contains(" resp=" + (protocol == ProtocolVersion.RESP3 ? 3 : 2) + " "), line);
      assertTrue(line.contains(" lib-name=Lettuce "), line);
      assertTrue(conn.sync().info("server").contains("redis_version:"));
    } finally {
      LettuceClients.shutdown(client);
    }
  }

  @Test
  void lettuceWithPassword() {
    RedisURI uri =
        RedisURI.builder()
            .withHost("127.0.0.1")
            .withPort(SECURED.port())
            .withPassword("pw".toCharArray())
            .withClientName("lettuce-auth")
            .build();
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      assertEquals("PONG", conn.sync().ping());
      assertEquals("lettuce-auth", conn.sync().clientGetname());
    } finally {
      LettuceClients.shutdown(client);
    }
  }
}
