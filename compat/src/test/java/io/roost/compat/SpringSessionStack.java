package io.roost.compat;

import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

/**
 * Spring Session's default Redis repository ({@link RedisSessionRepository} over Lettuce, wired the
 * way {@code @EnableRedisHttpSession} wires it) with its connection factory and template: what one
 * web-tier instance holds. Created and closed by one test class's thread; the repository and
 * template are thread-safe, as in a web application.
 */
final class SpringSessionStack implements AutoCloseable {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_MAX_INACTIVE = Duration.ofMinutes(30);

  final String namespace;
  final LettuceConnectionFactory connections;
  final RedisTemplate<String, Object> template;
  final SessionRepository<Session> repository;
  private final ClientResources resources;

  private SpringSessionStack(
      String namespace,
      LettuceConnectionFactory connections,
      RedisTemplate<String, Object> template,
      SessionRepository<Session> repository,
      ClientResources resources) {
    this.namespace = namespace;
    this.connections = connections;
    this.template = template;
    this.repository = repository;
    this.resources = resources;
  }

  /** A stack on 127.0.0.1:{@code port}. */
  static SpringSessionStack open(int port, String namespace) {
    return open(port, null, namespace);
  }

  /**
   * A stack on 127.0.0.1:{@code port} whose Lettuce client uses {@code resources} (owned by the
   * stack from now on) or, when null, resources of its own.
   */
  static SpringSessionStack open(int port, ClientResources resources, String namespace) {
    LettuceClientConfiguration.LettuceClientConfigurationBuilder client =
        LettuceClientConfiguration.builder().commandTimeout(COMMAND_TIMEOUT);
    if (resources != null) {
      client.clientResources(resources);
    }
    LettuceConnectionFactory connections =
        new LettuceConnectionFactory(
            new RedisStandaloneConfiguration("127.0.0.1", port), client.build());
    try {
      connections.afterPropertiesSet();
      connections.start();

      // As RedisHttpSessionConfiguration builds it: string (hash) keys, JDK-serialized values.
      RedisTemplate<String, Object> template = new RedisTemplate<>();
      template.setKeySerializer(RedisSerializer.string());
      template.setHashKeySerializer(RedisSerializer.string());
      template.setConnectionFactory(connections);
      template.setBeanClassLoader(SpringSessionStack.class.getClassLoader());
      template.afterPropertiesSet();

      RedisSessionRepository redis = new RedisSessionRepository(template);
      redis.setRedisKeyNamespace(namespace);
      redis.setDefaultMaxInactiveInterval(DEFAULT_MAX_INACTIVE);
      return new SpringSessionStack(namespace, connections, template, asSessions(redis), resources);
    } catch (RuntimeException e) {
      connections.destroy();
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      }
      throw e;
    }
  }

  /** The key of session {@code id}: {@code namespace:sessions:id}. */
  String key(String id) {
    return namespace + ":sessions:" + id;
  }

  /** The {@code tcp_port} of the server the template's connection is on (INFO server). */
  int serverPort() {
    Properties info = template.execute((RedisCallback<Properties>) SpringSessionStack::info);
    return Integer.parseInt(info.getProperty("tcp_port", "-1"));
  }

  private static Properties info(RedisConnection connection) {
    return connection.serverCommands().info("server");
  }

  /**
   * Views the repository through the {@link Session} interface, as {@code SessionRepositoryFilter}
   * does: its own session type is not public. Safe because every session given back to it came from
   * it.
   */
  @SuppressWarnings("unchecked")
  private static SessionRepository<Session> asSessions(RedisSessionRepository redis) {
    return (SessionRepository<Session>) (SessionRepository<? extends Session>) redis;
  }

  /** Closes the connections and then the resources it owns; never throws. */
  @Override
  public void close() {
    try {
      connections.destroy();
    } finally {
      if (resources != null) {
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
      }
    }
  }
}
