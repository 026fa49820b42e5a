package io.roost.store;

/**
 * A clock moved by hand, for tests of this and other modules. Any thread may read or move it; the
 * time is a volatile field.
 */
public final class ManualClock implements Clock {
  private volatile long nowMs;

  /**
   * Starts at the given time.
   *
   * @param startMs epoch milliseconds.
   */
  public ManualClock(final long startMs) {
    this.nowMs = startMs;
  }

  @Override
  public long epochMs() {
    return nowMs;
  }

  /**
   * Moves the clock forward (or backward when negative).
   *
   * @param deltaMs milliseconds to add.
   * @return the new time.
   */
  public long advance(final long deltaMs) {
    nowMs = nowMs + deltaMs;
    return nowMs;
  }

  /**
   * Sets the clock.
   *
   * @param epochMs new time.
   */
  public void set(final long epochMs) {
    this.nowMs = epochMs;
  }
}
