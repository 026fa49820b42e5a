package io.roost.store;

/** Source of wall-clock time for expiry; injected so tests can move time by hand. */
@FunctionalInterface
public interface Clock {
  /** The system clock. */
  Clock SYSTEM = System::currentTimeMillis;

  /**
   * Current time.
   *
   * @return milliseconds since the Unix epoch.
   */
  long epochMs();
}
