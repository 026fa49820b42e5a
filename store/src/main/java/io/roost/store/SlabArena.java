package io.roost.store;

import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Off-heap allocator of one shard: 1 MiB slabs from {@link ByteBuffer#allocateDirect} carved into
 * size-class blocks, plus dedicated buffers for blocks larger than {@link #LARGE_BLOCK_BYTES}.
 * Owned by the thread holding the shard lock.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li><b>References.</b> A block is named by a 31-bit {@code ref = slab << 17 | offset >>> 3}
 *       (blocks are 8-byte aligned, a slab is at most 1 MiB): 4 bytes in index slots and wheel
 *       links instead of 8. Slabs start at 64 KiB and double with the shard's size up to 1 MiB, so
 *       many small shards do not each pin a megabyte. Slab 0 is never used, so ref 0 means null. A
 *       shard addresses at most 16384 slabs (16 GiB).
 *   <li><b>Size classes.</b> 8-byte steps from 32 (a record header) to 512 bytes, then four classes
 *       per power of two up to 128 KiB; a block's class follows from the record's size, so nothing
 *       is stored per block. Freed blocks go to a per-class LIFO free list linked through their
 *       first 4 bytes; new blocks are bump-allocated from the current slab, whose unusable tail is
 *       carved into free blocks. Blocks are never split or coalesced: the cost is internal
 *       fragmentation (at most 12.5% above 512 bytes, 7 bytes below) and slabs pinned by a few live
 *       blocks, both visible as {@link #allocatedBytes()} / {@link #usedBytes()}. A log with
 *       compaction would reclaim pinned slabs; measure before switching.
 *   <li><b>Large blocks</b> get their own direct buffer (a slab id with offset 0), freed at once.
 *   <li>Allocation failure (direct memory exhausted) returns 0; the caller reports OOM.
 * </ul>
 */
final class SlabArena {
  static final int SLAB_SHIFT = 20;
  static final int SLAB_BYTES = 1 << SLAB_SHIFT;
  static final int OFFSET_BITS = SLAB_SHIFT - 3;
  static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;
  static final int MAX_SLABS = 1 << 14;
  static final int LARGE_BLOCK_BYTES = 128 * 1024;
  static final int MIN_SLAB_BYTES = 64 * 1024;
  static final int MIN_BLOCK_BYTES = RecordDescriptor.HEADER_LENGTH;
  static final int SMALL_CLASSES = (512 - MIN_BLOCK_BYTES) / 8 + 1;

  private static final int[] CLASS_BYTES;

  static {
    final int[] sizes = new int[128];
    int n = 0;
    for (int s = MIN_BLOCK_BYTES; s <= 512; s += 8) {
      sizes[n++] = s;
    }
    for (int p = 512; p < LARGE_BLOCK_BYTES; p <<= 1) {
      for (int q = 1; q <= 4; q++) {
        sizes[n++] = p + (p / 4) * q;
      }
    }
    CLASS_BYTES = java.util.Arrays.copyOf(sizes, n);
  }

  static final int CLASS_COUNT = CLASS_BYTES.length;

  private final MemoryBudget budget;
  private UnsafeBuffer[] slabs = new UnsafeBuffer[8];
  private ByteBuffer[] backing = new ByteBuffer[8];
  private boolean[] dedicated = new boolean[8];
  private int slabLimit = 1;
  private int[] freeSlabIds = new int[8];
  private int freeSlabCount;
  private final int[] freeHeads = new int[CLASS_COUNT];
  private int bumpSlab;
  private int bumpOffset = SLAB_BYTES;
  private int bumpLimit = SLAB_BYTES;
  private long slabBytes;
  private long usedBytes;
  private long allocatedBytes;

  SlabArena(final MemoryBudget budget) {
    this.budget = budget;
  }

  static int classOf(final int size) {
    if (size <= 512) {
      return size <= MIN_BLOCK_BYTES ? 0 : (size - MIN_BLOCK_BYTES + 7) >>> 3;
    }
    int lo = SMALL_CLASSES;
    int hi = CLASS_COUNT - 1;
    while (lo < hi) {
      final int mid = (lo + hi) >>> 1;
      if (CLASS_BYTES[mid] >= size) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /**
   * @param size requested bytes.
   * @return bytes actually reserved for a block of that size.
   */
  static long blockBytes(final int size) {
    return size > LARGE_BLOCK_BYTES ? align8(size) : CLASS_BYTES[classOf(size)];
  }

  static long align8(final long size) {
    return (size + 7) & ~7L;
  }

  static int offset(final int ref) {
    return (ref & OFFSET_MASK) << 3;
  }

  UnsafeBuffer buffer(final int ref) {
    return slabs[ref >>> OFFSET_BITS];
  }

  boolean isDedicated(final int ref) {
    return dedicated[ref >>> OFFSET_BITS];
  }

  /**
   * Capacity of the block holding a record of {@code size} bytes.
   *
   * @param ref block.
   * @param size current record size.
   * @return bytes usable in place.
   */
  int capacity(final int ref, final int size) {
    final int slab = ref >>> OFFSET_BITS;
    return dedicated[slab] ? slabs[slab].capacity() : CLASS_BYTES[classOf(size)];
  }

  /**
   * @param size bytes needed (at least 1).
   * @return a ref, or 0 when the JVM has no direct memory left.
   */
  int allocate(final int size) {
    if (size > LARGE_BLOCK_BYTES) {
      return allocateDedicated(size, size);
    }
    final int cls = classOf(size);
    final int bytes = CLASS_BYTES[cls];
    int ref = freeHeads[cls];
    if (ref != 0) {
      freeHeads[cls] = buffer(ref).getInt(offset(ref));
    } else {
      if (bumpOffset + bytes > bumpLimit) {
        carveTail();
        final int slabSize = nextSlabBytes(bytes);
        final int slab = newSlab(slabSize, false);
        if (slab == 0) {
          return 0;
        }
        bumpSlab = slab;
        bumpOffset = 0;
        bumpLimit = slabSize;
        slabBytes += slabSize;
      }
      ref = (bumpSlab << OFFSET_BITS) | (bumpOffset >>> 3);
      bumpOffset += bytes;
    }
    usedBytes += bytes;
    budget.usedBytes.addAndGet(bytes);
    return ref;
  }

  /**
   * A dedicated block with room to grow (APPEND to large strings).
   *
   * @param size bytes needed.
   * @param capacity bytes to reserve, at least size.
   * @return a ref or 0.
   */
  int allocateDedicated(final int size, final long capacity) {
    final int cap = (int) Math.min(Integer.MAX_VALUE - 8, align8(Math.max(size, capacity)));
    final int slab = newSlab(cap, true);
    if (slab == 0) {
      return 0;
    }
    usedBytes += cap;
    budget.usedBytes.addAndGet(cap);
    return slab << OFFSET_BITS;
  }

  /**
   * Returns a block; the caller has already stopped referencing it.
   *
   * @param ref block.
   * @param size record size it was allocated for (class derivation).
   */
  void free(final int ref, final int size) {
    final int slab = ref >>> OFFSET_BITS;
    if (dedicated[slab]) {
      final int cap = slabs[slab].capacity();
      usedBytes -= cap;
      budget.usedBytes.addAndGet(-cap);
      releaseSlab(slab);
      return;
    }
    final int cls = classOf(size);
    final int bytes = CLASS_BYTES[cls];
    final UnsafeBuffer buf = slabs[slab];
    final int off = offset(ref);
    buf.putInt(off, freeHeads[cls]);
    buf.putInt(off + RecordDescriptor.META_OFFSET, RecordDescriptor.FREE_META);
    freeHeads[cls] = ref;
    usedBytes -= bytes;
    budget.usedBytes.addAndGet(-bytes);
  }

  /** Slabs grow with the shard (64 KiB up to 1 MiB) so small shards pin little memory. */
  private int nextSlabBytes(final int blockBytes) {
    final long grown = Long.highestOneBit(Math.max(MIN_SLAB_BYTES, slabBytes / 2));
    final int wanted = (int) Math.min(SLAB_BYTES, Math.max(MIN_SLAB_BYTES, grown));
    return Math.max(wanted, Integer.highestOneBit(blockBytes - 1) << 1);
  }

  private void carveTail() {
    if (bumpSlab == 0) {
      return;
    }
    int remaining = bumpLimit - bumpOffset;
    final UnsafeBuffer buf = slabs[bumpSlab];
    while (remaining >= MIN_BLOCK_BYTES) {
      int cls = classOf(remaining);
      if (CLASS_BYTES[cls] > remaining) {
        cls--;
      }
      final int bytes = CLASS_BYTES[cls];
      final int ref = (bumpSlab << OFFSET_BITS) | (bumpOffset >>> 3);
      buf.putInt(bumpOffset, freeHeads[cls]);
      buf.putInt(bumpOffset + RecordDescriptor.META_OFFSET, RecordDescriptor.FREE_META);
      freeHeads[cls] = ref;
      bumpOffset += bytes;
      remaining -= bytes;
    }
    bumpOffset = bumpLimit;
  }

  private int newSlab(final int bytes, final boolean isDedicated) {
    final int id;
    if (freeSlabCount > 0) {
      id = freeSlabIds[--freeSlabCount];
    } else {
      if (slabLimit >= MAX_SLABS) {
        return 0;
      }
      id = slabLimit++;
      if (id >= slabs.length) {
        final int n = Math.min(MAX_SLABS, slabs.length * 2);
        slabs = java.util.Arrays.copyOf(slabs, n);
        backing = java.util.Arrays.copyOf(backing, n);
        dedicated = java.util.Arrays.copyOf(dedicated, n);
      }
    }
    if (!budget.canAllocate(bytes)) {
      freeSlabIds = push(freeSlabIds, freeSlabCount++, id);
      return 0;
    }
    final ByteBuffer bb;
    try {
      bb = ByteBuffer.allocateDirect(bytes);
    } catch (final OutOfMemoryError e) {
      freeSlabIds = push(freeSlabIds, freeSlabCount++, id);
      return 0;
    }
    backing[id] = bb;
    slabs[id] = new UnsafeBuffer(bb);
    dedicated[id] = isDedicated;
    allocatedBytes += bytes;
    budget.allocatedBytes.addAndGet(bytes);
    return id;
  }

  private static int[] push(final int[] array, final int index, final int value) {
    final int[] a = index < array.length ? array : java.util.Arrays.copyOf(array, array.length * 2);
    a[index] = value;
    return a;
  }

  private void releaseSlab(final int id) {
    final int bytes = slabs[id].capacity();
    BufferUtil.free(backing[id]);
    backing[id] = null;
    slabs[id] = null;
    dedicated[id] = false;
    allocatedBytes -= bytes;
    budget.allocatedBytes.addAndGet(-bytes);
    freeSlabIds = push(freeSlabIds, freeSlabCount++, id);
  }

  /** Frees every slab (FLUSHDB); all refs become invalid. */
  void releaseAll() {
    for (int id = 1; id < slabLimit; id++) {
      if (slabs[id] != null) {
        BufferUtil.free(backing[id]);
        backing[id] = null;
        slabs[id] = null;
        dedicated[id] = false;
      }
    }
    budget.usedBytes.addAndGet(-usedBytes);
    budget.allocatedBytes.addAndGet(-allocatedBytes);
    usedBytes = 0;
    allocatedBytes = 0;
    slabLimit = 1;
    freeSlabCount = 0;
    java.util.Arrays.fill(freeHeads, 0);
    bumpSlab = 0;
    bumpOffset = SLAB_BYTES;
    bumpLimit = SLAB_BYTES;
    slabBytes = 0;
  }

  long usedBytes() {
    return usedBytes;
  }

  long allocatedBytes() {
    return allocatedBytes;
  }

  /**
   * @param ref a ref taken from a possibly stale source (eviction pool).
   * @return true if it names memory currently owned by this arena.
   */
  boolean plausible(final int ref) {
    final int slab = ref >>> OFFSET_BITS;
    return ref > 0
        && slab < slabLimit
        && slabs[slab] != null
        && offset(ref) < slabs[slab].capacity()
        && (!dedicated[slab] || offset(ref) == 0);
  }
}
