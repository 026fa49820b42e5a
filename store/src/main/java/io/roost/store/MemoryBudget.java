package io.roost.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Store-wide memory counters shared by all shard arenas. Any thread; counters are atomics updated
 * on every block allocation and free (one uncontended atomic add per write; batching per shard is a
 * later optimisation).
 */
final class MemoryBudget {
  /** Bytes of live blocks plus index tables: Redis's {@code used_memory}. */
  final AtomicLong usedBytes = new AtomicLong();

  /** Bytes taken from the OS (slabs, dedicated blocks, index tables): RSS-like. */
  final AtomicLong allocatedBytes = new AtomicLong();

  /** maxmemory; 0 = unlimited. */
  volatile long maxMemoryBytes;

  MemoryBudget(final long maxMemoryBytes) {
    this.maxMemoryBytes = maxMemoryBytes;
  }

  boolean overLimit() {
    final long max = maxMemoryBytes;
    return max > 0 && usedBytes.get() > max;
  }
}
