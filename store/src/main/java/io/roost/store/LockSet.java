package io.roost.store;

/**
 * The shards a multi-key operation locks, kept sorted by global shard id so locks are always taken
 * in the same order (no deadlock). One per thread ({@link #get()}), reused, never shared.
 */
final class LockSet {
  private static final ThreadLocal<LockSet> LOCAL = ThreadLocal.withInitial(LockSet::new);

  private Shard[] shards = new Shard[16];
  private int count;

  static LockSet get() {
    final LockSet set = LOCAL.get();
    set.count = 0;
    return set;
  }

  void add(final Shard s) {
    int i = count - 1;
    while (i >= 0 && shards[i].globalId > s.globalId) {
      i--;
    }
    if (i >= 0 && shards[i] == s) {
      return;
    }
    if (count == shards.length) {
      shards = java.util.Arrays.copyOf(shards, count * 2);
    }
    System.arraycopy(shards, i + 1, shards, i + 2, count - i - 1);
    shards[i + 1] = s;
    count++;
  }

  void lockAll(final long nowMs) {
    for (int i = 0; i < count; i++) {
      shards[i].enter(nowMs);
    }
  }

  void unlockAll() {
    for (int i = count - 1; i >= 0; i--) {
      shards[i].exit();
    }
    count = 0;
  }
}
