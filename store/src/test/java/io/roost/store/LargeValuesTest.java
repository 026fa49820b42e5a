package io.roost.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.store.TestSupport.Client;
import org.junit.jupiter.api.Test;

class LargeValuesTest {
  @Test
  void largeStringsUseDedicatedBlocksAndGrow() {
    try (Store store =
        new Store(new StoreContext().databases(1).shardsPerDatabase(2).maxMemoryBytes(0))) {
      final Client c = new Client(store);
      final String chunk = "x".repeat(50_000);
      final StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        c.append("big", chunk);
        expected.append(chunk);
      }
      assertEquals(expected.toString(), c.get("big"));
      assertTrue(store.usedMemoryBytes() >= 500_000);
      c.set("big", "small");
      assertEquals("small", c.get("big"));
      c.del("big");
      assertTrue(store.usedMemoryBytes() < 100_000, "used=" + store.usedMemoryBytes());
    }
  }

  @Test
  void longHashFieldsAndValues() {
    try (Store store =
        new Store(new StoreContext().databases(1).shardsPerDatabase(2).maxMemoryBytes(0))) {
      final Client c = new Client(store);
      final String f = "f".repeat(300);
      final String v = "v".repeat(70_000);
      assertEquals(2, c.hset("h", f, v, "short", "1"));
      assertEquals(v, c.hget("h", f));
      assertEquals("1", c.hget("h", "short"));
      assertEquals("hashtable", c.encoding("h"));
      assertEquals(1, c.hdel("h", f));
      assertEquals(1, c.hlen("h"));
    }
  }

  @Test
  void hugeWriteBeyondDirectMemoryIsOomNotACrash() {
    try (Store store =
        new Store(new StoreContext().databases(1).shardsPerDatabase(1).maxMemoryBytes(0))) {
      final Client c = new Client(store);
      final long tooBig =
          Math.min(StoreConfiguration.MAX_STRING_BYTES - 10, StoreContext.maxDirectMemoryBytes());
      final org.agrona.concurrent.UnsafeBuffer k = TestSupport.buf("k");
      final org.agrona.concurrent.UnsafeBuffer v = TestSupport.buf("v");
      final long r = store.database(0).setRange(k, 0, 1, tooBig, v, 0, 1);
      assertTrue(r == Status.OOM || r == tooBig + 1, "r=" + r);
      c.set("after", "ok");
      assertEquals("ok", c.get("after"));
    }
  }

  @Test
  void contextValidation() {
    assertThrows(
        IllegalArgumentException.class, () -> new StoreContext().shardsPerDatabase(3).conclude());
    assertThrows(IllegalArgumentException.class, () -> new StoreContext().databases(0).conclude());
    assertThrows(IllegalArgumentException.class, () -> new StoreContext().hz(0).conclude());
    final StoreContext ctx = new StoreContext().conclude();
    assertTrue(ctx.maxMemoryBytes() > 0, "maxmemory always set by default");
    assertThrows(IllegalStateException.class, () -> ctx.databases(2));
  }
}
