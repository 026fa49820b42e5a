package io.roost.cluster;

import io.roost.store.Bytes;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Redis Cluster key → hash slot: CRC16 (XMODEM: poly 0x1021, init 0, no reflection, no final xor)
 * of the key, or of its hash tag, masked to 14 bits.
 *
 * <p>Implementation notes:
 *
 * <ul>
 *   <li>Hash tag rules are exactly Redis's {@code keyHashSlot}: find the first {@code '{'}; find
 *       the first {@code '}'} after it; if both exist and the bytes between them are non-empty, only
 *       those bytes are hashed, otherwise the whole key is. So {@code "foo{}{bar}"} hashes the whole
 *       key, {@code "foo{{bar}}zap"} hashes {@code "{bar"}, {@code "foo{bar}{zap}"} hashes {@code
 *       "bar"}.
 *   <li>The computation is the store's ({@link Bytes#clusterSlot}), which records each key's slot;
 *       this class names it for the cluster. Stateless, so any thread may call it.
 * </ul>
 */
public final class SlotHash {
  /** Number of hash slots, as Redis Cluster. */
  public static final int SLOT_COUNT = 16384;

  private SlotHash() {}

  /** Slot of {@code key[offset, offset + length)}. */
  public static int slot(byte[] key, int offset, int length) {
    return Bytes.clusterSlot(new UnsafeBuffer(key), offset, length);
  }

  /** Slot of a whole key. */
  public static int slot(byte[] key) {
    return slot(key, 0, key.length);
  }

  /** Slot of the key in {@code buffer[offset, offset + length)}. */
  public static int slot(DirectBuffer buffer, int offset, int length) {
    return Bytes.clusterSlot(buffer, offset, length);
  }

  /** CRC16/XMODEM of {@code bytes[offset, offset + length)}, in {@code [0, 65535]}. */
  public static int crc16(byte[] bytes, int offset, int length) {
    return Bytes.crc16(new UnsafeBuffer(bytes), offset, length);
  }

  /** CRC16/XMODEM of {@code buffer[offset, offset + length)}, in {@code [0, 65535]}. */
  public static int crc16(DirectBuffer buffer, int offset, int length) {
    return Bytes.crc16(buffer, offset, length);
  }
}
