package io.roost.protocol;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a leaked buffer. Listens on the detector of
 * {@link AbstractByteBuf}; after the class, nudges the GC and allocates a few buffers so that
 * collected, unreleased buffers get reported. Leak detection is paranoid in tests (surefire
 * argLine), so every tracked buffer is checked.
 */
final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    install();
    LEAKS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int i = 0; i < 3; i++) {
      System.gc();
      for (int j = 0; j < 16; j++) {
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(8);
        probe.release();
      }
    }
    if (!LEAKS.isEmpty()) {
      throw new AssertionError("Netty buffer leaks: " + LEAKS);
    }
  }

  private static synchronized void install() throws ReflectiveOperationException {
    if (installed) {
      return;
    }
    Field field = AbstractByteBuf.class.getDeclaredField("leakDetector");
    field.setAccessible(true);
    ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
    detector.setLeakListener((resourceType, records) -> LEAKS.add(resourceType + ": " + records));
    installed = true;
  }
}
