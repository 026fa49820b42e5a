package io.roost.store;

import org.agrona.DirectBuffer;

/**
 * Receives results without allocation: the caller implements it once (e.g. writing RESP straight
 * into its output buffer) and passes it to operations.
 *
 * <p>Called on the caller's thread <em>while the store holds shard locks</em>: an implementation
 * must copy what it needs and must never call back into the store. The buffer passed to {@link
 * #value} is only valid during the call.
 */
public interface ValueSink {
  /**
   * A multi-element result follows with this many elements (HGETALL counts fields and values). Not
   * called where the count is unknown in advance (KEYS, SCAN): the caller counts.
   *
   * @param count number of elements that follow.
   */
  default void arrayStart(final int count) {}

  /**
   * One binary value.
   *
   * @param buffer memory holding the value (valid only during the call).
   * @param offset offset of the value.
   * @param length length in bytes.
   */
  void value(DirectBuffer buffer, int offset, int length);

  /** A missing value (nil). */
  default void nil() {}

  /**
   * An integer element (per-field codes of HEXPIRE, HTTL, HPERSIST).
   *
   * @param value the integer.
   */
  default void integer(final long value) {}
}
