package io.roost.store;

import org.agrona.DirectBuffer;

/**
 * Receives the deterministic effect of every write (replication seam): relative TTLs rewritten as
 * absolute times, float increments as the resulting value, expiry and eviction as deletions. The
 * bytes follow {@link EffectDescriptor}; {@link Store#applyEffect} replays them on a backup.
 *
 * <p>Called on the thread running the write, while it holds the shard lock(s) of the keys, in the
 * order writes to those keys happen: copy the bytes, never call back into the store.
 */
@FunctionalInterface
public interface EffectSink {
  /** Ignores effects; the store then skips encoding them. */
  EffectSink NONE = (buffer, offset, length) -> {};

  /**
   * One effect.
   *
   * @param buffer encoded effect (valid only during the call).
   * @param offset offset of the effect.
   * @param length length in bytes.
   */
  void onEffect(DirectBuffer buffer, int offset, int length);
}
