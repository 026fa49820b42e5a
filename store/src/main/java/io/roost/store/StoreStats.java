package io.roost.store;

/**
 * Snapshot of the statistics INFO reports. Immutable; counters are read without locks, so a
 * snapshot may be slightly inconsistent across shards.
 *
 * @param usedMemoryBytes live blocks plus index tables (used_memory).
 * @param allocatedMemoryBytes slabs, large blocks and tables taken from the OS (RSS-like).
 * @param maxMemoryBytes maxmemory.
 * @param keysPerDb keys per database (db0:keys=...).
 * @param expiresPerDb keys with a TTL per database.
 * @param expiredKeys keys reclaimed by expiry.
 * @param evictedKeys keys evicted.
 * @param keyspaceHits read lookups that found a key.
 * @param keyspaceMisses read lookups that did not.
 * @param expiredHashFields hash fields reclaimed by expiry (expired_subkeys).
 */
public record StoreStats(
    long usedMemoryBytes,
    long allocatedMemoryBytes,
    long maxMemoryBytes,
    long[] keysPerDb,
    long[] expiresPerDb,
    long expiredKeys,
    long evictedKeys,
    long keyspaceHits,
    long keyspaceMisses,
    long expiredHashFields) {

  /**
   * @return allocated / used (mem_fragmentation_ratio).
   */
  public double fragmentationRatio() {
    return usedMemoryBytes == 0 ? 1.0 : (double) allocatedMemoryBytes / usedMemoryBytes;
  }
}
