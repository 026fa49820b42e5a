package io.roost.server;

import io.roost.server.config.Settings;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one {@link TestNode} per test class:
 *
 * <pre>{@code
 * @RegisterExtension static final RoostExtension NODE = new RoostExtension(s -> s.requirePass = "x");
 * }</pre>
 */
public final class RoostExtension implements BeforeAllCallback, AfterAllCallback {
  private final Consumer<Settings> customize;
  private TestNode node;

  public RoostExtension() {
    this(s -> {});
  }

  public RoostExtension(Consumer<Settings> customize) {
    this.customize = customize;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node = TestNode.start(customize);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (node != null) {
      node.close();
      node = null;
    }
  }

  public TestNode node() {
    if (node == null) {
      throw new IllegalStateException("node not started: register with @RegisterExtension static");
    }
    return node;
  }

  public int port() {
    return node().port();
  }

  public Server server() {
    return node().server();
  }

  public RespClient connect() {
    return node().connect();
  }
}
