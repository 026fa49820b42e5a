package io.roost.server;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;

/**
 * Lettuce clients of a test node on 127.0.0.1, set up the same way by every test that speaks
 * through Lettuce: a 10 s command timeout and the protocol under test. Stateless.
 */
public final class LettuceClients {
  private LettuceClients() {}

  /** A client of the node on {@code port} that speaks {@code protocol}. */
  public static RedisClient create(int port, ProtocolVersion protocol) {
    return create(port, protocol, null);
  }

  /** Like {@link #create(int, ProtocolVersion)}, naming its connections {@code clientName}. */
  public static RedisClient create(int port, ProtocolVersion protocol, String clientName) {
    RedisURI.Builder uri =
        RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(10));
    if (clientName != null) {
      uri.withClientName(clientName);
    }
    RedisClient client = RedisClient.create(uri.build());
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    return client;
  }

  /** Shuts {@code client} down without the quiet period (tests have no traffic left). */
  public static void shutdown(RedisClient client) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
  }
}
