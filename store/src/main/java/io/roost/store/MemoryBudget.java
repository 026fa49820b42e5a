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

  /**
   * Allocation refused beyond this (90% of the JVM's direct-memory limit), so a huge write gets OOM
   * instead of stalling in the JDK's GC-and-retry path or killing the JVM.
   */
  final long hardLimitBytes;

  MemoryBudget(final long maxMemoryBytes) {
    this.maxMemoryBytes = maxMemoryBytes;
    this.hardLimitBytes = (long) (StoreContext.maxDirectMemoryBytes() * 0.9);
  }

  boolean canAllocate(final long bytes) {
    return allocatedBytes.get() + bytes <= hardLimitBytes;
  }

  boolean overLimit() {
    final long max = maxMemoryBytes;
    return max > 0 && usedBytes.get() > max;
  }
}
