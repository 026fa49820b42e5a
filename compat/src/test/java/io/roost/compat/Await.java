package io.roost.compat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/** Waits for a condition that real time makes true, checking it often, until a deadline. */
final class Await {
  private static final long POLL_MS = 50;

  private Await() {}

  /** Returns once {@code condition} holds; fails with {@code what} when {@code max} has passed. */
  static void until(String what, Duration max, BooleanSupplier condition) {
    until(() -> what, max, condition);
  }

  /** As {@link #until(String, Duration, BooleanSupplier)}; {@code what} is asked on failure. */
  static void until(Supplier<String> what, Duration max, BooleanSupplier condition) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        Assertions.fail("not true within ms=" + max.toMillis() + ": " + what.get());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Assertions.fail("interrupted while waiting for: " + what.get(), e);
      }
    }
  }
}
